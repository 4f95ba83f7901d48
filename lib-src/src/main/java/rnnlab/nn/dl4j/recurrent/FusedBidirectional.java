package rnnlab.nn.dl4j.recurrent;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code Bidirectional(Mode.CONCAT, layer)} around a {@link FusedRecurrent} layer, computed by
 * {@link FusedBidirectionalLayer}: the same configuration, parameters (keys {@code fW, fRW, fb, bW, …},
 * flat order), updaters, output [batch, 2H, time] and gradients as DL4J's wrapper, without its copies
 * (time-reversed input, output and gradients, concatenation) and with the two directions running
 * concurrently. A subclass of {@link Bidirectional}, so code that inspects a network's configuration
 * (e.g. {@code rnnlab.nn.Model}) sees a {@code Bidirectional}.
 */
public class FusedBidirectional extends Bidirectional {

    /** For Jackson. */
    public FusedBidirectional() {
    }

    /** Both directions' copies of {@code layer}, outputs concatenated. */
    public FusedBidirectional(FusedRecurrent layer) {
        super(Mode.CONCAT, layer);
    }

    /**
     * Keras's {@code Bidirectional(layer, merge_mode='concat')}: this layer around a
     * {@link FusedRecurrent}, DL4J's {@code Bidirectional(Mode.CONCAT, layer)} around any other.
     */
    public static org.deeplearning4j.nn.conf.layers.Layer concat(org.deeplearning4j.nn.conf.layers.Layer layer) {
        return layer instanceof FusedRecurrent f ? new FusedBidirectional(f) : new Bidirectional(Mode.CONCAT, layer);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        if (getMode() != Mode.CONCAT || !(getFwd() instanceof FusedRecurrent) || !(getBwd() instanceof FusedRecurrent)) {
            throw new IllegalStateException("FusedBidirectional '" + getLayerName() + "' needs mode CONCAT and FusedRecurrent "
                    + "layers, got " + getMode() + ", " + getFwd() + ", " + getBwd());
        }
        // as Bidirectional.instantiate: each direction gets its half of the parameter view
        NeuralNetConfiguration c1 = conf.clone();
        NeuralNetConfiguration c2 = conf.clone();
        c1.setLayer(getFwd());
        c2.setLayer(getBwd());
        INDArray flat = layerParamsView.reshape(layerParamsView.length());
        long n = layerParamsView.length() / 2;
        INDArray p1 = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n));
        INDArray p2 = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(n, 2 * n));
        FusedRecurrentImpl fwd = (FusedRecurrentImpl) getFwd().instantiate(c1, trainingListeners, layerIndex, p1,
                initializeParams, networkDataType);
        FusedRecurrentImpl bwd = (FusedRecurrentImpl) getBwd().instantiate(c2, trainingListeners, layerIndex, p2,
                initializeParams, networkDataType);
        FusedBidirectionalLayer ret = new FusedBidirectionalLayer(conf, fwd, bwd, layerParamsView);
        Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(table);
        ret.setConf(conf);
        return ret;
    }
}
