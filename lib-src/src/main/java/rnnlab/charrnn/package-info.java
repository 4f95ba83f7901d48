/**
 * Report 004: character-level surname → language classification, trained one name at a time, as in
 * the PyTorch tutorial "Classifying Names with a Character-Level RNN".
 *
 * <ul>
 *   <li>{@link rnnlab.charrnn.CharRnnModel} and its three networks {@link rnnlab.charrnn.CharRnn}
 *       (tutorial RNN), {@link rnnlab.charrnn.CharLstm} and {@link rnnlab.charrnn.CharGru} (the
 *       report's hand-written cells), with torch-layout state dicts and torch's module print;</li>
 *   <li>{@link rnnlab.charrnn.NameClassifier}: names as strings, {@code predict(name, topN)},
 *       accuracy and confusion matrix;</li>
 *   <li>{@link rnnlab.charrnn.CharRnnTrainer}: the tutorial's loop (SGD 0.005, NLL loss, print every
 *       5,000, average loss every 1,000) plus validation accuracy → {@link rnnlab.charrnn.TrainingHistory}.</li>
 * </ul>
 * The cells are hand-written over float arrays (no ND4J): see {@link rnnlab.charrnn.CharRnnModel} for why.
 */
package rnnlab.charrnn;
