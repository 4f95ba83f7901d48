package rnnlab.data;

/**
 * What {@code keras.datasets.imdb.load_data()} returns, plus {@code get_word_index()}:
 * {@code (x_train, y_train), (x_test, y_test)} and the word index, with the decoder of report 000.
 *
 * @param train     shuffled training split
 * @param test      shuffled test split
 * @param wordIndex Keras's word → rank index
 * @param indexFrom the offset the sequences were built with (for {@link #decode(int[])})
 * @param unknownTokens number of tokens whose word is not in the word index (mapped to OOV);
 *                  0 for a Keras-identical build
 */
public record ImdbData(LabeledSequences train, LabeledSequences test, WordIndex wordIndex, int indexFrom,
                       long unknownTokens) {

    /** Decodes a sequence back to words, {@code ?} for padding/start/OOV. Mirrors report 000 cell 3. */
    public String decode(int[] sequence) {
        return wordIndex.decode(sequence, indexFrom);
    }
}
