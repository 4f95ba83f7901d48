package rnnlab.nn.dl4j.recurrent;

import java.util.List;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The parameter keys shared by rnnlab's recurrent layers ({@link GruParamInitializer},
 * {@link FusedParamInitializer}): input kernel {@code W}, recurrent kernel {@code RW}, bias
 * {@code b} — DL4J's own names for {@code SimpleRnn}/{@code LSTM}, so parameters copy across.
 * Subclasses supply the sizes, the split of the flat view and the initialisation.
 */
abstract class RecurrentParamKeys implements ParamInitializer {

    /** Input kernel key. */
    public static final String WEIGHT_KEY = "W";
    /** Recurrent kernel key. */
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    /** Bias key. */
    public static final String BIAS_KEY = "b";

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key) || RECURRENT_WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }
}
