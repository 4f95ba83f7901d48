package rnnlab.nn.dl4j;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
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
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of {@link FusedRecurrent} for a whole sequence: input [batch, nIn, time] (NCW) is
 * copied once into a time-major buffer; ONE GEMM computes all steps' input projections
 * ([B·T, nIn] × [nIn, kH]) plus the input bias; per step only the recurrent GEMM
 * ([B, H] × [H, kH], ND4J/BLAS on preallocated row views) and the fused gate arithmetic in Java
 * ({@link FusedKernel}). Back-propagation through time: per step the fused gate derivatives and the
 * recurrent-gradient GEMM, then ONE GEMM each for dW (X<sup>T</sup> dZ), dRW
 * (H<sub>t-1</sub><sup>T</sup> dZ), db (1<sup>T</sup> dZ) and the input gradient (dZ W<sup>T</sup>) over all steps.
 * Gate values are kept from the training forward pass (no recomputation). Verified against DL4J's
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
        INDArray hs = forward(training, true, workspaceMgr);
        long b = buffers.b, t = buffers.t, h = buffers.h;
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, hs.dataType(), new long[] {t, b, h}, 'c');
        out.assign(hs.reshape('c', t, b, h));
        return out.permute(1, 2, 0);
    }

    /** Runs the forward pass into the buffers; returns the [T·B, H] outputs (a buffer view). */
    private INDArray forward(boolean training, boolean newMask, LayerWorkspaceMgr workspaceMgr) {
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
        FusedKernel k = kernel(dt);
        int nb = (int) x.size(0), nt = (int) x.size(2), h = (int) lc.getNOut();
        if (buffers == null || buffers.dt != dt) {
            buffers = new FusedBuffers(lc.getCell(), dt, (int) lc.getNIn(), h);
        }
        FusedBuffers w = buffers;
        w.ensure(nb, nt);

        INDArray wIn = getParamWithNoise(FusedParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray rw = getParamWithNoise(FusedParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(FusedParamInitializer.BIAS_KEY, training, workspaceMgr);
        if (wIn.dataType() != dt) {
            throw new IllegalArgumentException(what() + ": input data type " + dt + " differs from the parameters' "
                    + wIn.dataType() + "; cast the input");
        }
        INDArray bh = null;
        if (lc.getCell() == FusedRecurrent.Cell.GRU) {
            bh = b.get(all(), interval(3L * h, 6L * h));
            b = b.get(all(), interval(0, 3L * h));
        }

        double rd = lc.getRecurrentDropout();
        if (!training || rd <= 0) {
            recurrentMask = null;
        } else if (newMask || recurrentMask == null || recurrentMask.size(0) != nb) {
            recurrentMask = TimeSharedDropout.sequenceMask(dt, new long[] {nb, h}, rd);
        }

        // all steps at once: X (time-major) and Z = X W + b
        w.x.reshape('c', nt, nb, w.nIn).assign(x.permute(2, 0, 1));
        Nd4j.gemm(w.x, wIn, w.z, false, false, 1.0, 0.0);
        w.z.addiRowVector(b.reshape(1, b.length()));
        k.forward(w, rw, bh, recurrentMask, training);
        keptFor = training ? x : null;
        return w.hs;
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
        FusedRecurrent lc = layerConf();
        if (keptFor == null || keptFor != input) {
            // no training forward pass for this input: redo it (keeping the recurrent-dropout mask)
            forward(true, false, workspaceMgr);
        }
        FusedBuffers w = buffers;
        int nb = w.b, nt = w.t, h = w.h;
        if (epsilon.size(0) != nb || epsilon.size(1) != h || epsilon.size(2) != nt) {
            throw new IllegalArgumentException(what() + ": output gradient has shape " + Arrays.toString(epsilon.shape())
                    + ", expected [" + nb + ", " + h + ", " + nt + "]");
        }
        INDArray wIn = getParamWithNoise(FusedParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray rw = getParamWithNoise(FusedParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);
        w.e.reshape('c', nt, nb, h).assign(epsilon.permute(2, 0, 1));
        kernel.backward(w, rw, recurrentMask);

        INDArray gW = gradientViews.get(FusedParamInitializer.WEIGHT_KEY);
        INDArray gRW = gradientViews.get(FusedParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gB = gradientViews.get(FusedParamInitializer.BIAS_KEY);
        Nd4j.gemm(w.x, w.z, gW, true, false, 1.0, 0.0);
        boolean gru = lc.getCell() == FusedRecurrent.Cell.GRU;
        INDArray dzRec = gru ? w.zhTail : w.zTail;
        if (nt > 1) {
            INDArray hPrev = w.hsHead;
            if (recurrentMask != null) {
                hPrev = hPrev.reshape('c', nt - 1, (long) nb * h).mulRowVector(recurrentMask.reshape(1, (long) nb * h))
                        .reshape('c', (long) (nt - 1) * nb, h);
            }
            Nd4j.gemm(hPrev, dzRec, gRW, true, false, 1.0, 0.0);
        } else {
            gRW.assign(0);
        }
        if (gru) {
            Nd4j.gemm(w.ones, w.z, gB.get(all(), interval(0, 3L * h)), false, false, 1.0, 0.0);
            Nd4j.gemm(w.ones, w.zh, gB.get(all(), interval(3L * h, 6L * h)), false, false, 1.0, 0.0);
        } else {
            Nd4j.gemm(w.ones, w.z, gB.reshape(1, gB.length()), false, false, 1.0, 0.0);
        }
        INDArray epsOut = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, w.dt, new long[] {nt, nb, w.nIn}, 'c');
        Nd4j.gemm(w.z, wIn, epsOut.reshape('c', (long) nt * nb, w.nIn), false, true, 1.0, 0.0);
        weightNoiseParams.clear();

        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(FusedParamInitializer.WEIGHT_KEY, gW);
        g.gradientForVariable().put(FusedParamInitializer.RECURRENT_WEIGHT_KEY, gRW);
        g.gradientForVariable().put(FusedParamInitializer.BIAS_KEY, gB);
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
