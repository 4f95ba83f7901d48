package rnnlab.charrnn;

import java.util.List;

/**
 * The report-004 hand-written {@code GRU} cell. The report prints only its structure
 * ({@code (i2z), (i2r), (i2n): Linear(185, 128), (out): Linear(128, 18), (softmax): LogSoftmax(dim=1)}),
 * not its {@code forward}; with three {@code Linear(input + hidden, hidden)} layers the reset gate can
 * only act on the hidden part of {@code i2n}'s input, so this class uses (our documented choice):
 * <pre>
 * combined = cat(input, hidden)
 * z = sigmoid(i2z(combined))                      # update gate
 * r = sigmoid(i2r(combined))                      # reset gate
 * n = tanh(i2n(cat(input, r * hidden)))           # candidate: reset applied before the matmul
 * hidden = (1 - z) * n + z * hidden               # PyTorch's convention for which side z keeps
 * output = LogSoftmax(out(hidden))
 * </pre>
 * i.e. Cho et al. (2014)'s original GRU ("reset before", Keras {@code reset_after=False}), not
 * torch.nn.GRU's {@code r * (W_hn h + b_hn)}. The hidden state starts at zeros; the output of the last
 * letter is the prediction. Hand-written, see {@link CharRnnModel}; i2z and i2r are fused into one
 * {@code [185][256]} matrix.
 */
public final class CharGru extends CharRnnModel {

    private final LinearBlock zr;
    private final LinearBlock cand;
    private final LinearBlock out;
    private final float[] pre;
    private final float[] preN;
    private final float[] dpre;
    private final float[] dpreN;
    private final float[] logits;
    private final float[] dh;
    private final float[] dhPrev;
    private final float[] drh;
    private final float[] tmp;
    private float[] act = new float[0];
    private float[] ns = new float[0];
    private float[] rh = new float[0];
    private float[] hs = new float[0];

    CharGru(int nLetters, int hidden, int nCategories) {
        super(nLetters, hidden, nCategories);
        zr = new LinearBlock(nLetters, hidden, new String[] {"i2z", "i2r"}, new int[] {hidden, hidden});
        cand = new LinearBlock(nLetters, hidden, new String[] {"i2n"}, new int[] {hidden});
        out = new LinearBlock(0, hidden, new String[] {"out"}, new int[] {nCategories});
        pre = new float[2 * hidden];
        preN = new float[hidden];
        dpre = new float[2 * hidden];
        dpreN = new float[hidden];
        logits = new float[nCategories];
        dh = new float[hidden];
        dhPrev = new float[hidden];
        drh = new float[hidden];
        tmp = new float[hidden];
        ensureCapacity(32);
    }

    @Override
    public Cell cell() {
        return Cell.GRU;
    }

    @Override
    List<LinearBlock> blocks() {
        return List.of(zr, cand, out);
    }

    @Override
    void ensureCapacity(int steps) {
        act = new float[steps * 2 * hidden];
        ns = new float[steps * hidden];
        rh = new float[steps * hidden];
        hs = new float[(steps + 1) * hidden];
        capacity = steps;
    }

    @Override
    void forwardInternal(int[] letters) {
        int n = letters.length;
        int h = hidden;
        for (int t = 0; t < n; t++) {
            int prev = t * h;
            int next = (t + 1) * h;
            int a = 2 * prev;
            zr.forward(letters[t], t == 0 ? null : hs, prev, 0, 2 * h, pre);
            for (int j = 0; j < h; j++) {
                float z = sigmoid(pre[j]);
                float r = sigmoid(pre[h + j]);
                act[a + j] = z;
                act[a + h + j] = r;
                rh[prev + j] = t == 0 ? 0f : r * hs[prev + j];
            }
            cand.forward(letters[t], t == 0 ? null : rh, prev, 0, h, preN);
            for (int j = 0; j < h; j++) {
                float z = act[a + j];
                float nj = tanh(preN[j]);
                ns[prev + j] = nj;
                float hPrev = t == 0 ? 0f : hs[prev + j];
                hs[next + j] = (1f - z) * nj + z * hPrev;
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
        for (int t = n - 1; t >= 0; t--) {
            int prev = t * h;
            int a = 2 * prev;
            boolean first = t == 0;
            for (int j = 0; j < h; j++) {
                float z = act[a + j];
                float nj = ns[prev + j];
                float hPrev = first ? 0f : hs[prev + j];
                float dhj = dh[j];
                dpreN[j] = dhj * (1f - z) * (1f - nj * nj);
                dpre[j] = dhj * (hPrev - nj) * z * (1f - z);
                dhPrev[j] = dhj * z;
            }
            cand.backward(letters[t], first ? null : rh, prev, 0, h, dpreN, first ? null : drh, 0);
            for (int j = 0; j < h; j++) {
                float r = act[a + h + j];
                float hPrev = first ? 0f : hs[prev + j];
                float dRh = first ? 0f : drh[j];
                dpre[h + j] = dRh * hPrev * r * (1f - r);
                dhPrev[j] += dRh * r;
            }
            zr.backward(letters[t], first ? null : hs, prev, 0, 2 * h, dpre, first ? null : tmp, 0);
            if (!first) {
                for (int j = 0; j < h; j++) {
                    dh[j] = dhPrev[j] + tmp[j];
                }
            }
        }
    }
}
