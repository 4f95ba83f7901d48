package rnnlab.text;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The options of {@code tf.keras.preprocessing.sequence.pad_sequences(sequences, maxlen=None,
 * padding='pre', truncating='pre', value=0.)} as an immutable value, with the function itself as
 * {@link #apply(int[][])}.
 *
 * <p>Semantics follow the Keras source ({@code keras_preprocessing/sequence.py}) exactly:
 * <ul>
 *   <li>{@code maxlen} absent → the length of the longest sequence;</li>
 *   <li>{@code truncating='pre'} keeps the last {@code maxlen} elements ({@code s[-maxlen:]}),
 *       {@code 'post'} the first ({@code s[:maxlen]});</li>
 *   <li>{@code padding='pre'} puts the kept elements at the end of the row, {@code 'post'} at the start;
 *       the rest of the row is {@code value};</li>
 *   <li>an empty sequence becomes a row made only of {@code value};</li>
 *   <li>{@code maxlen=0}: with {@code truncating='post'} every row is empty (shape {@code (n, 0)});
 *       with {@code truncating='pre'} Keras fails for any sequence of length ≥ 2, because Python's
 *       {@code s[-0:]} is the whole sequence and cannot be written into a width-0 row (a length-1
 *       sequence is silently broadcast away). This class raises the same failure as an
 *       {@link IllegalArgumentException} that says so.</li>
 * </ul>
 * The Java overload chooses Keras's {@code dtype}: {@code int[][]} is {@code 'int32'} (the Keras
 * default; a fractional {@code value} is truncated toward zero like numpy's cast), {@code float[][]}
 * is {@code 'float32'}, {@code double[][]} is {@code 'float64'}. Unlike Keras, which checks
 * {@code padding}/{@code truncating} only when it meets a non-empty sequence, the words are checked up
 * front. Hand-written: neither ND4J nor DL4J has a pad/truncate with these options.
 *
 * <pre>{@code
 * int[][] a = PadSequences.builder().padding("post").build().apply(new int[][]{{1}, {2, 3}, {4, 5, 6}});
 * // [[1 0 0] [2 3 0] [4 5 6]]
 * }</pre>
 *
 * @param maxlen      target length, or {@code null} for "longest sequence" (Keras {@code maxlen=None})
 * @param padding     where padding goes (Keras default {@code 'pre'})
 * @param truncating  which end is cut from long sequences (Keras default {@code 'pre'})
 * @param value       the padding value (Keras default {@code 0.})
 */
public record PadSequences(Integer maxlen, Side padding, Side truncating, double value) {

    /** Checks the arguments: {@code maxlen} null or ≥ 0, sides not null. */
    public PadSequences {
        if (maxlen != null && maxlen < 0) {
            throw new IllegalArgumentException("maxlen must be absent (null, meaning 'longest sequence') or an integer >= 0, but was "
                    + maxlen);
        }
        if (padding == null) {
            throw new IllegalArgumentException("padding must be 'pre' or 'post', but was null");
        }
        if (truncating == null) {
            throw new IllegalArgumentException("truncating must be 'pre' or 'post', but was null");
        }
    }

    /** The Keras defaults: {@code maxlen=None, padding='pre', truncating='pre', value=0}. */
    public static PadSequences defaults() {
        return new PadSequences(null, Side.PRE, Side.PRE, 0.0);
    }

    /** A builder starting from the Keras defaults. */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** A builder starting from these options, to change one of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    // ------------------------------------------------------------------ the function

    /** Pads/truncates integer sequences (Keras {@code dtype='int32'}); result is {@code [n][maxlen]}. */
    public int[][] apply(int[][] sequences) {
        checkNotNull(sequences);
        int pad = intValue();
        return padRows(sequences, int[][]::new, m -> {
            int[] row = new int[m];
            Arrays.fill(row, pad);
            return row;
        });
    }

    /** Pads/truncates a list of integer lists (as returned by Python-style code); same as {@link #apply(int[][])}. */
    public int[][] apply(List<? extends List<Integer>> sequences) {
        return apply(Sequences.toArray(sequences));
    }

    /** Pads/truncates float sequences (Keras {@code dtype='float32'}). */
    public float[][] apply(float[][] sequences) {
        return padRows(sequences, float[][]::new, m -> {
            float[] row = new float[m];
            Arrays.fill(row, (float) value);
            return row;
        });
    }

    /** Pads/truncates double sequences (Keras {@code dtype='float64'}). */
    public double[][] apply(double[][] sequences) {
        return padRows(sequences, double[][]::new, m -> {
            double[] row = new double[m];
            Arrays.fill(row, value);
            return row;
        });
    }

    /**
     * The one pad/truncate loop behind every {@code apply}: {@code R} is a primitive row type
     * ({@code int[]}, {@code float[]}, {@code double[]}); {@code paddedRow} makes a row of width m filled
     * with {@code value}, into which the kept elements are copied as {@link #plan} says.
     */
    private <R> R[] padRows(R[] sequences, IntFunction<R[]> newRows, IntFunction<R> paddedRow) {
        checkNotNull(sequences);
        int[] lengths = new int[sequences.length];
        for (int i = 0; i < sequences.length; i++) {
            lengths[i] = java.lang.reflect.Array.getLength(checkRow(sequences[i], i));
        }
        int m = resolveMaxlen(lengths);
        R[] out = newRows.apply(sequences.length);
        for (int i = 0; i < sequences.length; i++) {
            RowPlan p = plan(lengths[i], m, i);
            out[i] = paddedRow.apply(m);
            System.arraycopy(sequences[i], p.keepFrom(), out[i], p.padBefore(), p.kept());
        }
        return out;
    }

    /** {@link #apply(int[][])} as an ND4J {@code INT32} matrix of shape {@code [n, maxlen]}. */
    public INDArray applyAsArray(int[][] sequences) {
        return applyAsArray(sequences, DataType.INT32);
    }

    /** {@link #apply(int[][])} as an ND4J matrix of the given type (e.g. {@code FLOAT} for an embedding input). */
    public INDArray applyAsArray(int[][] sequences, DataType dataType) {
        int[][] out = apply(sequences);
        return Sequences.toINDArray(out, out.length == 0 ? maxlen : out[0].length, dataType);
    }

    /** {@link #apply(float[][])} as an ND4J {@code FLOAT} matrix of shape {@code [n, maxlen]}. */
    public INDArray applyAsArray(float[][] sequences) {
        float[][] out = apply(sequences);
        return Sequences.toINDArray(out, out.length == 0 ? maxlen : out[0].length);
    }

    // ------------------------------------------------------------------ the plan (shared with PadView)

    /**
     * What happens to one sequence: which elements {@code [keepFrom, keepTo)} are kept and how many
     * padding cells go before and after them. {@code keepFrom} elements are cut at the front and
     * {@code length - keepTo} at the end.
     *
     * @param length    the sequence's length
     * @param maxlen    the resolved row width
     * @param keepFrom  first kept index
     * @param keepTo    one past the last kept index
     * @param padBefore padding cells before the kept elements
     * @param padAfter  padding cells after the kept elements
     */
    public record RowPlan(int length, int maxlen, int keepFrom, int keepTo, int padBefore, int padAfter) {
        /** Number of kept elements. */
        public int kept() {
            return keepTo - keepFrom;
        }

        /** Elements cut at the front ({@code truncating='pre'}). */
        public int cutBefore() {
            return keepFrom;
        }

        /** Elements cut at the end ({@code truncating='post'}). */
        public int cutAfter() {
            return length - keepTo;
        }
    }

    /**
     * The row width these options give for sequences of the given lengths: {@code maxlen}, or the
     * longest length when {@code maxlen} is absent.
     *
     * @throws IllegalArgumentException if {@code maxlen} is absent and there are no sequences (Keras
     *                                  fails there too: {@code np.max([])})
     */
    public int resolveMaxlen(int[] lengths) {
        if (maxlen != null) {
            return maxlen;
        }
        if (lengths.length == 0) {
            throw new IllegalArgumentException("maxlen is absent and sequences is empty, so there is no longest sequence "
                    + "(tf.keras fails here too); pass maxlen explicitly, e.g. builder().maxlen(10)");
        }
        int m = 0;
        for (int l : lengths) {
            m = Math.max(m, l);
        }
        return m;
    }

    /**
     * The plan for sequence number {@code index} of length {@code length} in rows of width {@code maxlen}.
     *
     * @throws IllegalArgumentException for Keras's {@code maxlen=0, truncating='pre'} failure (see class doc)
     */
    public RowPlan plan(int length, int maxlen, int index) {
        if (length == 0) {
            return padding == Side.PRE ? new RowPlan(0, maxlen, 0, 0, maxlen, 0) : new RowPlan(0, maxlen, 0, 0, 0, maxlen);
        }
        if (maxlen == 0 && truncating == Side.PRE && length >= 2) {
            throw new IllegalArgumentException("maxlen=0 with truncating='pre' fails in tf.keras for sequences of length >= 2 "
                    + "(Python's s[-0:] is the whole sequence, which cannot be written into a width-0 row); "
                    + "sequences[" + index + "] has length " + length + ". Use truncating='post' to get an (n, 0) result.");
        }
        int k = Math.min(length, maxlen);
        int keepFrom = truncating == Side.PRE ? length - k : 0;
        int pad = maxlen - k;
        return padding == Side.PRE
                ? new RowPlan(length, maxlen, keepFrom, keepFrom + k, pad, 0)
                : new RowPlan(length, maxlen, keepFrom, keepFrom + k, 0, pad);
    }

    /** The Python call these options stand for, e.g. {@code pad_sequences(maxlen=2, padding='post', truncating='pre', value=-1)}. */
    @Override
    public String toString() {
        return "pad_sequences(maxlen=" + (maxlen == null ? "None" : maxlen) + ", padding=" + padding + ", truncating=" + truncating
                + ", value=" + formatValue(value) + ")";
    }

    static String formatValue(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    // ------------------------------------------------------------------ checks

    int intValue() {
        if (Double.isNaN(value) || Double.isInfinite(value) || value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("value must be a finite number within the int range to pad int sequences, but was "
                    + value + "; use float[][] sequences for NaN/infinite padding");
        }
        return (int) value; // numpy's int32 cast truncates toward zero, as does Java's
    }

    private static void checkNotNull(Object sequences) {
        if (sequences == null) {
            throw new IllegalArgumentException("sequences must not be null; pass an array of sequences (new int[0][] for none)");
        }
    }

    private static <T> T checkRow(T row, int index) {
        if (row == null) {
            throw new IllegalArgumentException("sequences[" + index + "] is null; every sequence must be an array "
                    + "(use an empty array for an empty sequence)");
        }
        return row;
    }

    /**
     * Builder in Keras vocabulary: {@code maxlen}, {@code padding} ('pre'|'post'), {@code truncating}
     * ('pre'|'post'), {@code value}. Starts from the Keras defaults.
     */
    public static final class Builder {
        private Integer maxlen;
        private Side padding;
        private Side truncating;
        private double value;

        private Builder(PadSequences from) {
            this.maxlen = from.maxlen;
            this.padding = from.padding;
            this.truncating = from.truncating;
            this.value = from.value;
        }

        /** Target length (≥ 0). */
        public Builder maxlen(int maxlen) {
            return maxlen(Integer.valueOf(maxlen));
        }

        /** Target length, or {@code null} for the longest sequence (Keras {@code None}). */
        public Builder maxlen(Integer maxlen) {
            if (maxlen != null && maxlen < 0) {
                throw new IllegalArgumentException("maxlen must be absent (null) or an integer >= 0, but was " + maxlen);
            }
            this.maxlen = maxlen;
            return this;
        }

        /** {@code "pre"} or {@code "post"}. */
        public Builder padding(String padding) {
            this.padding = Side.parse("padding", padding);
            return this;
        }

        /** {@link Side#PRE} or {@link Side#POST}. */
        public Builder padding(Side padding) {
            this.padding = Objects.requireNonNull(padding, "padding");
            return this;
        }

        /** {@code "pre"} or {@code "post"}. */
        public Builder truncating(String truncating) {
            this.truncating = Side.parse("truncating", truncating);
            return this;
        }

        /** {@link Side#PRE} or {@link Side#POST}. */
        public Builder truncating(Side truncating) {
            this.truncating = Objects.requireNonNull(truncating, "truncating");
            return this;
        }

        /** The padding value (Keras default 0). */
        public Builder value(double value) {
            this.value = value;
            return this;
        }

        /** The immutable options. */
        public PadSequences build() {
            return new PadSequences(maxlen, padding, truncating, value);
        }
    }
}
