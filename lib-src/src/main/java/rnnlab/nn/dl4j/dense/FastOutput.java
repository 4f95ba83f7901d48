package rnnlab.nn.dl4j.dense;

import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.LayerWiring;

/**
 * DL4J's {@link OutputLayer} (Keras's last {@code Dense(n, activation='softmax')} with
 * {@code loss='categorical_crossentropy'}; torch's {@code nn.Linear} + {@code nn.CrossEntropyLoss}) whose
 * softmax, cross-entropy score and gradients are computed in Java ({@link FastOutputImpl}) for a
 * softmax activation with DL4J's unweighted {@code LossMCXENT} or {@code LossNegativeLogLikelihood};
 * any other activation, loss, mask, dropout or weight noise runs DL4J's own code.
 *
 * <p>Why (issue 8, measured): for LeNet-5's [64 × 84] → 10 output layer DL4J spent ~0.5 ms a step
 * (forward 0.09, backward 0.28, score 0.14 ms) on a dozen small ND4J operations — more than the
 * layer's 54,000 multiply-adds need by two orders of magnitude. Same configuration, parameters
 * (W [nIn, nOut], b), initialisation and results as DL4J's layer, checked against it and by DL4J's
 * numerical gradient check in the tests. Build it with {@link #of(OutputLayer)}.
 */
public class FastOutput extends OutputLayer {

    /** For Jackson. */
    public FastOutput() {
    }

    /** A copy of {@code conf} (as built by DL4J's builder) that instantiates the faster layer. */
    public static FastOutput of(OutputLayer conf) {
        FastOutput o = new FastOutput();
        LayerWiring.copyBaseSettings(conf, o);
        o.setNIn(conf.getNIn());
        o.setNOut(conf.getNOut());
        o.setHasBias(conf.hasBias());
        o.setLossFn(conf.getLossFn());
        return o;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FastOutput", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new FastOutputImpl(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }
}
