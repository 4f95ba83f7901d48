package rnnlab.nn.dl4j.dense;

import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.LayerWiring;

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
        LayerWiring.copyBaseSettings(conf, e);
        e.setNIn(conf.getNIn());
        e.setNOut(conf.getNOut());
        e.setHasBias(conf.isHasBias());
        e.setInputLength(conf.getInputLength());
        e.setInferInputLength(conf.isInferInputLength());
        e.setOutputFormat(conf.getOutputFormat());
        return e;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new ScatterEmbeddingImpl(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }
}
