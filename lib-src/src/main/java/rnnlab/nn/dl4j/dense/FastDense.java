package rnnlab.nn.dl4j.dense;

import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.LayerWiring;

/**
 * DL4J's {@link DenseLayer} (Keras {@code Dense}, torch {@code nn.Linear} + activation) whose three
 * matrix products are single-thread-sized OpenBLAS calls ({@link FastDenseImpl}) for ReLU or identity,
 * float or double, no layer norm, dropout or weight noise. Anything else runs DL4J's own code.
 *
 * <p>Why (issue 8, measured): DL4J's layer multiplies through ND4J's {@code matmul}, which OpenBLAS
 * runs on all its threads once m·n·k &gt; 262,144 — LeNet-5's [64×576]·[576×120] and its two gradient
 * products. On the shared 2-core machine at load ~9 with {@code OMP_NUM_THREADS=2}, the two dense
 * layers then took 55 % of the main thread's samples of a LeNet-5 step (waiting for a descheduled
 * OpenBLAS thread), where the same products on one thread take ~0.1 ms each. Same configuration,
 * parameters (W [nIn, nOut], b), initialisation and results as DL4J's layer, checked against it and by
 * DL4J's numerical gradient check in the tests. Build it with {@link #of(DenseLayer)}.
 */
public class FastDense extends DenseLayer {

    /** For Jackson. */
    public FastDense() {
    }

    /** A copy of {@code conf} (as built by DL4J's builder) that instantiates the faster layer. */
    public static FastDense of(DenseLayer conf) {
        FastDense d = new FastDense();
        LayerWiring.copyBaseSettings(conf, d);
        d.setNIn(conf.getNIn());
        d.setNOut(conf.getNOut());
        d.setHasBias(conf.hasBias());
        d.setHasLayerNorm(conf.hasLayerNorm());
        return d;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FastDense", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new FastDenseImpl(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }
}
