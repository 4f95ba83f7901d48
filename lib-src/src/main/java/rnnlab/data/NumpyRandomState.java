package rnnlab.data;

/**
 * A bit-exact Java port of the parts of {@code numpy.random.RandomState} that Keras's dataset
 * loaders use: integer seeding ({@code init_genrand} of MT19937), {@code shuffle} of a 1-D array
 * and {@code permutation(n)}. {@code keras.datasets.imdb.load_data(seed=...)} shuffles with exactly
 * this, so the same seed gives the same order as in Python.
 *
 * <p>Hand-written because no library on the classpath reproduces numpy's bounded-integer sampling
 * (masked rejection in {@code random_interval}); commons-math3's {@code MersenneTwister} seeds
 * differently for seeds at or above 2^31. Not thread-safe.
 */
public final class NumpyRandomState {

    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;

    /** Mirrors {@code np.random.RandomState(seed)} for {@code 0 <= seed <= 2^32-1}. */
    public NumpyRandomState(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("seed must be between 0 and 2**32 - 1 (as numpy requires), got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            long prev = mt[i - 1] & 0xffffffffL;
            mt[i] = (int) (1812433253L * (prev ^ (prev >>> 30)) + i);
        }
        mti = N;
    }

    /** The next raw 32-bit output of MT19937, as an unsigned value in a long. */
    public long nextUint32() {
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
            int v = mt[(k + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                v ^= 0x9908b0df;
            }
            mt[k] = v;
        }
        mti = 0;
    }

    /** numpy's {@code random_interval(max)}: uniform in [0, max] by masked rejection (max < 2^32 here). */
    long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUint32() & mask;
        } while (value > max);
        return value;
    }

    /** In-place Fisher–Yates shuffle exactly as {@code RandomState.shuffle} does it on a 1-D array. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i >= 1; i--) {
            int j = (int) interval(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Mirrors {@code RandomState.permutation(n)}: a shuffled {@code arange(n)}. */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        shuffle(a);
        return a;
    }
}
