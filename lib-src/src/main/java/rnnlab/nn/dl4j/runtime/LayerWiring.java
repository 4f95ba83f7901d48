package rnnlab.nn.dl4j.runtime;

import java.util.Collection;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The two pieces of plumbing every rnnlab layer configuration shares with DL4J's own: wiring a new
 * layer instance in {@code instantiate} (what DL4J's {@code DenseLayer.instantiate} and its siblings
 * do), and copying the settings of a {@link BaseLayer} configuration into the configuration of a
 * faster replacement layer ({@code FastDense.of}, {@code FastConvolution.of}, {@code ScatterEmbedding.of}).
 *
 * <p>Public only so that the layer packages beside {@code runtime} can call it; not part of rnnlab's API.
 */
public final class LayerWiring {

    private LayerWiring() {
    }

    /**
     * Gives {@code layer} its listeners, index, parameter view, parameter table (made by
     * {@code initializer} over {@code paramsView}, initialised when {@code initializeParams}) and
     * configuration, and returns it.
     */
    public static <L extends Layer> L wire(L layer, ParamInitializer initializer, NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer.init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    /**
     * Copies what every {@link BaseLayer} configuration carries from {@code from} to {@code to}: name,
     * activation, weight and bias initialisation, updaters, dropout, weight noise, gradient
     * normalisation, regularisation and constraints. The layer type's own settings are the caller's.
     */
    public static <T extends BaseLayer> T copyBaseSettings(BaseLayer from, T to) {
        to.setLayerName(from.getLayerName());
        to.setActivationFn(from.getActivationFn());
        to.setWeightInitFn(from.getWeightInitFn());
        to.setBiasInit(from.getBiasInit());
        to.setGainInit(from.getGainInit());
        to.setIUpdater(from.getIUpdater());
        to.setBiasUpdater(from.getBiasUpdater());
        to.setIDropout(from.getIDropout());
        to.setWeightNoise(from.getWeightNoise());
        to.setGradientNormalization(from.getGradientNormalization());
        to.setGradientNormalizationThreshold(from.getGradientNormalizationThreshold());
        to.setRegularization(from.getRegularization());
        to.setRegularizationBias(from.getRegularizationBias());
        to.setConstraints(from.getConstraints());
        return to;
    }
}
