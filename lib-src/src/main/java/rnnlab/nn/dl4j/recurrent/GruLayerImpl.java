package rnnlab.nn.dl4j.recurrent;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The computation of {@link GruLayer}: forward pass and hand-written back-propagation through time
 * (see {@link GruLayer} for the equations). Input and output are [batch, features, time] (NCW).
 * Verified by DL4J's {@code GradientCheckUtil} and against {@code torch.nn.GRU} in the tests.
 */
public class GruLayerImpl extends BaseRecurrentLayer<GruLayer> {

    /** Key of the last hidden state in the stored-state maps ({@code rnnTimeStep}, TBPTT). */
    public static final String STATE_KEY = "h";

    /** Recurrent-dropout mask [batch, H] (already divided by the keep probability); detached. */
    private INDArray recurrentMask;

    /** Created by {@link GruLayer#instantiate}. */
    public GruLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Per-step values kept for back-propagation. */
    private record Step(INDArray hPrev, INDArray r, INDArray z, INDArray n, INDArray ghn) {
    }

    private record Forward(INDArray out, List<Step> steps) {
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, false, true, workspaceMgr).out();
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        INDArray out = forward(stateMap.get(STATE_KEY), false, false, false, workspaceMgr).out();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            stateMap.put(STATE_KEY, out.get(all(), all(), point(out.size(2) - 1)).dup());
        }
        return out;
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
            LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        INDArray out = forward(tBpttStateMap.get(STATE_KEY), training, false, true, workspaceMgr).out();
        if (storeLastForTBPTT) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                tBpttStateMap.put(STATE_KEY, out.get(all(), all(), point(out.size(2) - 1)).dup());
            }
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
            LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        // Recompute the forward pass keeping the gate values; reuse the recurrent-dropout mask drawn
        // by the training forward pass that preceded this call.
        Forward f = forward(null, true, true, false, workspaceMgr);
        INDArray x = input;
        long h = layerConf().getNOut();
        long steps = x.size(2);
        INDArray w = getParamWithNoise(GruParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray rw = getParamWithNoise(GruParamInitializer.RECURRENT_WEIGHT_KEY, true, workspaceMgr);

        INDArray gW = gradientViews.get(GruParamInitializer.WEIGHT_KEY);
        INDArray gRW = gradientViews.get(GruParamInitializer.RECURRENT_WEIGHT_KEY);
        INDArray gB = gradientViews.get(GruParamInitializer.BIAS_KEY);
        gradientsFlattened.assign(0);
        INDArray gBi = gB.get(all(), interval(0, 3 * h));
        INDArray gBh = gB.get(all(), interval(3 * h, 6 * h));

        INDArray epsOut = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape(), 'f');
        INDArray dhNext = null;
        long end = tbpttBackLength > 0 ? Math.max(0, steps - tbpttBackLength) : 0;
        for (long t = steps - 1; t >= end; t--) {
            Step s = f.steps().get((int) t);
            INDArray dh = epsilon.get(all(), all(), point(t)).dup('c');
            if (dhNext != null) {
                dh.addi(dhNext);
            }
            // h' = n + z (hPrev - n)
            INDArray oneMinusZ = s.z().rsub(1.0);
            INDArray dn = dh.mul(oneMinusZ);
            INDArray dz = dh.mul(s.hPrev().sub(s.n()));
            INDArray daN = dn.mul(s.n().mul(s.n()).rsubi(1.0));
            INDArray daZ = dz.mul(s.z()).muli(oneMinusZ);
            INDArray daR = daN.mul(s.ghn()).muli(s.r()).muli(s.r().rsub(1.0));
            INDArray dGi = Nd4j.concat(1, daR, daZ, daN);
            INDArray dGh = Nd4j.concat(1, daR, daZ, daN.mul(s.r()));
            INDArray xt = x.get(all(), all(), point(t));
            INDArray hIn = recurrentMask != null ? s.hPrev().mul(recurrentMask) : s.hPrev();

            gW.addi(xt.transpose().mmul(dGi));
            gRW.addi(hIn.transpose().mmul(dGh));
            gBi.addi(dGi.sum(true, 0));
            gBh.addi(dGh.sum(true, 0));

            epsOut.get(all(), all(), point(t)).assign(dGi.mmul(w.transpose()));
            INDArray dhPrev = dGh.mmul(rw.transpose());
            if (recurrentMask != null) {
                dhPrev.muli(recurrentMask);
            }
            dhNext = dhPrev.addi(dh.mul(s.z()));
        }
        if (end > 0) {
            epsOut.get(all(), all(), interval(0, end)).assign(0);
        }
        weightNoiseParams.clear();

        Gradient g = new DefaultGradient(gradientsFlattened);
        g.gradientForVariable().put(GruParamInitializer.WEIGHT_KEY, gW);
        g.gradientForVariable().put(GruParamInitializer.RECURRENT_WEIGHT_KEY, gRW);
        g.gradientForVariable().put(GruParamInitializer.BIAS_KEY, gB);
        epsOut = backpropDropOutIfPresent(epsOut);
        return new Pair<>(g, epsOut);
    }

    private Forward forward(INDArray h0, boolean training, boolean keep, boolean newMask,
            LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 3) {
            throw new IllegalArgumentException("GRU layer " + layerId() + " expects 3-d input [batch, features, time]"
                    + ", got shape " + java.util.Arrays.toString(input.shape()));
        }
        if (maskArray != null) {
            throw new UnsupportedOperationException("GRU layer " + layerId()
                    + ": DL4J mask arrays are not supported by this GRU; pad the sequences instead");
        }
        if (getDataFormat() != RNNFormat.NCW) {
            throw new UnsupportedOperationException("GRU layer " + layerId() + " supports only the NCW layout");
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = input;
        long mb = x.size(0), steps = x.size(2), h = layerConf().getNOut();
        if (x.size(1) != layerConf().getNIn()) {
            throw new IllegalArgumentException("GRU layer " + layerId() + " expects " + layerConf().getNIn()
                    + " input features (dimension 1 of [batch, features, time]), got " + x.size(1));
        }
        INDArray w = getParamWithNoise(GruParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray rw = getParamWithNoise(GruParamInitializer.RECURRENT_WEIGHT_KEY, training, workspaceMgr);
        INDArray b = getParamWithNoise(GruParamInitializer.BIAS_KEY, training, workspaceMgr);
        INDArray bi = b.get(all(), interval(0, 3 * h));
        INDArray bh = b.get(all(), interval(3 * h, 6 * h));

        double rd = layerConf().getRecurrentDropout();
        if (!training || rd <= 0) {
            recurrentMask = null;
        } else if (newMask || recurrentMask == null || recurrentMask.size(0) != mb) {
            recurrentMask = TimeSharedDropout.sequenceMask(x.dataType(), new long[] {mb, h}, rd);
        }

        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, x.dataType(), new long[] {mb, h, steps}, 'f');
        List<Step> kept = keep ? new ArrayList<>((int) steps) : null;
        INDArray hPrev = h0 != null ? h0.castTo(x.dataType()) : Nd4j.zeros(x.dataType(), mb, h);
        for (long t = 0; t < steps; t++) {
            INDArray xt = x.get(all(), all(), point(t));
            INDArray gi = xt.mmul(w).addiRowVector(bi);
            INDArray hIn = recurrentMask != null ? hPrev.mul(recurrentMask) : hPrev;
            INDArray gh = hIn.mmul(rw).addiRowVector(bh);
            INDArray r = Transforms.sigmoid(gi.get(all(), interval(0, h)).add(gh.get(all(), interval(0, h))), false);
            INDArray z = Transforms.sigmoid(gi.get(all(), interval(h, 2 * h)).add(gh.get(all(), interval(h, 2 * h))),
                    false);
            INDArray ghn = gh.get(all(), interval(2 * h, 3 * h));
            INDArray n = Transforms.tanh(gi.get(all(), interval(2 * h, 3 * h)).add(r.mul(ghn)), false);
            INDArray hNew = hPrev.sub(n).muli(z).addi(n);
            out.get(all(), all(), point(t)).assign(hNew);
            if (keep) {
                kept.add(new Step(hPrev, r, z, n, ghn.dup()));
            }
            hPrev = hNew;
        }
        return new Forward(out, kept);
    }

    @Override
    public void clear() {
        super.clear();
        recurrentMask = null;
    }
}
