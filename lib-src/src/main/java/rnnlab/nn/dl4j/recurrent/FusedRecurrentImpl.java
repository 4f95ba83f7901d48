package rnnlab.nn.dl4j.recurrent;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.Blas;

/**
 * The computation of {@link FusedRecurrent} for a whole sequence: input [batch, nIn, time] (NCW) is
 * copied once into a time-major buffer; ONE GEMM computes all steps' input projections
 * ([B·T, nIn] × [nIn, kH]); per step only the recurrent GEMM ([B, H] × [H, kH], a direct OpenBLAS
 * call on the buffers) and the fused gate arithmetic in Java, input bias included ({@link FusedKernel}).
 * Back-propagation through time: per step the fused gate derivatives (bias gradient summed on the way,
 * gradients below 2^-100 flushed to 0, see {@link Act#FLUSH}) and the recurrent-gradient GEMM, then ONE
 * GEMM each for dW (X<sup>T</sup> dZ), dRW (H<sub>t-1</sub><sup>T</sup> dZ) and the input gradient
 * (dZ W<sup>T</sup>) over all steps. Gate values are kept from the training forward pass (no
 * recomputation). The pass is split into phases ({@link #preparePass} on DL4J's thread, the compute
 * phases on any thread, {@link #publishGradients} back on DL4J's) so that {@link FusedBidirectionalLayer}
 * can run its two directions concurrently on shared buffers. Verified against DL4J's
 * {@code LSTM}/{@code SimpleRnn}, {@link GruLayer}, torch and DL4J's gradient check in the tests.
 */
public class FusedRecurrentImpl extends BaseRecurrentLayer<FusedRecurrent> {

    private FusedBuffers buffers;
    private FusedKernel kernel;
    /** The recurrent-dropout mask [B, H] of the last training forward pass (any cell), detached; null if none. */
    private INDArray recurrentMask;
    /** The input whose gate values the kernel holds (identity), or null. */
    private INDArray keptFor;

    /** Created by {@link FusedRecurrent#instantiate}. */
    public FusedRecurrentImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    private String what() {
        return "Fused" + layerConf().getCell() + " layer " + layerId();
    }

