package rnnlab.text;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Helpers for ragged integer sequences around {@link PadSequences} (which mirrors Keras's
 * {@code pad_sequences}): their lengths, Python-style lists as arrays, and rectangular results as ND4J
 * matrices.
 */
public final class Sequences {

    private Sequences() {
    }

    /** The length of every sequence ({@code [len(s) for s in sequences]}). */
    public static int[] lengths(int[][] sequences) {
        if (sequences == null) {
            throw new IllegalArgumentException("sequences must not be null");
        }
        int[] out = new int[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            if (sequences[i] == null) {
                throw new IllegalArgumentException("sequences[" + i + "] is null; use an empty array for an empty sequence");
            }
            out[i] = sequences[i].length;
        }
        return out;
    }

    /** Converts a list of integer lists (Python-style) to {@code int[][]}; rejects null lists and null elements. */
    public static int[][] toArray(List<? extends List<Integer>> sequences) {
        if (sequences == null) {
            throw new IllegalArgumentException("sequences must not be null");
        }
        int[][] out = new int[sequences.size()][];
        for (int i = 0; i < out.length; i++) {
            List<Integer> s = sequences.get(i);
            if (s == null) {
                throw new IllegalArgumentException("sequences[" + i + "] is null; use an empty list for an empty sequence");
            }
            out[i] = new int[s.size()];
            for (int j = 0; j < out[i].length; j++) {
                Integer v = s.get(j);
                if (v == null) {
                    throw new IllegalArgumentException("sequences[" + i + "][" + j + "] is null; sequences hold integers");
                }
                out[i][j] = v;
            }
        }
        return out;
    }

    /**
     * A rectangular {@code int[n][width]} as an ND4J matrix {@code [n, width]} of the given type
     * (ND4J's {@code createFromArray} then {@code castTo}; zero-size shapes are created directly).
     */
    public static INDArray toINDArray(int[][] rect, int width, DataType dataType) {
        if (rect.length == 0 || width == 0) {
            return Nd4j.create(dataType, rect.length, width);
        }
        INDArray a = Nd4j.createFromArray(rect);
        return dataType == DataType.INT32 ? a : a.castTo(dataType);
    }

    /** A rectangular {@code int[n][width]} as an ND4J {@code INT32} matrix. */
    public static INDArray toINDArray(int[][] rect) {
        return toINDArray(rect, rect.length == 0 ? 0 : rect[0].length, DataType.INT32);
    }

    /** A rectangular {@code float[n][width]} as an ND4J {@code FLOAT} matrix {@code [n, width]}. */
    public static INDArray toINDArray(float[][] rect, int width) {
        if (rect.length == 0 || width == 0) {
            return Nd4j.create(DataType.FLOAT, rect.length, width);
        }
        return Nd4j.createFromArray(rect);
    }
}
