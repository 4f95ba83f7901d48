package rnnlab.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Number and HTML formatting shared by the report types: Python-compatible fixed-point formatting
 * (mirrors Python's {@code '%.4f' % x} / {@code '{:.4f}'.format(x)}, which Keras progress lines and
 * scikit-learn's {@code classification_report} use) and minimal HTML escaping.
 *
 * <p>Hand-written because {@link String#format} rounds the shortest decimal representation half-up,
 * while Python rounds the exact binary value half-even: {@code String.format("%.1f", 0.25)} is
 * {@code 0.3} in Java and {@code 0.2} in Python. Using the exact value of the double with
 * {@link RoundingMode#HALF_EVEN} reproduces Python digit for digit.
 */
public final class Format {

    private Format() {
    }

    /**
     * {@code x} with exactly {@code digits} decimals, rounded like Python: {@code fixed(0.83335, 4)}
     * gives the same text as {@code '%.4f' % 0.83335} ({@code 0.8333}, because the double is just
     * below the tie). NaN and infinities print as Python does: {@code nan}, {@code inf}, {@code -inf}.
     */
    public static String fixed(double x, int digits) {
        if (digits < 0) {
            throw new IllegalArgumentException("digits must be >= 0, got " + digits);
        }
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String s = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        // Python keeps the sign of negative values that round to zero ("-0.0000"); BigDecimal drops it.
        if ((x < 0 || (x == 0 && 1 / x < 0)) && !s.startsWith("-")) {
            s = "-" + s;
        }
        return s;
    }

    /**
     * A metric value the way Keras's progress bar prints it: {@code %.4f} when {@code |x| > 1e-3},
     * otherwise {@code %.4e} (Keras's {@code Progbar} rule).
     */
    public static String kerasValue(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x) || Math.abs(x) > 1e-3) {
            return fixed(x, 4);
        }
        return python4e(x);
    }

    /** Python's {@code '%.4e' % x}: mantissa with 4 decimals, exponent with sign and at least two digits. */
    static String python4e(double x) {
        if (x == 0) {
            return (1 / x < 0 ? "-" : "") + "0.0000e+00";
        }
        BigDecimal bd = new BigDecimal(x).round(new java.math.MathContext(5, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        BigDecimal mant = bd.movePointLeft(exp).setScale(4, RoundingMode.HALF_EVEN);
        String e = String.format("%02d", Math.abs(exp));
        return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + e;
    }

}
