package rnnlab.nn.dl4j;

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

    static double tanh(double x) {
        return Math.tanh(x);
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
