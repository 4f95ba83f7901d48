/**
 * Keras's text and sequence preprocessing, without I/O: {@link rnnlab.text.Tokenizer}
 * ({@code keras.preprocessing.text.Tokenizer} and {@code text_to_word_sequence}),
 * {@link rnnlab.text.Vocabulary} (report 001's own tokenising and {@code build_vocab}), {@link rnnlab.text.PadSequences}
 * ({@code pad_sequences}), {@link rnnlab.text.PadView} (a padded batch before and after, cuts and padding marked) and
 * {@link rnnlab.text.NdFormat} (arrays printed as numpy and Python print them).
 *
 * <p>Layer: above {@code rnnlab.display} and {@code rnnlab.lab} only; the loaders in {@code rnnlab.data}
 * tokenise with it, so it must not import them.
 */
package rnnlab.text;
