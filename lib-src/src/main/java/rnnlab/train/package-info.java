/**
 * Keras's training loop for a DL4J {@code MultiLayerNetwork}: {@link rnnlab.train.Trainer} ({@code fit},
 * {@code evaluate}, {@code predict}), {@link rnnlab.train.Training} (the epoch/batch loop and what
 * callbacks see of it), the {@link rnnlab.train.Callback}s ({@link rnnlab.train.History.Recorder},
 * {@link rnnlab.train.EarlyStopping}, {@link rnnlab.train.ModelCheckpoint},
 * {@link rnnlab.train.BackupAndRestore}, {@link rnnlab.train.LambdaCallback}, the progress bar and the
 * interrupt check), {@link rnnlab.train.FitOptions} and the results ({@link rnnlab.train.History},
 * {@link rnnlab.train.Scores}).
 *
 * <p>It sits below {@code rnnlab.nn} (Keras's {@code Model} extends its {@code Trainer}): it may use
 * {@code rnnlab.display}, {@code rnnlab.lab}, {@code rnnlab.data}, {@code rnnlab.eval} and
 * {@code rnnlab.nn.dl4j}, never {@code rnnlab.nn} or anything above it.
 */
package rnnlab.train;
