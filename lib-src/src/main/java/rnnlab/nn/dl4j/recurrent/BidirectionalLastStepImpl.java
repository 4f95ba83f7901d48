package rnnlab.nn.dl4j.recurrent;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The computation of {@link BidirectionalLastStep}: two slices forward, their scatter backward. */
public class BidirectionalLastStepImpl extends AbstractLayer<BidirectionalLastStep> {

    /** Created by {@link BidirectionalLastStep#instantiate}. */
    public BidirectionalLastStepImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private long half() {
        if (input.rank() != 3 || input.size(1) % 2 != 0) {
            throw new IllegalArgumentException("BidirectionalLastStep " + layerId()
                    + " expects [batch, 2H, time] from a concatenating Bidirectional layer, got shape "
                    + java.util.Arrays.toString(input.shape()));
        }
        if (maskArray != null) {
            throw new UnsupportedOperationException("BidirectionalLastStep " + layerId() + ": mask arrays are not supported");
        }
        return input.size(1) / 2;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        long h = half(), t = input.size(2);
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, input.dataType(), new long[] {input.size(0), 2 * h}, 'c');
        out.get(all(), interval(0, h)).assign(input.get(all(), interval(0, h), point(t - 1)));
        out.get(all(), interval(h, 2 * h)).assign(input.get(all(), interval(h, 2 * h), point(0)));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        long h = half(), t = input.size(2);
        // time-major [T, B, 2H] seen as [B, 2H, T]: the layout the fused bidirectional layer copies natively
        INDArray tm = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), new long[] {t, input.size(0), 2 * h}, 'c');
        INDArray dx = tm.permute(1, 2, 0);
        dx.get(all(), interval(0, h), point(t - 1)).assign(epsilon.get(all(), interval(0, h)));
        dx.get(all(), interval(h, 2 * h), point(0)).assign(epsilon.get(all(), interval(h, 2 * h)));
        return new Pair<>(new DefaultGradient(), dx);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }
}
