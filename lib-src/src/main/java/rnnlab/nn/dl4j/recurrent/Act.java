package rnnlab.nn.dl4j.recurrent;

/**
 * The activations of the fused kernels, overloaded by precision so that {@link FusedKernelF} and its
 * generated double twin {@link FusedKernelD} share one source. Float: a rational minimax
 * approximation of tanh (degree 13/6 odd/even polynomials on [-7.9053, 7.9053], clamped outside,
 * the coefficients Eigen uses for its float tanh), absolute error below 3e-7, which C2 vectorises
 * (no call, only multiply-adds, a division and min/max) and which ran about 20x faster than
 * {@code Math.exp} here; sigmoid(x) = (1 + tanh(x/2)) / 2. Double: the exact {@code Math} functions,
 * as DL4J's gradient checks need. Package-private.
 */
final class Act {

    private Act() {
    }

    private static final float CLAMP = 7.90531110763549805f;

    static float tanh(float x) {
        float v = Math.max(-CLAMP, Math.min(CLAMP, x));
        float x2 = v * v;
        float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
        p = x2 * p + -8.60467152213735e-11f;
        p = x2 * p + 5.12229709037114e-08f;
        p = x2 * p + 1.48572235717979e-05f;
        p = x2 * p + 6.37261928875436e-04f;
        p = x2 * p + 4.89352455891786e-03f;
        p = v * p;
        float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
        q = x2 * q + 2.26843463243900e-03f;
        q = x2 * q + 4.89352518554385e-03f;
        return p / q;
    }

    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    /**
     * Gradient values below this in magnitude (2^-100) are set to 0 by the kernels' backward loops
     * ({@link #flush}). Gradients that flow back through hundreds of steps shrink geometrically (by the
     * forget gate, tanh' and the recurrent weights at every step) until they reach float's subnormal
     * range (below 2^-126), and every floating-point operation with a subnormal operand or result takes
     * a slow microcode path: in report 001's BiLSTM as notebook 08 builds it (torch initialisation, no
     * forget bias, 500 steps) 15 % of the first layer's dZ was subnormal and a training step took ~9x the
     * CPU, nearly all of it inside OpenBLAS's GEMM kernel (PyTorch's own step on this CPU: 60 s, 8.5 s
     * with {@code torch.set_flush_denormal(True)}). The margin above 2^-126 keeps the products with the
     * weights that the next GEMMs form normal too. What is dropped is ~25 orders of magnitude below any
     * gradient that moves a weight: added to a normal-sized number it vanishes in rounding anyway, and
     * a parameter whose whole gradient were that small would get an Adam step of order lr·1e-22 (the ε
     * of 1e-8 dominates).
     */
    static final double FLUSH = 0x1p-100;

    /**
     * {@code x[i] = 0} where {@code |x[i]| < }{@link #FLUSH}, for i in [0, n). Integer operations on the
     * bits (C2 vectorises them, and integers know no subnormal penalty): 0.26 ns per value here, where a
     * float compare-and-select took 1.7 ns on data with subnormals.
     */
    static void flush(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            int b = Float.floatToRawIntBits(x[i]);
            int drop = ((b & 0x7fffffff) - ((127 - 100) << 23)) >> 31;   // -1 if the exponent is below -100
            x[i] = Float.intBitsToFloat(b & ~drop);
        }
    }

    /** {@link #flush(float[], int)} for doubles. */
    static void flush(double[] x, int n) {
        for (int i = 0; i < n; i++) {
            long b = Double.doubleToRawLongBits(x[i]);
            long drop = ((b & 0x7fffffffffffffffL) - ((1023L - 100) << 52)) >> 63;
            x[i] = Double.longBitsToDouble(b & ~drop);
        }
    }

    static double tanh(double x) {
        return Math.tanh(x);
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
