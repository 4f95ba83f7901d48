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
 * <p>Layout (chosen so that every hot loop is an {@code axpy} {@code y[c] += row[c] * a} over two
 * arrays indexed alike, the form JDK 17's C2 auto-vectorises; a shifted index such as
 * {@code w[base + c]} or a dot-product reduction is not vectorised and ran 4-5x slower here): weights
 * are stored as <em>input-major rows</em>, {@code w[i][c]} is the weight from input {@code i} to fused
 * output {@code c} (the transpose of torch's {@code weight[c][i]}), so the forward pass adds rows. The
 * input gradient needs the other orientation, so the dense part is also kept <em>output-major</em>,
 * {@code wt[c][j] = w[oneHotRows + j][c]}, with its own gradient {@code gwt}; both copies receive the
 * same SGD step and stay equal. Gradients accumulate over the time steps of one name, as in autograd,
 * until {@link #zeroGrad()}.
 */
final class LinearBlock {

    final String[] names;
    final int[] outFeatures;
    final int[] offsets;
    final int oneHotRows;
    final int denseRows;
    final int in;
    final int g;
    /** {@code w[i][c]}: input-major rows, {@code in × G}. */
    final float[][] w;
    /** {@code wt[c][j] = w[oneHotRows + j][c]}: output-major copy of the dense part, {@code G × denseRows}. */
    final float[][] wt;
    final float[] b;
    final float[][] gw;
    final float[][] gwt;
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
        this.w = new float[in][g];
        this.gw = new float[in][g];
        this.wt = new float[g][denseRows];
        this.gwt = new float[g][denseRows];
        this.b = new float[g];
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
                    w[i][c] = (2f * rnd.nextFloat() - 1f) * bound;
                }
            }
            for (int c = offsets[k]; c < offsets[k] + outFeatures[k]; c++) {
                b[c] = (2f * rnd.nextFloat() - 1f) * bound;
            }
        }
        syncTransposed();
    }

    private void syncTransposed() {
        for (int j = 0; j < denseRows; j++) {
            float[] row = w[oneHotRows + j];
            for (int c = 0; c < g; c++) {
                wt[c][j] = row[c];
            }
        }
    }

    /** {@code y[c] += x[c] * a} for {@code c in [from, to)}: the one kernel everything is built on. */
    private static void axpy(float[] y, float[] x, float a, int from, int to) {
        for (int c = from; c < to; c++) {
            y[c] += x[c] * a;
        }
    }

    /**
     * {@code pre[c] = b[c] + w[letter][c] + sum_j x[xOff + j] * w[oneHotRows + j][c]} for
     * {@code c in [from, to)}; {@code letter < 0} means no one-hot part. {@code x} may be {@code null}
     * (all zeros, e.g. the initial hidden state).
     */
    void forward(int letter, float[] x, int xOff, int from, int to, float[] pre) {
        System.arraycopy(b, from, pre, from, to - from);
        if (letter >= 0) {
            axpy(pre, w[letter], 1f, from, to);
        }
        if (x == null) {
            return;
        }
        for (int j = 0; j < denseRows; j++) {
            float xj = x[xOff + j];
            if (xj != 0f) {
                axpy(pre, w[oneHotRows + j], xj, from, to);
            }
        }
    }

    /**
     * Accumulates the gradients for one call of {@link #forward} given {@code dpre = dL/dpre} on
     * {@code [from, to)}, and writes {@code dx[dxOff + j] = dL/dx[j]} for the dense input if
     * {@code dx != null}. {@code x == null} means the dense input was all zeros.
     */
    void backward(int letter, float[] x, int xOff, int from, int to, float[] dpre, float[] dx, int dxOff) {
        axpy(gb, dpre, 1f, from, to);
        if (letter >= 0) {
            axpy(gw[letter], dpre, 1f, from, to);
            if (!touched[letter]) {
                touched[letter] = true;
                touchedList[touchedCount++] = letter;
            }
        }
        if (x != null) {
            for (int j = 0; j < denseRows; j++) {
                float xj = x[xOff + j];
                if (xj != 0f) {
                    axpy(gw[oneHotRows + j], dpre, xj, from, to);
                }
            }
        }
        if (dx != null) {
            java.util.Arrays.fill(dx, dxOff, dxOff + denseRows, 0f);
        }
        if (dx == null && x == null) {
            return;
        }
        // output-major side: gwt[c] += dpre[c] * x and dx += dpre[c] * wt[c], both axpys over j
        float[] xs = x;
        if (x != null && xOff != 0) {
            xs = scratch(x, xOff);
        }
        float[] dxs = dx == null ? null : (dxOff == 0 ? dx : dxScratch());
        if (dxs != null && dxs != dx) {
            java.util.Arrays.fill(dxs, 0f);
        }
        for (int c = from; c < to; c++) {
            float d = dpre[c];
            if (d == 0f) {
                continue;
            }
            if (xs != null) {
                axpy(gwt[c], xs, d, 0, denseRows);
            }
            if (dxs != null) {
                axpy(dxs, wt[c], d, 0, denseRows);
            }
        }
        if (dxs != null && dxs != dx) {
            System.arraycopy(dxs, 0, dx, dxOff, denseRows);
        }
    }

    private float[] xScratch;
    private float[] dxScratchBuf;

    /** {@code x[xOff .. xOff + denseRows)} copied to a reused buffer indexed from 0 (keeps the axpy unshifted). */
    private float[] scratch(float[] x, int xOff) {
        if (xScratch == null) {
            xScratch = new float[denseRows];
        }
        System.arraycopy(x, xOff, xScratch, 0, denseRows);
        return xScratch;
    }

    private float[] dxScratch() {
        if (dxScratchBuf == null) {
            dxScratchBuf = new float[denseRows];
        }
        return dxScratchBuf;
    }

    /** Zeroes the gradients (torch's zero_grad); only rows that can be non-zero are cleared. */
    void zeroGrad() {
        for (int t = 0; t < touchedCount; t++) {
            int letter = touchedList[t];
            Arrays.fill(gw[letter], 0f);
            touched[letter] = false;
        }
        touchedCount = 0;
        for (int i = oneHotRows; i < in; i++) {
            Arrays.fill(gw[i], 0f);
        }
        for (int c = 0; c < g; c++) {
            Arrays.fill(gwt[c], 0f);
        }
        Arrays.fill(gb, 0f);
    }

    /** {@code p -= lr * p.grad} for every parameter (both copies); rows whose gradient is zero are skipped. */
    void sgdStep(float lr) {
        for (int t = 0; t < touchedCount; t++) {
            int letter = touchedList[t];
            axpy(w[letter], gw[letter], -lr, 0, g);
        }
        for (int i = oneHotRows; i < in; i++) {
            axpy(w[i], gw[i], -lr, 0, g);
        }
        for (int c = 0; c < g; c++) {
            axpy(wt[c], gwt[c], -lr, 0, denseRows);
        }
        axpy(b, gb, -lr, 0, g);
    }

    int parameterCount() {
        return in * g + g;
    }

    /** Adds {@code <name>.weight [out][in]} and {@code <name>.bias [out]} in torch layout. */
    void export(Map<String, Tensor> into, boolean gradients) {
        float[][] ws = gradients ? gw : w;
        float[] bs = gradients ? gb : b;
        for (int k = 0; k < names.length; k++) {
            int out = outFeatures[k];
            float[] tw = new float[out * in];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    tw[o * in + i] = ws[i][offsets[k] + o];
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
            require(from, names[k] + ".weight", new int[] {out, in}, owner);
            require(from, names[k] + ".bias", new int[] {out}, owner);
        }
        for (int k = 0; k < names.length; k++) {
            int out = outFeatures[k];
            float[] tw = from.get(names[k] + ".weight").data();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[i][offsets[k] + o] = tw[o * in + i];
                }
            }
            System.arraycopy(from.get(names[k] + ".bias").data(), 0, b, offsets[k], out);
        }
        syncTransposed();
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
