package rnnlab.data;

import java.util.Objects;

/**
 * One split of an integer-sequence dataset: {@code x[i]} is a sequence of word indices and
 * {@code y[i]} its label. The Java shape of Keras's {@code (x_train, y_train)} pair.
 *
 * @param x sequences (ragged; pad with the sequence package before feeding a network)
 * @param y labels, same length as {@code x}
 */
public record LabeledSequences(int[][] x, int[] y) {

    /** Checks both arrays are present and of equal length. */
    public LabeledSequences {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " sequences but y has " + y.length + " labels");
        }
    }

    /** Number of examples. */
    public int size() {
        return x.length;
    }

    /** Length of the longest sequence. */
    public int maxLength() {
        int m = 0;
        for (int[] s : x) {
            m = Math.max(m, s.length);
        }
        return m;
    }

    @Override
    public String toString() {
        long pos = 0;
        for (int v : y) {
            pos += v;
        }
        return "LabeledSequences[" + x.length + " sequences, max length " + maxLength() + ", " + pos + " labelled 1]";
    }
}
