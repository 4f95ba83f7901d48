package rnnlab.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Prints arrays the way numpy 1.24 does with its default print options (linewidth 75, threshold
 * 1000, edgeitems 3, precision 8, floatmode 'maxprec'), so notebooks reproduce the reports'
 * printouts character for character:
 * <ul>
 *   <li>{@link #numpy(int[][])} is {@code str(a)} / {@code print(a)}: {@code [[1 0 0]\n [2 3 0]\n [4 5 6]]};</li>
 *   <li>{@link #repr(int[][])} is {@code repr(a)} of Keras's int32 result:
 *       {@code array([[1, 0, 0],\n       [2, 3, 0]], dtype=int32)};</li>
 *   <li>{@link #pyList(int[][])} is {@code print(list)} of the Python input: {@code [[1], [2, 3], [4, 5, 6]]}.</li>
 * </ul>
 * It re-implements numpy's {@code _formatArray} (element right-justification to a common width,
 * wrapping rows at the line width with a hanging indent, summarising axes longer than 6 with
 * {@code ...} when the array has more than 1000 elements) and its float formatter (shortest
 * round-trip digits capped at 8 decimals, right-padded to a common number of decimals; scientific
 * notation when a non-zero magnitude is below 1e-4, at least 1e8, or the ratio max/min exceeds
 * 1000). Hand-written because neither ND4J's {@code toString} nor Tablesaw prints numpy's layout.
 */
public final class NdFormat {

    /** numpy's default {@code linewidth}. */
    public static final int LINEWIDTH = 75;
    /** numpy's default {@code threshold}: arrays with more elements are summarised. */
    public static final int THRESHOLD = 1000;
    /** numpy's default {@code edgeitems}. */
    public static final int EDGEITEMS = 3;
    /** numpy's default {@code precision}. */
    public static final int PRECISION = 8;

    private NdFormat() {
    }

    // ------------------------------------------------------------------ public entry points: str()

    /** {@code str(np.array(a))} for a 1-D int array. */
    public static String numpy(int[] a) {
        return str(Nd.ofInts(a));
    }

    /** {@code str(np.array(a))} for a rectangular 2-D int array, e.g. a {@code pad_sequences} result. */
    public static String numpy(int[][] a) {
        return str(Nd.ofInts(a));
    }

    /** {@code str(np.array(a))} for a rectangular 2-D long array. */
    public static String numpy(long[][] a) {
        return str(Nd.ofLongs(a));
    }

    /** {@code str(np.array(a, dtype=float32))} for a 1-D float array. */
    public static String numpy(float[] a) {
        return str(Nd.ofFloats(new float[][] {a}, true));
    }

    /** {@code str(np.array(a, dtype=float32))} for a rectangular 2-D float array. */
    public static String numpy(float[][] a) {
        return str(Nd.ofFloats(a, false));
    }

    /** {@code str(np.array(a))} (float64) for a 1-D double array. */
    public static String numpy(double[] a) {
        return str(Nd.ofDoubles(new double[][] {a}, true));
    }

    /** {@code str(np.array(a))} (float64) for a rectangular 2-D double array. */
    public static String numpy(double[][] a) {
        return str(Nd.ofDoubles(a, false));
    }

    /** {@code str(a)} for an ND4J array of any rank (integer types print as ints, FLOAT as float32, DOUBLE as float64). */
    public static String numpy(INDArray a) {
        return str(Nd.of(a));
    }

    // ------------------------------------------------------------------ repr()

    /** {@code repr(a)} of an int32 matrix (what Keras's {@code pad_sequences} returns). */
    public static String repr(int[][] a) {
        return repr(Nd.ofInts(a));
    }

    /** {@code repr(a)} of a float32 matrix (e.g. {@code embedding.get_weights()[0]}). */
    public static String repr(float[][] a) {
        return repr(Nd.ofFloats(a, false));
    }

    /** {@code repr(a)} of a float64 matrix. */
    public static String repr(double[][] a) {
        return repr(Nd.ofDoubles(a, false));
    }

    /** {@code repr(a)} of an ND4J array (INT32 → int32, INT64 → int64 (implied), FLOAT → float32, DOUBLE → float64 (implied)). */
    public static String repr(INDArray a) {
        return repr(Nd.of(a));
    }

    // ------------------------------------------------------------------ Python lists

    /** {@code str(list)} of a Python list of ints: {@code [1, 2, 3]}. */
    public static String pyList(int[] a) {
        if (a == null) {
            throw new IllegalArgumentException("a must not be null");
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(a[i]);
        }
        return sb.append(']').toString();
    }

    /** {@code str(list)} of a (possibly ragged) Python list of int lists: {@code [[1], [2, 3], [4, 5, 6]]}. */
    public static String pyList(int[][] a) {
        if (a == null) {
            throw new IllegalArgumentException("a must not be null");
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length; i++) {
            if (a[i] == null) {
                throw new IllegalArgumentException("a[" + i + "] is null");
            }
            sb.append(i == 0 ? "" : ", ").append(pyList(a[i]));
        }
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ the array model

    /** A row-major array: shape, values (as long or double), numpy dtype name and whether repr shows it. */
    private record Nd(int[] shape, long[] ints, double[] floats, boolean float32, String dtype, boolean dtypeImplied) {
        int size() {
            int s = 1;
            for (int d : shape) {
                s *= d;
            }
            return s;
        }

        boolean isFloat() {
            return floats != null;
        }

        static int width(Object[] rows, int[] lens) {
            int w = -1;
            for (int i = 0; i < rows.length; i++) {
                if (rows[i] == null) {
                    throw new IllegalArgumentException("a[" + i + "] is null");
                }
                if (w >= 0 && lens[i] != w) {
                    throw new IllegalArgumentException("a is ragged (a[0] has " + w + " elements, a[" + i + "] has " + lens[i]
                            + "); numpy prints only rectangular arrays. Pad it first, or print it with NdFormat.pyList");
                }
                w = lens[i];
            }
            return Math.max(w, 0);
        }

        static Nd ofInts(int[] a) {
            if (a == null) {
                throw new IllegalArgumentException("a must not be null");
            }
            long[] v = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                v[i] = a[i];
            }
            return new Nd(new int[] {a.length}, v, null, false, "int32", false);
        }

        static Nd ofInts(int[][] a) {
            if (a == null) {
                throw new IllegalArgumentException("a must not be null");
            }
            int[] lens = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                lens[i] = a[i] == null ? -1 : a[i].length;
            }
            int w = width(a, lens);
            long[] v = new long[a.length * w];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < w; j++) {
                    v[i * w + j] = a[i][j];
                }
            }
            return new Nd(new int[] {a.length, w}, v, null, false, "int32", false);
        }

        static Nd ofLongs(long[][] a) {
            if (a == null) {
                throw new IllegalArgumentException("a must not be null");
            }
            int[] lens = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                lens[i] = a[i] == null ? -1 : a[i].length;
            }
            int w = width(a, lens);
            long[] v = new long[a.length * w];
            for (int i = 0; i < a.length; i++) {
                System.arraycopy(a[i], 0, v, i * w, w);
            }
            return new Nd(new int[] {a.length, w}, v, null, false, "int64", true);
        }

        static Nd ofFloats(float[][] a, boolean oneD) {
            if (a == null || (oneD && a[0] == null)) {
                throw new IllegalArgumentException("a must not be null");
            }
            int[] lens = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                lens[i] = a[i] == null ? -1 : a[i].length;
            }
            int w = width(a, lens);
            double[] v = new double[a.length * w];
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < w; j++) {
                    v[i * w + j] = a[i][j];
                }
            }
            return new Nd(oneD ? new int[] {w} : new int[] {a.length, w}, null, v, true, "float32", false);
        }

        static Nd ofDoubles(double[][] a, boolean oneD) {
            if (a == null || (oneD && a[0] == null)) {
                throw new IllegalArgumentException("a must not be null");
            }
            int[] lens = new int[a.length];
            for (int i = 0; i < a.length; i++) {
                lens[i] = a[i] == null ? -1 : a[i].length;
            }
            int w = width(a, lens);
            double[] v = new double[a.length * w];
            for (int i = 0; i < a.length; i++) {
                System.arraycopy(a[i], 0, v, i * w, w);
            }
            return new Nd(oneD ? new int[] {w} : new int[] {a.length, w}, null, v, false, "float64", true);
        }

        static Nd of(INDArray a) {
            if (a == null) {
                throw new IllegalArgumentException("a must not be null");
            }
            long[] ls = a.shape();
            int[] shape = new int[ls.length];
            for (int i = 0; i < ls.length; i++) {
                shape[i] = Math.toIntExact(ls[i]);
            }
            DataType t = a.dataType();
            INDArray c = a.isEmpty() ? a : a.dup('c');
            int n = Math.toIntExact(a.length());
            if (t.isIntType()) {
                long[] v = n == 0 || a.isEmpty() ? new long[0] : c.reshape(n).toLongVector();
                String name = switch (t) {
                    case BYTE -> "int8";
                    case SHORT -> "int16";
                    case INT -> "int32";
                    case UBYTE -> "uint8";
                    case UINT16 -> "uint16";
                    case UINT32 -> "uint32";
                    case UINT64 -> "uint64";
                    default -> "int64";
                };
                return new Nd(shape, v, null, false, name, name.equals("int64"));
            }
            if (t.isFPType()) {
                double[] v = n == 0 || a.isEmpty() ? new double[0] : c.reshape(n).castTo(DataType.DOUBLE).toDoubleVector();
                boolean f32 = t != DataType.DOUBLE;
                if (t == DataType.HALF || t == DataType.BFLOAT16) {
                    f32 = true; // printed with float32 round-trip digits; numpy has no bfloat16
                }
                return new Nd(shape, null, v, f32, t == DataType.DOUBLE ? "float64" : t == DataType.HALF ? "float16" : "float32",
                        t == DataType.DOUBLE);
            }
            throw new IllegalArgumentException("a has data type " + t + "; NdFormat prints integer and floating-point arrays only");
        }
    }

    // ------------------------------------------------------------------ numpy's array2string

    private static String str(Nd nd) {
        if (nd.shape().length == 0) {
            return element(nd, 0, List.of(0));
        }
        if (nd.size() == 0) {
            return "[]";
        }
        return formatArray(nd, LINEWIDTH, " ", " ");
    }

    private static String repr(Nd nd) {
        String prefix = "array(";
        boolean skipDtype = nd.dtypeImplied() && nd.size() > 0;
        String body;
        if (nd.size() > 0 || (nd.shape().length == 1)) {
            body = nd.size() == 0 ? "[]" : formatArray(nd, LINEWIDTH - 1 /* len(")") or len(",") */, ", ", " ".repeat(prefix.length() + 1));
        } else {
            StringBuilder sh = new StringBuilder("(");
            for (int i = 0; i < nd.shape().length; i++) {
                sh.append(i == 0 ? "" : ", ").append(nd.shape()[i]);
            }
            if (nd.shape().length == 1) {
                sh.append(',');
            }
            body = "[], shape=" + sh.append(')');
        }
        String arr = prefix + body + (skipDtype ? ")" : ",");
        if (skipDtype) {
            return arr;
        }
        String dtypeStr = "dtype=" + nd.dtype() + ")";
        int lastLineLen = arr.length() - (arr.lastIndexOf('\n') + 1);
        String spacer = lastLineLen + dtypeStr.length() + 1 > LINEWIDTH ? "\n" + " ".repeat(prefix.length()) : " ";
        return arr + spacer + dtypeStr;
    }

    private static String formatArray(Nd nd, int lineWidth, String separator, String nextLinePrefix) {
        boolean summary = nd.size() > THRESHOLD;
        List<Integer> shown = new ArrayList<>();
        collectShown(nd, 0, 0, summary, shown);
        ElementFormat fmt = nd.isFloat() ? FloatFormat.fill(nd, shown) : IntFormat.fill(nd, shown);
        return recurse(nd, fmt, 0, 0, nextLinePrefix, lineWidth, separator, summary);
    }

    private static int stride(Nd nd, int axis) {
        int s = 1;
        for (int k = axis + 1; k < nd.shape().length; k++) {
            s *= nd.shape()[k];
        }
        return s;
    }

    private static void collectShown(Nd nd, int axis, int offset, boolean summary, List<Integer> out) {
        if (axis == nd.shape().length) {
            out.add(offset);
            return;
        }
        int len = nd.shape()[axis];
        int st = stride(nd, axis);
        boolean cut = summary && 2 * EDGEITEMS < len;
        for (int i = 0; i < len; i++) {
            if (cut && i >= EDGEITEMS && i < len - EDGEITEMS) {
                continue;
            }
            collectShown(nd, axis + 1, offset + i * st, summary, out);
        }
    }

    private static String recurse(Nd nd, ElementFormat fmt, int axis, int offset, String hanging, int currWidth, String sep,
                                  boolean summary) {
        int axesLeft = nd.shape().length - axis;
        if (axesLeft == 0) {
            return fmt.format(offset);
        }
        String nextHanging = hanging + " ";
        int nextWidth = currWidth - 1; // len(']')
        int len = nd.shape()[axis];
        int st = stride(nd, axis);
        boolean showSummary = summary && 2 * EDGEITEMS < len;
        int leading = showSummary ? EDGEITEMS : 0;
        int trailing = showSummary ? EDGEITEMS : len;
        StringBuilder s = new StringBuilder();
        if (axesLeft == 1) {
            int elemWidth = currWidth - Math.max(sep.stripTrailing().length(), 1);
            StringBuilder line = new StringBuilder(hanging);
            for (int i = 0; i < leading; i++) {
                extendLine(s, line, recurse(nd, fmt, axis + 1, offset + i * st, nextHanging, nextWidth, sep, summary), elemWidth, hanging);
                line.append(sep);
            }
            if (showSummary) {
                extendLine(s, line, "...", elemWidth, hanging);
                line.append(sep);
            }
            for (int i = trailing; i > 1; i--) {
                extendLine(s, line, recurse(nd, fmt, axis + 1, offset + (len - i) * st, nextHanging, nextWidth, sep, summary),
                        elemWidth, hanging);
                line.append(sep);
            }
            extendLine(s, line, recurse(nd, fmt, axis + 1, offset + (len - 1) * st, nextHanging, nextWidth, sep, summary),
                    elemWidth, hanging);
            s.append(line);
        } else {
            String lineSep = sep.stripTrailing() + "\n".repeat(axesLeft - 1);
            for (int i = 0; i < leading; i++) {
                s.append(hanging).append(recurse(nd, fmt, axis + 1, offset + i * st, nextHanging, nextWidth, sep, summary))
                        .append(lineSep);
            }
            if (showSummary) {
                s.append(hanging).append("...").append(lineSep);
            }
            for (int i = trailing; i > 1; i--) {
                s.append(hanging).append(recurse(nd, fmt, axis + 1, offset + (len - i) * st, nextHanging, nextWidth, sep, summary))
                        .append(lineSep);
            }
            s.append(hanging).append(recurse(nd, fmt, axis + 1, offset + (len - 1) * st, nextHanging, nextWidth, sep, summary));
        }
        return "[" + s.substring(hanging.length()) + "]";
    }

    /** numpy's {@code _extendLine}: wrap before {@code word} if it would pass {@code width}, unless the line holds only the indent. */
    private static void extendLine(StringBuilder s, StringBuilder line, String word, int width, String hanging) {
        boolean needsWrap = line.length() + word.length() > width;
        if (line.length() <= hanging.length()) {
            needsWrap = false;
        }
        if (needsWrap) {
            s.append(line.toString().stripTrailing()).append('\n');
            line.setLength(0);
            line.append(hanging);
        }
        line.append(word);
    }

    private static String element(Nd nd, int offset, List<Integer> shown) {
        ElementFormat fmt = nd.isFloat() ? FloatFormat.fill(nd, shown) : IntFormat.fill(nd, shown);
        return fmt.format(offset).strip();
    }

    // ------------------------------------------------------------------ element formatters

    private interface ElementFormat {
        String format(int offset);
    }

    /** numpy's {@code IntegerFormat}: right-justify to the widest shown value. */
    private record IntFormat(long[] v, int width) implements ElementFormat {
        static IntFormat fill(Nd nd, List<Integer> shown) {
            int w = 0;
            for (int k : shown) {
                w = Math.max(w, Long.toString(nd.ints()[k]).length());
            }
            return new IntFormat(nd.ints(), w);
        }

        @Override
        public String format(int offset) {
            String s = Long.toString(v[offset]);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }

    /** numpy's {@code FloatingFormat} with {@code floatmode='maxprec'}, {@code precision=8}, {@code sign='-'}. */
    private record FloatFormat(double[] v, boolean float32, boolean exp, int padLeft, int padRight, int precision, int expSize)
            implements ElementFormat {

        static FloatFormat fill(Nd nd, List<Integer> shown) {
            double[] v = nd.floats();
            boolean f32 = nd.float32();
            List<Double> finite = new ArrayList<>();
            boolean anyNonFinite = false;
            boolean negInf = false;
            double maxVal = 0;
            double minVal = Double.POSITIVE_INFINITY;
            for (int k : shown) {
                double x = v[k];
                if (Double.isFinite(x)) {
                    finite.add(x);
                    double ax = Math.abs(x);
                    if (ax != 0) {
                        maxVal = Math.max(maxVal, ax);
                        minVal = Math.min(minVal, ax);
                    }
                } else {
                    anyNonFinite = true;
                    negInf |= x == Double.NEGATIVE_INFINITY;
                }
            }
            boolean exp = maxVal != 0 && (maxVal >= 1e8 || minVal < 0.0001 || maxVal / minVal > 1000.);
            int padLeft = 0;
            int padRight = 0;
            int precision = PRECISION;
            int expSize = -1;
            if (!finite.isEmpty()) {
                if (exp) {
                    int maxFrac = 0;
                    for (double x : finite) {
                        String[] p = scientific(x, f32, PRECISION, 0);
                        padLeft = Math.max(padLeft, p[0].length());
                        maxFrac = Math.max(maxFrac, p[1].length());
                        expSize = Math.max(expSize, p[2].length() - 1);
                    }
                    precision = maxFrac;
                    padRight = expSize + 2 + precision;
                } else {
                    for (double x : finite) {
                        String[] p = positional(x, f32);
                        padLeft = Math.max(padLeft, p[0].length());
                        padRight = Math.max(padRight, p[1].length());
                    }
                }
            }
            if (anyNonFinite) {
                int offset = padRight + 1;
                padLeft = Math.max(padLeft, Math.max(3 - offset, 3 + (negInf ? 1 : 0) - offset));
            }
            return new FloatFormat(v, f32, exp, padLeft, padRight, precision, expSize);
        }

        @Override
        public String format(int offset) {
            double x = v[offset];
            if (!Double.isFinite(x)) {
                String r = Double.isNaN(x) ? "nan" : x < 0 ? "-inf" : "inf";
                return " ".repeat(Math.max(0, padLeft + padRight + 1 - r.length())) + r;
            }
            if (exp) {
                String[] p = scientific(x, float32, precision, precision);
                String e = p[2];
                String digits = e.substring(1);
                digits = "0".repeat(Math.max(0, expSize - digits.length())) + digits;
                return " ".repeat(Math.max(0, padLeft - p[0].length())) + p[0] + "." + p[1] + "e" + e.charAt(0) + digits;
            }
            String[] p = positional(x, float32);
            return " ".repeat(Math.max(0, padLeft - p[0].length())) + p[0] + "." + p[1]
                    + " ".repeat(Math.max(0, padRight - p[1].length()));
        }
    }

    /** Shortest decimal that reads back as the same float32/float64 (Dragon4 "unique" digits). */
    static BigDecimal shortest(double x, boolean float32) {
        if (x == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal exact = new BigDecimal(x);
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            String s = r.toString();
            if (float32 ? Float.parseFloat(s) == (float) x : Double.parseDouble(s) == x) {
                return r;
            }
        }
        return exact;
    }

    /** Positional digits {int part with sign, fraction without trailing zeros}, at most 8 decimals. */
    private static String[] positional(double x, boolean float32) {
        BigDecimal b = shortest(x, float32);
        if (b.scale() > PRECISION) {
            b = new BigDecimal(x).setScale(PRECISION, RoundingMode.HALF_EVEN);
        }
        String plain = b.abs().stripTrailingZeros().toPlainString();
        int dot = plain.indexOf('.');
        String ip = dot < 0 ? plain : plain.substring(0, dot);
        String fp = dot < 0 ? "" : plain.substring(dot + 1);
        boolean neg = x < 0 || (x == 0 && 1 / x < 0);
        return new String[] {(neg ? "-" : "") + ip, fp};
    }

    /** Scientific digits {sign + leading digit, fraction (min {@code minDigits}, max {@code precision}), exponent with sign}. */
    private static String[] scientific(double x, boolean float32, int precision, int minDigits) {
        boolean neg = x < 0 || (x == 0 && 1 / x < 0);
        String digits;
        int exponent;
        if (x == 0) {
            digits = "0";
            exponent = 0;
        } else {
            BigDecimal b = shortest(Math.abs(x), float32).stripTrailingZeros();
            if (b.precision() - 1 > precision) {
                b = new BigDecimal(Math.abs(x)).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN)).stripTrailingZeros();
            }
            digits = b.unscaledValue().toString();
            exponent = digits.length() - 1 - b.scale();
        }
        String frac = digits.substring(1);
        if (frac.length() < minDigits) {
            frac = frac + "0".repeat(minDigits - frac.length());
        }
        String e = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        return new String[] {(neg ? "-" : "") + digits.charAt(0), frac, e};
    }
}
