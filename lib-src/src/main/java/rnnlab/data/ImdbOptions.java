package rnnlab.data;

/**
 * The arguments of {@code keras.datasets.imdb.load_data}, with Keras's defaults (where the files are is the
 * loader's {@link DataSource} argument). {@code null}/0 stand for Python's {@code None} as noted per field.
 *
 * @param numWords  keep the {@code numWords - 1} most frequent indices, others become {@code oovChar};
 *                  0 = all ({@code num_words=None})
 * @param skipTop   indices below this become {@code oovChar} (default 0)
 * @param maxlen    drop sequences of length ≥ maxlen (Keras keeps {@code len < maxlen}); 0 = no limit
 * @param seed      shuffle seed (default 113), a numpy {@code RandomState} seed
 * @param startChar index put at the start of each sequence (default 1); {@code null} = none
 * @param oovChar   index for out-of-vocabulary words (default 2); {@code null} = drop them
 * @param indexFrom offset added to every word rank (default 3)
 */
public record ImdbOptions(int numWords, int skipTop, int maxlen, long seed, Integer startChar,
                          Integer oovChar, int indexFrom) {

    /** Checks ranges. */
    public ImdbOptions {
        if (numWords < 0) {
            throw new IllegalArgumentException("numWords must be >= 0 (0 = all words, like num_words=None), got " + numWords);
        }
        if (skipTop < 0) {
            throw new IllegalArgumentException("skipTop must be >= 0, got " + skipTop);
        }
        if (maxlen < 0) {
            throw new IllegalArgumentException("maxlen must be >= 0 (0 = no limit, like maxlen=None), got " + maxlen);
        }
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2**32 - 1, got " + seed);
        }
        if (indexFrom < 0) {
            throw new IllegalArgumentException("indexFrom must be >= 0, got " + indexFrom);
        }
    }

    /** Keras's defaults: all words, no skip, no maxlen, seed 113, start 1, OOV 2, index_from 3. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link ImdbOptions}. */
    public static final class Builder {
        private int numWords;
        private int skipTop;
        private int maxlen;
        private long seed = 113;
        private Integer startChar = 1;
        private Integer oovChar = 2;
        private int indexFrom = 3;

        private Builder() {
        }

        /** {@code num_words}; 0 = all. */
        public Builder numWords(int v) {
            numWords = v;
            return this;
        }

        /** {@code skip_top}. */
        public Builder skipTop(int v) {
            skipTop = v;
            return this;
        }

        /** {@code maxlen}; 0 = none. */
        public Builder maxlen(int v) {
            maxlen = v;
            return this;
        }

        /** {@code seed}. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** {@code start_char}; {@code null} = none. */
        public Builder startChar(Integer v) {
            startChar = v;
            return this;
        }

        /** {@code oov_char}; {@code null} = drop out-of-vocabulary words. */
        public Builder oovChar(Integer v) {
            oovChar = v;
            return this;
        }

        /** {@code index_from}. */
        public Builder indexFrom(int v) {
            indexFrom = v;
            return this;
        }

        /** The options. */
        public ImdbOptions build() {
            return new ImdbOptions(numWords, skipTop, maxlen, seed, startChar, oovChar, indexFrom);
        }
    }
}
