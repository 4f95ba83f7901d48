package rnnlab.charrnn;

import java.util.List;

/**
 * The PyTorch tutorial's classification {@code RNN} (char_rnn_classification_tutorial), as report 004
 * trains it:
 * <pre>
 * combined = cat(input, hidden)        # [nLetters + hidden]
 * hidden   = i2h(combined)             # Linear(nLetters + hidden, hidden), no non-linearity
 * output   = LogSoftmax(i2o(combined)) # Linear(nLetters + hidden, nCategories)
 * </pre>
 * The output of the last letter is the prediction; the hidden state starts at zeros
 * ({@code initHidden()}). {@code print(net)} gives
 * {@code RNN((i2h): Linear(185, 128), (i2o): Linear(185, 18), (softmax): LogSoftmax(dim=1))}.
 *
 * <p>Report 004 prints, as "the teacher's original RNN", the tutorial's name-<em>generation</em>
 * network (category + letter + hidden = 205 inputs, 59 outputs, o2o, dropout); the task it reports
 * is this classification network. Hand-written (see {@link CharRnnModel}); {@code i2o} is evaluated
 * only at the last step, the only one whose output is used (values and gradients are unchanged).
 */
public final class CharRnn extends CharRnnModel {

    private final LinearBlock block;
    private final float[] pre;
    private final float[] dpre;
    private final float[] dh;
    private float[] hs = new float[0];

    CharRnn(int nLetters, int hidden, int nCategories) {
        super(nLetters, hidden, nCategories);
        block = new LinearBlock(nLetters, hidden, new String[] {"i2h", "i2o"}, new int[] {hidden, nCategories});
        pre = new float[block.g];
        dpre = new float[block.g];
        dh = new float[hidden];
        ensureCapacity(32);
    }

    @Override
    public Cell cell() {
        return Cell.RNN;
    }

    @Override
    List<LinearBlock> blocks() {
        return List.of(block);
    }

    @Override
    void ensureCapacity(int steps) {
        hs = new float[steps * hidden];
        capacity = steps;
    }

    @Override
    void forwardInternal(int[] letters) {
        int n = letters.length;
        int h = hidden;
        for (int t = 0; t < n - 1; t++) {
            block.forward(letters[t], t == 0 ? null : hs, t * h, 0, h, pre);
            System.arraycopy(pre, 0, hs, (t + 1) * h, h);
        }
        int t = n - 1;
        block.forward(letters[t], t == 0 ? null : hs, t * h, h, h + nCategories, pre);
        logSoftmax(pre, h, nCategories, logProbs);
    }

    @Override
    void backwardInternal(int[] letters) {
        int n = letters.length;
        int h = hidden;
        System.arraycopy(dLogits, 0, dpre, h, nCategories);
        int t = n - 1;
        block.backward(letters[t], t == 0 ? null : hs, t * h, h, h + nCategories, dpre, t == 0 ? null : dh, 0);
        for (t = n - 2; t >= 0; t--) {
            System.arraycopy(dh, 0, dpre, 0, h);
            block.backward(letters[t], t == 0 ? null : hs, t * h, 0, h, dpre, t == 0 ? null : dh, 0);
        }
    }
}
