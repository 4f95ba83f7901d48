package rnnlab.charrnn;

import java.util.List;

/**
 * The report-004 hand-written {@code LSTM} cell (Listing 1 of the report), reproduced equation by
 * equation:
 * <pre>
 * combined = cat(input, hidden)
 * f = sigmoid(i2f(combined));  i = sigmoid(i2i(combined));  o = sigmoid(i2o(combined))
 * g = tanh(i2c(combined))
 * cell   = f * cell + i * g
 * hidden = o * tanh(cell)
 * output = LogSoftmax(out(hidden))      # out = Linear(hidden, nCategories)
 * </pre>
 * with {@code initHidden()} and {@code initCell()} zeros; every gate sees the same
 * {@code combined = [one-hot letter, previous hidden]} (no peepholes, one bias per gate). The output of
 * the last letter is the prediction, so {@code out} is evaluated only there.
 * {@code print(net)}: {@code LSTM((i2f), (i2i), (i2o), (i2c): Linear(185, 128), (out): Linear(128, 18),
 * (softmax): LogSoftmax(dim=1))}. Hand-written, see {@link CharRnnModel}; the four gate layers are
 * fused into one {@code [185][512]} matrix.
 */
public final class CharLstm extends CharRnnModel {

    private final LinearBlock gates;
    private final LinearBlock out;
    private final float[] pre;
    private final float[] dpre;
    private final float[] logits;
    private final float[] dh;
    private final float[] dc;
    private float[] act = new float[0];
    private float[] cs = new float[0];
    private float[] tanhC = new float[0];
    private float[] hs = new float[0];

    CharLstm(int nLetters, int hidden, int nCategories) {
        super(nLetters, hidden, nCategories);
        gates = new LinearBlock(nLetters, hidden, new String[] {"i2f", "i2i", "i2o", "i2c"},
                new int[] {hidden, hidden, hidden, hidden});
        out = new LinearBlock(0, hidden, new String[] {"out"}, new int[] {nCategories});
        pre = new float[4 * hidden];
        dpre = new float[4 * hidden];
        logits = new float[nCategories];
        dh = new float[hidden];
        dc = new float[hidden];
        ensureCapacity(32);
    }

    @Override
    public Cell cell() {
        return Cell.LSTM;
    }

    @Override
    List<LinearBlock> blocks() {
        return List.of(gates, out);
    }

    @Override
    void ensureCapacity(int steps) {
        act = new float[steps * 4 * hidden];
        cs = new float[(steps + 1) * hidden];
        tanhC = new float[steps * hidden];
        hs = new float[(steps + 1) * hidden];
        capacity = steps;
    }

    @Override
    void forwardInternal(int[] letters) {
        int n = letters.length;
        int h = hidden;
        for (int t = 0; t < n; t++) {
            gates.forward(letters[t], t == 0 ? null : hs, t * h, 0, 4 * h, pre);
            int a = t * 4 * h;
            int prev = t * h;
            int next = (t + 1) * h;
            for (int j = 0; j < h; j++) {
                float f = sigmoid(pre[j]);
                float i = sigmoid(pre[h + j]);
                float o = sigmoid(pre[2 * h + j]);
                float g = tanh(pre[3 * h + j]);
                act[a + j] = f;
                act[a + h + j] = i;
                act[a + 2 * h + j] = o;
                act[a + 3 * h + j] = g;
                float cPrev = t == 0 ? 0f : cs[prev + j];
                float c = f * cPrev + i * g;
                float tc = tanh(c);
                cs[next + j] = c;
                tanhC[prev + j] = tc;
                hs[next + j] = o * tc;
            }
        }
        out.forward(-1, hs, n * h, 0, nCategories, logits);
        logSoftmax(logits, 0, nCategories, logProbs);
    }

    @Override
    void backwardInternal(int[] letters) {
        int n = letters.length;
        int h = hidden;
        out.backward(-1, hs, n * h, 0, nCategories, dLogits, dh, 0);
        java.util.Arrays.fill(dc, 0f);
        for (int t = n - 1; t >= 0; t--) {
            int a = t * 4 * h;
            int prev = t * h;
            for (int j = 0; j < h; j++) {
                float f = act[a + j];
                float i = act[a + h + j];
                float o = act[a + 2 * h + j];
                float g = act[a + 3 * h + j];
                float cPrev = t == 0 ? 0f : cs[prev + j];
                float tc = tanhC[prev + j];
                float dcj = dc[j] + dh[j] * o * (1f - tc * tc);
                dpre[j] = dcj * cPrev * f * (1f - f);
                dpre[h + j] = dcj * g * i * (1f - i);
                dpre[2 * h + j] = dh[j] * tc * o * (1f - o);
                dpre[3 * h + j] = dcj * i * (1f - g * g);
                dc[j] = dcj * f;
            }
            gates.backward(letters[t], t == 0 ? null : hs, prev, 0, 4 * h, dpre, t == 0 ? null : dh, 0);
        }
    }
}
