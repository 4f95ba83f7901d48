package rnnlab.charrnn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One or more {@code torch.nn.Linear} layers that read the same input vector, fused into one weight
 * matrix: the report's {@code i2f, i2i, i2o, i2c} all read {@code combined = cat(input, hidden)}, so
 * their four weight matrices are stored side by side as one {@code [in][G]} matrix with
 * {@code G = sum of out_features}.
 *
 * <p>Hand-written because no library does this at the needed speed: the cells are tiny and run one
 * character at a time, so ND4J's per-op dispatch would dominate. The input is
 * {@code [one-hot letter (oneHotRows) | dense vector (denseRows)]}; a one-hot letter contributes one
 * weight row, so only the dense part costs a matrix-vector product.
 *
 * <p>Layout (chosen so that the hot loops are contiguous and auto-vectorisable by the JIT): weights
 * are stored <em>input-major</em>, {@code w[i * G + c]} is the weight from input {@code i} to fused
 * output {@code c}, i.e. the transpose of torch's {@code weight[c][i]}. The forward pass is then a
 * sequence of {@code axpy}s over contiguous rows, the weight gradient an outer-product {@code axpy},
 * and the input gradient a dot product per row (unrolled with eight independent accumulators).
 * Gradients accumulate over the time steps of one name, as in autograd, until {@link #zeroGrad()}.
 */
final class LinearBlock {

    final String[] names;
    final int[] outFeatures;
    final int[] offsets;
    final int oneHotRows;
    final int denseRows;
    final int in;
    final int g;
    final float[] w;
    final float[] b;
    final float[] gw;
    final float[] gb;
    /** Which one-hot rows have a non-zero gradient since the last {@link #zeroGrad()}. */
    private final boolean[] touched;
    private final int[] touchedList;
    private int touchedCount;

    LinearBlock(int oneHotRows, int denseRows, String[] names, int[] outFeatures) {
        this.names = names.clone();
        this.outFeatures = outFeatures.clone();
        this.offsets = new int[names.length];
        int sum = 0;
        for (int k = 0; k < names.length; k++) {
            offsets[k] = sum;
            sum += outFeatures[k];
        }
        this.oneHotRows = oneHotRows;
        this.denseRows = denseRows;
        this.in = oneHotRows + denseRows;
        this.g = sum;
        this.w = new float[in * g];
        this.b = new float[g];
        this.gw = new float[in * g];
        this.gb = new float[g];
        this.touched = new boolean[Math.max(oneHotRows, 1)];
        this.touchedList = new int[Math.max(oneHotRows, 1)];
    }

    /** torch.nn.Linear's reset_parameters: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias. */
    void resetParameters(Random rnd) {
        float bound = (float) (1.0 / Math.sqrt(in));
        for (int k = 0; k < names.length; k++) {
            for (int c = offsets[k]; c < offsets[k] + outFeatures[k]; c++) {
                for (int i = 0; i < in; i++) {
                    w[i * g + c] = (2f * rnd.nextFloat() - 1f) * bound;
                }
            }
            for (int c = offsets[k]; c < offsets[k] + outFeatures[k]; c++) {
                b[c] = (2f * rnd.nextFloat() - 1f) * bound;
            }
        }
    }

    /**
     * {@code pre[c] = b[c] + w[letter][c] + sum_j x[j] * w[oneHotRows + j][c]} for {@code c in
     * [from, to)}; {@code letter < 0} means no one-hot part. {@code x} may be {@code null} (all zeros,
     * e.g. the initial hidden state).
     */
    void forward(int letter, float[] x, int xOff, int from, int to, float[] pre) {
        final float[] w = this.w;
        final int g = this.g;
        if (letter >= 0) {
            int base = letter * g;
            for (int c = from; c < to; c++) {
                pre[c] = b[c] + w[base + c];
            }
        } else {
            System.arraycopy(b, from, pre, from, to - from);
        }
        if (x == null) {
            return;
        }
        for (int j = 0; j < denseRows; j++) {
            float xj = x[xOff + j];
            if (xj == 0f) {
                continue;
            }
            int base = (oneHotRows + j) * g;
            for (int c = from; c < to; c++) {
                pre[c] += w[base + c] * xj;
            }
        }
    }

    /**
     * Accumulates the gradients for one call of {@link #forward} given {@code dpre = dL/dpre} on
     * {@code [from, to)}, and writes {@code dx[j] = dL/dx[j]} for the dense input if {@code dx != null}.
     * {@code x == null} means the dense input was all zeros.
     */
    void backward(int letter, float[] x, int xOff, int from, int to, float[] dpre, float[] dx, int dxOff) {
        final float[] w = this.w;
        final float[] gw = this.gw;
        final int g = this.g;
        for (int c = from; c < to; c++) {
            gb[c] += dpre[c];
        }
        if (letter >= 0) {
            int base = letter * g;
            for (int c = from; c < to; c++) {
                gw[base + c] += dpre[c];
            }
            if (!touched[letter]) {
                touched[letter] = true;
                touchedList[touchedCount++] = letter;
            }
        }
        for (int j = 0; j < denseRows; j++) {
            int base = (oneHotRows + j) * g;
            if (x != null) {
                float xj = x[xOff + j];
                if (xj != 0f) {
                    for (int c = from; c < to; c++) {
                        gw[base + c] += dpre[c] * xj;
                    }
                }
            }
            if (dx != null) {
                dx[dxOff + j] = dot(w, base, dpre, from, to);
            }
        }
    }

    /** {@code sum_{c in [from,to)} w[base + c] * v[c]} with eight independent partial sums. */
    private static float dot(float[] w, int base, float[] v, int from, int to) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int c = from;
        for (; c + 7 < to; c += 8) {
            int k = base + c;
            s0 += w[k] * v[c];
            s1 += w[k + 1] * v[c + 1];
            s2 += w[k + 2] * v[c + 2];
            s3 += w[k + 3] * v[c + 3];
            s4 += w[k + 4] * v[c + 4];
            s5 += w[k + 5] * v[c + 5];
            s6 += w[k + 6] * v[c + 6];
            s7 += w[k + 7] * v[c + 7];
        }
        for (; c < to; c++) {
            s0 += w[base + c] * v[c];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** Zeroes the gradients (torch's zero_grad); only rows that can be non-zero are cleared. */
    void zeroGrad() {
        for (int t = 0; t < touchedCount; t++) {
            int letter = touchedList[t];
            Arrays.fill(gw, letter * g, (letter + 1) * g, 0f);
            touched[letter] = false;
        }
        touchedCount = 0;
        Arrays.fill(gw, oneHotRows * g, in * g, 0f);
        Arrays.fill(gb, 0f);
    }

    /** {@code p -= lr * p.grad} for every parameter; rows whose gradient is zero are skipped. */
    void sgdStep(float lr) {
        for (int t = 0; t < touchedCount; t++) {
            int base = touchedList[t] * g;
            for (int c = 0; c < g; c++) {
                w[base + c] -= lr * gw[base + c];
            }
        }
        for (int k = oneHotRows * g, end = in * g; k < end; k++) {
            w[k] -= lr * gw[k];
        }
        for (int c = 0; c < g; c++) {
            b[c] -= lr * gb[c];
        }
    }

    int parameterCount() {
        return in * g + g;
    }

    /** Adds {@code <name>.weight [out][in]} and {@code <name>.bias [out]} in torch layout. */
    void export(Map<String, Tensor> into, boolean gradients) {
        float[] ws = gradients ? gw : w;
        float[] bs = gradients ? gb : b;
        for (int k = 0; k < names.length; k++) {
            int out = outFeatures[k];
            float[] tw = new float[out * in];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    tw[o * in + i] = ws[i * g + offsets[k] + o];
                }
            }
            into.put(names[k] + ".weight", new Tensor(new int[] {out, in}, tw));
            into.put(names[k] + ".bias", new Tensor(new int[] {out}, Arrays.copyOfRange(bs, offsets[k], offsets[k] + out)));
        }
    }

    /** Reads {@code <name>.weight} and {@code <name>.bias} in torch layout; checks shapes. */
    void load(Map<String, Tensor> from, String owner) {
        for (int k = 0; k < names.length; k++) {
            int out = outFeatures[k];
            Tensor tw = require(from, names[k] + ".weight", new int[] {out, in}, owner);
            Tensor tb = require(from, names[k] + ".bias", new int[] {out}, owner);
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[i * g + offsets[k] + o] = tw.data()[o * in + i];
                }
            }
            System.arraycopy(tb.data(), 0, b, offsets[k], out);
        }
    }

    private static Tensor require(Map<String, Tensor> from, String key, int[] shape, String owner) {
        Tensor t = from.get(key);
        if (t == null) {
            throw new IllegalArgumentException("stateDict: " + owner + " needs parameter '" + key
                    + "' with shape " + Arrays.toString(shape) + " but it is missing; keys given: " + from.keySet());
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("stateDict: parameter '" + key + "' of " + owner + " has shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(shape)
                    + " (torch layout: weight [out_features, in_features], bias [out_features])");
        }
        return t;
    }

    /** torch's repr lines for the layers of this block, e.g. {@code (i2h): Linear(in_features=185, ...)}. */
    void reprLines(List<String> lines) {
        for (int k = 0; k < names.length; k++) {
            lines.add("(" + names[k] + "): Linear(in_features=" + in + ", out_features=" + outFeatures[k] + ", bias=True)");
        }
    }

    static Map<String, Tensor> newMap() {
        return new LinkedHashMap<>();
    }
}