    private FusedKernel kernel(DataType dt) {
        if (kernel != null && buffers != null && buffers.dt != dt) {
            kernel = null;
        }
        if (kernel == null) {
            kernel = switch (dt) {
                case FLOAT -> new FusedKernelF();
                case DOUBLE -> new FusedKernelD();
                default -> throw new UnsupportedOperationException(what() + ": data type " + dt
                        + " is not supported; use FLOAT (or DOUBLE for gradient checks)");
            };
        }
        return kernel;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        forward(training, true, workspaceMgr);
        FusedBuffers w = buffers;
        long b = w.b, t = w.t, h = w.h;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, w.dt, new long[] {t, b, h}, 'c');
        copyFlat(w.hsFlat, out);
        return out.permute(1, 2, 0);
    }

    /** Runs the forward pass into this layer's own buffers. */
    private void forward(boolean training, boolean newMask, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = preparePass(training, newMask, workspaceMgr);
        FusedBuffers w = buffers;
        w.reverse = false;
        w.ensure((int) x.size(0), (int) x.size(2), recurrentMask != null);
        toTimeMajor(x, w.xFlat);
        computeForward(training);
        passDone(training ? x : null);
    }

    // ---------------------------------------------------------------- the phases of a pass
    // (FusedBidirectionalLayer runs the two directions' compute phases on two threads)

    /**
     * The caller's (DL4J's) thread, before the computation: checks the input, applies the input dropout,
     * copies the parameters into the buffers and draws the recurrent-dropout mask; returns the input
     * after dropout [batch, nIn, time]. The buffers are then laid out by the caller
     * ({@link FusedBuffers#ensure} or {@link FusedBuffers#share}).
     */
    INDArray preparePass(boolean training, boolean newMask, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        FusedRecurrent lc = layerConf();
        if (input.rank() != 3) {
            throw new IllegalArgumentException(what() + " expects 3-d input [batch, features, time], got shape "
                    + Arrays.toString(input.shape()));
        }
        if (maskArray != null) {
            throw new UnsupportedOperationException(what() + ": DL4J mask arrays are not supported by the fused "
                    + "recurrent layers; pad the sequences instead, or use the reference layers "
                    + "(Sequential.referenceLayers(true))");
        }
        if (getDataFormat() != RNNFormat.NCW) {
            throw new UnsupportedOperationException(what() + " supports only the NCW layout [batch, features, time]");
        }
        if (input.size(1) != lc.getNIn()) {
            throw new IllegalArgumentException(what() + " expects " + lc.getNIn()
                    + " input features (dimension 1 of [batch, features, time]), got " + input.size(1));
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = input;
        DataType dt = x.dataType();
        kernel(dt);
        int nb = (int) x.size(0), h = (int) lc.getNOut();
        if (buffers == null || buffers.dt != dt) {
            buffers = new FusedBuffers(lc.getCell(), dt, (int) lc.getNIn(), h);
        }
        INDArray wIn = getParamWithNoise(FusedParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray rw = getParamWithNoise(FusedParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(FusedParamInitializer.BIAS_KEY, training, workspaceMgr);
        if (wIn.dataType() != dt) {
            throw new IllegalArgumentException(what() + ": input data type " + dt + " differs from the parameters' "
                    + wIn.dataType() + "; cast the input");
        }
        buffers.loadParams(wIn, rw, b);
        double rd = lc.getRecurrentDropout();
        if (!training || rd <= 0) {
            recurrentMask = null;
        } else if (newMask || recurrentMask == null || recurrentMask.size(0) != nb) {
            recurrentMask = TimeSharedDropout.sequenceMask(dt, new long[] {nb, h}, rd);
        }
        return x;
    }

    /** The buffers of the pass being prepared or run. */
    FusedBuffers buffers() {
        return buffers;
    }

    /** Whether the last pass ran with a recurrent-dropout mask. */
    boolean masked() {
        return recurrentMask != null;
    }

    /** Any thread: the input projection and the recurrence (input already in {@code buffers.x}). */
    void computeForward(boolean keep) {
        kernel.project(buffers);
        kernel.forward(buffers, recurrentMask, keep);
    }

    /** The caller's thread, after the forward computation: remembers the input whose gate values are kept. */
    void passDone(INDArray keptInput) {
        keptFor = keptInput;
    }

    /** Whether the kept gate values belong to the current input (else backprop must redo the forward pass). */
    boolean hasForwardFor(INDArray x) {
        return keptFor != null && keptFor == x;
    }

    /** Any thread: back-propagation through time and the weight gradients (output gradient already in {@code buffers.e}). */
    void computeBackward() {
        kernel.backward(buffers, recurrentMask);
        kernel.weightGradients(buffers, recurrentMask != null);
    }

    /** Any thread, after {@link #computeBackward}: rows of the time-major input gradient into {@code out} [N, nIn]. */
    void inputGradient(INDArray out, int rowFrom, int rowTo, boolean accumulate) {
        kernel.inputGradient(buffers, out, rowFrom, rowTo, accumulate);
    }

    /** The caller's thread, after {@link #computeBackward}: the gradients into DL4J's views, as a {@link Gradient}. */
    Gradient publishGradients() {
        FusedBuffers w = buffers;
        INDArray gW = gradientViews.get(FusedParamInitializer.WEIGHT_KEY);
        INDArray gRW = gradientViews.get(FusedParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gB = gradientViews.get(FusedParamInitializer.BIAS_KEY);
        // the buffers hold Wᵀ and RWᵀ row-major: the memory order of the 'f' views [nIn, G] and [H, G]
        gW.assign(w.gwFlat.reshape('c', w.g, w.nIn).transpose());
        gRW.assign(w.grwFlat.reshape('c', w.g, w.h).transpose());
        gB.assign(w.gbFlat.reshape(gB.shape()));
        weightNoiseParams.clear();
        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(FusedParamInitializer.WEIGHT_KEY, gW);
        g.gradientForVariable().put(FusedParamInitializer.RECURRENT_WEIGHT_KEY, gRW);
        g.gradientForVariable().put(FusedParamInitializer.BIAS_KEY, gB);
        return g;
    }

    /** The input gradient's dropout step (the identity without input dropout). */
    INDArray dropoutBackprop(INDArray dx) {
        return backpropDropOutIfPresent(dx);
    }

    /** Whether this layer applies input dropout. */
    boolean hasInputDropout() {
        return layerConf().getIDropout() != null;
    }

    /**
     * Copies [batch, features, time] (any layout) into the time-major [T·B, features] buffer {@code dst};
     * a native copy when {@code x} already is a time-major array seen through a permutation (the output of
     * a fused layer, the input gradient of the next one).
     */
    static void toTimeMajor(INDArray x, INDArray dst) {
        long nb = x.size(0), nf = x.size(1), nt = x.size(2), n = nb * nf * nt;
        long[] st = x.stride();
        if (x.offset() == 0 && x.data().length() == n && st[0] == nf && st[1] == 1 && st[2] == nb * nf
                && x.dataType() == dst.dataType()) {
            Blas.copy(x, dst, n);
            return;
        }
        dst.get(interval(0, n)).reshape('c', nt, nb, nf).assign(x.permute(2, 0, 1));
    }

    /** Copies the first {@code dst.length()} elements of the flat buffer {@code src} into the offset-0 'c' array {@code dst}. */
    static void copyFlat(INDArray src, INDArray dst) {
        Blas.copy(src, dst, dst.length());
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(what() + ": rnnTimeStep (stateful step-by-step inference) is not "
                + "supported by the fused recurrent layers; build the model with the reference layers "
                + "(Sequential.referenceLayers(true)) for it");
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(what() + ": truncated BPTT / stored state is not supported by the "
                + "fused recurrent layers; use full BPTT or the reference layers (Sequential.referenceLayers(true))");
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        if (tbpttBackLength > 0) {
            throw new UnsupportedOperationException(what() + ": truncated BPTT is not supported by the fused "
                    + "recurrent layers; use full BPTT or the reference layers (Sequential.referenceLayers(true))");
        }
        return backpropGradient(epsilon, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!hasForwardFor(input)) {
            // no training forward pass for this input: redo it (keeping the recurrent-dropout mask)
            forward(true, false, workspaceMgr);
        }
        FusedBuffers w = buffers;
        int nb = w.b, nt = w.t, h = w.h;
        if (epsilon.size(0) != nb || epsilon.size(1) != h || epsilon.size(2) != nt) {
            throw new IllegalArgumentException(what() + ": output gradient has shape " + Arrays.toString(epsilon.shape())
                    + ", expected [" + nb + ", " + h + ", " + nt + "]");
        }
        toTimeMajor(epsilon, w.eFlat);
        computeBackward();
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, w.dt, new long[] {nt, nb, w.nIn}, 'c');
        inputGradient(epsOut, 0, nb * nt, false);
        Gradient g = publishGradients();
        INDArray dx = backpropDropOutIfPresent(epsOut.permute(1, 2, 0));
        keptFor = null;
        return new Pair<>(g, dx);
    }

    /** The recurrent-dropout mask of the last training forward pass ([batch, H], 0 or 1/(1-p)), or null. */
    INDArray recurrentMask() {
        return recurrentMask;
    }

    @Override
    public void clear() {
        super.clear();
        recurrentMask = null;
        keptFor = null;
    }
}
