package rnnlab.nn.dl4j;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@link EmbeddingSequenceLayer} (Keras {@code Embedding}) with a faster backward pass
 * ({@link ScatterEmbeddingImpl}): the weight gradient is a plain Java scatter-add of the output
 * gradient rows, where DL4J's layer recomputes its forward pass and runs libnd4j's
 * {@code ScatterUpdate}, which took about 55 ms for a batch of 128 × 500 tokens × 32 (the largest
 * single cost of the IMDB SimpleRNN training step once the recurrent layer was fused). Same
 * configuration, parameters, forward pass and output; only identity activation and no bias are
 * accelerated (other settings use DL4J's backward pass). Build it from a DL4J configuration with
 * {@link #of(EmbeddingSequenceLayer)}.
 */
public class ScatterEmbedding extends EmbeddingSequenceLayer {

    /** For Jackson. */
    public ScatterEmbedding() {
    }

    /** A copy of {@code conf} (as built by DL4J's builder) that instantiates the faster layer. */
    public static ScatterEmbedding of(EmbeddingSequenceLayer conf) {
        ScatterEmbedding e = new ScatterEmbedding();
        e.setLayerName(conf.getLayerName());
        e.setNIn(conf.getNIn());
        e.setNOut(conf.getNOut());
        e.setHasBias(conf.isHasBias());
        e.setInputLength(conf.getInputLength());
        e.setInferInputLength(conf.isInferInputLength());
        e.setOutputFormat(conf.getOutputFormat());
        e.setActivationFn(conf.getActivationFn());
        e.setWeightInitFn(conf.getWeightInitFn());
        e.setBiasInit(conf.getBiasInit());
        e.setGainInit(conf.getGainInit());
        e.setIUpdater(conf.getIUpdater());
        e.setBiasUpdater(conf.getBiasUpdater());
        e.setIDropout(conf.getIDropout());
        e.setWeightNoise(conf.getWeightNoise());
        e.setGradientNormalization(conf.getGradientNormalization());
        e.setGradientNormalizationThreshold(conf.getGradientNormalizationThreshold());
        e.setRegularization(conf.getRegularization());
        e.setRegularizationBias(conf.getRegularizationBias());
        e.setConstraints(conf.getConstraints());
        return e;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        ScatterEmbeddingImpl ret = new ScatterEmbeddingImpl(conf, networkDataType);
        ret.setListeners(listeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(table);
        ret.setConf(conf);
        return ret;
    }
}
