package rnnlab.charrnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A character-level recurrent classifier of report 004 (PyTorch tutorial "Classifying Names with a
 * Character-Level RNN"): it reads a name one letter (one-hot, {@code nLetters} wide) at a time from a
 * zero initial state ({@code initHidden()}) and returns {@code LogSoftmax} scores over
 * {@code nCategories} languages from the last step.
 *
 * <p>The three networks are {@link CharRnn} (the tutorial's {@code RNN}: i2h, i2o), {@link CharLstm}
 * (the report's hand-written {@code LSTM}: i2f, i2i, i2o, i2c, out) and {@link CharGru} (the report's
 * {@code GRU}: i2z, i2r, i2n, out). Parameters and gradients are exchanged in PyTorch's
 * {@code state_dict()} names and layout ({@link #stateDict()}, {@link #loadStateDict(Map)},
 * {@link #gradients()}); {@link #toString()} is torch's {@code print(net)}.
 *
 * <p><b>Hand-written on purpose.</b> The report's teaching point is the hand-written cell, and these
 * cells are tiny (hidden 128) and run one character at a time, where ND4J's per-op dispatch
 * (tens of microseconds per op) would dominate. So forward and backward (back-propagation through the
 * name's characters) are written out over plain {@code float[]} arrays with contiguous loops the JIT
 * vectorises, and no allocation per step (buffers grow only when a longer name arrives). Not
 * thread-safe: one model is trained or evaluated by one thread at a time.
 */
public abstract sealed class CharRnnModel permits CharRnn, CharLstm, CharGru {

    /** The three networks of report 004. */
    public enum Cell {
        /** The tutorial's RNN (i2h, i2o, LogSoftmax). */
        RNN,
        /** The report's hand-written LSTM cell (i2f, i2i, i2o, i2c, out, LogSoftmax). */
        LSTM,
        /** The report's hand-written GRU cell (i2z, i2r, i2n, out, LogSoftmax). */
        GRU
    }

    /** The tutorial's hidden size. */
    public static final int DEFAULT_HIDDEN = 128;

    protected final int nLetters;
    protected final int hidden;
    protected final int nCategories;
    /** Log-probabilities of the last forward pass. */
    protected final float[] logProbs;
    protected final float[] dLogits;
    /** Capacity (in time steps) of the per-step buffers. */
    protected int capacity;

    CharRnnModel(int nLetters, int hidden, int nCategories) {
        if (nLetters < 1) {
            throw new IllegalArgumentException("nLetters must be >= 1 (the tutorial uses 57: ASCII letters + \" .,;'\"), got " + nLetters);
        }
        if (hidden < 1) {
            throw new IllegalArgumentException("hidden must be >= 1 (the tutorial uses 128), got " + hidden);
        }
        if (nCategories < 2) {
            throw new IllegalArgumentException("nCategories must be >= 2 (the names corpus has 18 languages), got " + nCategories);
        }
        this.nLetters = nLetters;
        this.hidden = hidden;
        this.nCategories = nCategories;
        this.logProbs = new float[nCategories];
        this.dLogits = new float[nCategories];
    }

    /**
     * Builds one of the three networks with torch.nn.Linear's initialisation
     * (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases) from a seeded {@link Random}.
     *
     * @param cell        which network
     * @param nLetters    input size (57 for the tutorial's alphabet)
     * @param hidden      hidden size (128 in the tutorial and the report)
     * @param nCategories output size (18 languages)
     * @param seed        seed for the initial weights
     */
    public static CharRnnModel create(Cell cell, int nLetters, int hidden, int nCategories, long seed) {
        if (cell == null) {
            throw new IllegalArgumentException("cell must be one of " + List.of(Cell.values()) + ", got null");
        }
        CharRnnModel m = switch (cell) {
            case RNN -> new CharRnn(nLetters, hidden, nCategories);
            case LSTM -> new CharLstm(nLetters, hidden, nCategories);
            case GRU -> new CharGru(nLetters, hidden, nCategories);
        };
        Random rnd = new Random(seed);
        for (LinearBlock b : m.blocks()) {
            b.resetParameters(rnd);
        }
        return m;
    }

    /** Which network this is. */
    public abstract Cell cell();

    /** Input size (one-hot letters). */
    public int nLetters() {
        return nLetters;
    }

    /** Hidden size. */
    public int hidden() {
        return hidden;
    }

    /** Output size (categories). */
    public int nCategories() {
        return nCategories;
    }

    /** The fused Linear blocks, in torch's parameter order. */
    abstract List<LinearBlock> blocks();

    /** Runs the cell over the name and fills {@link #logProbs}; returns nothing. */
    abstract void forwardInternal(int[] letters);

    /** Back-propagates {@link #dLogits} through the last forward pass, accumulating gradients. */
    abstract void backwardInternal(int[] letters);

    /** Grows the per-step buffers to hold {@code steps} steps. */
    abstract void ensureCapacity(int steps);

    /**
     * The network's output for a whole name: {@code LogSoftmax} scores of the last step, as the
     * tutorial's {@code evaluate(line_tensor)}. Returns a new array of length {@link #nCategories()}.
     *
     * @param letters letter indices in {@code [0, nLetters)}, at least one
     */
    public float[] forward(int[] letters) {
        check(letters);
        forwardInternal(letters);
        return logProbs.clone();
    }

    /** The most likely category (argmax of {@link #forward}). */
    public int predictIndex(int[] letters) {
        check(letters);
        forwardInternal(letters);
        return lastArgmax();
    }

    /** Argmax of the last forward pass's output (the tutorial's {@code categoryFromOutput}). */
    int lastArgmax() {
        int best = 0;
        for (int k = 1; k < nCategories; k++) {
            if (logProbs[k] > logProbs[best]) {
                best = k;
            }
        }
        return best;
    }

    /**
     * Forward, {@code NLLLoss} on the last step's output, and backward through all steps: after
     * {@code zero_grad()} the gradients hold {@code d loss / d p} (see {@link #gradients()}). The
     * parameters are not changed.
     *
     * @return the loss {@code -logProbs[category]}
     */
    public float computeGradients(int[] letters, int category) {
        check(letters);
        if (category < 0 || category >= nCategories) {
            throw new IllegalArgumentException("category must be in [0, " + nCategories + "), got " + category);
        }
        for (LinearBlock b : blocks()) {
            b.zeroGrad();
        }
        forwardInternal(letters);
        float loss = -logProbs[category];
        for (int k = 0; k < nCategories; k++) {
            dLogits[k] = (float) Math.exp(logProbs[k]);
        }
        dLogits[category] -= 1f;
        backwardInternal(letters);
        return loss;
    }

    /** {@code p.data.add_(p.grad.data, alpha=-lr)} for every parameter. */
    public void applyGradients(float learningRate) {
        for (LinearBlock b : blocks()) {
            b.sgdStep(learningRate);
        }
    }

    /**
     * One iteration of the tutorial's {@code train(category_tensor, line_tensor)}: zero_grad, forward
     * over the name, NLL loss, backward, {@code p -= lr * grad}.
     *
     * @return the loss before the update
     */
    public float trainStep(int[] letters, int category, float learningRate) {
        if (!(learningRate >= 0f) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and >= 0 (the tutorial uses 0.005), got " + learningRate);
        }
        float loss = computeGradients(letters, category);
        applyGradients(learningRate);
        return loss;
    }

    /** Copies of the parameters, keyed and shaped as torch's {@code state_dict()}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> m = LinearBlock.newMap();
        for (LinearBlock b : blocks()) {
            b.export(m, false);
        }
        return m;
    }

    /** Copies of the gradients of the last {@link #computeGradients} / {@link #trainStep}, keyed like {@link #stateDict()}. */
    public Map<String, Tensor> gradients() {
        Map<String, Tensor> m = LinearBlock.newMap();
        for (LinearBlock b : blocks()) {
            b.export(m, true);
        }
        return m;
    }

    /** Replaces all parameters with values in torch's {@code state_dict()} names and shapes. */
    public void loadStateDict(Map<String, Tensor> state) {
        if (state == null) {
            throw new IllegalArgumentException("loadStateDict: state must not be null");
        }
        for (LinearBlock b : blocks()) {
            b.load(state, getClass().getSimpleName());
        }
    }

    /** Number of trainable parameters (torch's {@code sum(p.numel() for p in net.parameters())}). */
    public int parameterCount() {
        int n = 0;
        for (LinearBlock b : blocks()) {
            n += b.parameterCount();
        }
        return n;
    }

    /** The torch module name printed by {@code print(net)}: RNN, LSTM or GRU. */
    protected String torchName() {
        return cell().name();
    }

    /** torch's {@code print(net)}, e.g. {@code RNN(\n  (i2h): Linear(in_features=185, out_features=128, bias=True)\n ...)}. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        for (LinearBlock b : blocks()) {
            b.reprLines(lines);
        }
        lines.add("(softmax): LogSoftmax(dim=1)");
        StringBuilder sb = new StringBuilder(torchName()).append("(\n");
        for (String l : lines) {
            sb.append("  ").append(l).append('\n');
        }
        return sb.append(')').toString();
    }

    private void check(int[] letters) {
        if (letters == null || letters.length == 0) {
            throw new IllegalArgumentException("letters must hold at least one letter index (a name of length >= 1), got "
                    + (letters == null ? "null" : "an empty array"));
        }
        for (int t = 0; t < letters.length; t++) {
            int l = letters[t];
            if (l < 0 || l >= nLetters) {
                throw new IllegalArgumentException("letters[" + t + "] = " + l + " is outside [0, " + nLetters
                        + "): every letter index must address the one-hot input of size nLetters");
            }
        }
        if (letters.length > capacity) {
            ensureCapacity(Math.max(letters.length, 2 * capacity));
        }
    }

    /** LogSoftmax of {@code z[0..n)} into {@code out}, computed in double. */
    static void logSoftmax(float[] z, int off, int n, float[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, z[off + k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(z[off + k] - max);
        }
        double lse = max + Math.log(sum);
        for (int k = 0; k < n; k++) {
            out[k] = (float) (z[off + k] - lse);
        }
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** tanh through exp (Math.tanh is not a JIT intrinsic on JDK 17); exact to float precision. */
    static float tanh(float x) {
        return (float) (1.0 - 2.0 / (Math.exp(2.0 * x) + 1.0));
    }
}
