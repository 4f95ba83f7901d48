package rnnlab.nn.dl4j.dense;

import java.nio.FloatBuffer;
import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.embedding.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of {@link ScatterEmbedding}: DL4J's embedding layer, with the weight gradient
 * computed as {@code dW[id(b, t)] += dL/dout[b, :, t]} by a Java loop over a heap buffer that is
 * kept across calls (float networks, identity activation, no bias, no mask); anything else goes
 * to DL4J's own backward pass. No input gradient (the input is token ids), as in DL4J.
 */
public class ScatterEmbeddingImpl extends EmbeddingSequenceLayer {

    private float[] grad;
    private float[] rows;

    /** Created by {@link ScatterEmbedding#instantiate}. */
    public ScatterEmbeddingImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        var lc = layerConf();
        INDArray gW = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        boolean simple = epsilon.dataType() == DataType.FLOAT && gW.dataType() == DataType.FLOAT
                && maskArray == null && !lc.hasBias() && lc.getActivationFn() instanceof ActivationIdentity
                && epsilon.rank() == 3 && input != null && input.rank() == 2;
        if (!simple) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        int vocab = (int) lc.getNIn(), d = (int) lc.getNOut();
        int nb = (int) epsilon.size(0), nt = (int) epsilon.size(2);
        if (epsilon.size(1) != d || input.size(0) != nb || input.size(1) != nt) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        int[] ids = input.castTo(DataType.INT32).dup('c').data().asInt();
        // [batch, time, d] rows, c order: one copy, then read into the heap
        INDArray rowsArr = epsilon.permute(0, 2, 1).dup('c');
        int n = nb * nt * d;
        if (rows == null || rows.length < n) {
            rows = new float[n];
        }
        rowsArr.data().asNioFloat().get((int) rowsArr.offset(), rows, 0, n);
        if (grad == null || grad.length != vocab * d) {
            grad = new float[vocab * d];
        } else {
            Arrays.fill(grad, 0);
        }
        // gW is [vocab, d] in 'f' order: element (i, j) at j * vocab + i
        for (int q = 0; q < ids.length; q++) {
            int id = ids[q];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("embedding layer " + layerId() + ": token id " + id
                        + " outside [0, " + (vocab - 1) + "] at position " + q);
            }
            int src = q * d;
            for (int j = 0; j < d; j++) {
                grad[j * vocab + id] += rows[src + j];
            }
        }
        if (gW.ordering() == 'f' && gW.offset() == 0 && gW.elementWiseStride() == 1 && gW.length() == grad.length) {
            // the usual case: the first layer's gradient view starts the flattened gradient buffer
            FloatBuffer fb = gW.data().asNioFloat();
            fb.put(0, grad, 0, grad.length);
        } else {
            gW.assign(Nd4j.create(grad, new long[] {vocab, d}, 'f'));
        }
        Gradient ret = new DefaultGradient();
        ret.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, gW);
        return new Pair<>(ret, null);
    }
}
