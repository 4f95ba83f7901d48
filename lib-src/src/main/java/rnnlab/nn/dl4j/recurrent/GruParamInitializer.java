package rnnlab.nn.dl4j.recurrent;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter layout of {@link GruLayer}: one flat view split into {@code W} [nIn, 3H],
 * {@code RW} [H, 3H] and {@code b} [1, 6H] (input biases then recurrent biases), gates r, z, n.
 * Weights are initialised with the layer's weight init (recurrent: {@code weightInitRecurrent} if
 * set), biases with zeros, as Keras does.
 */
public final class GruParamInitializer extends RecurrentParamKeys {

    private static final GruParamInitializer INSTANCE = new GruParamInitializer();

    /** The shared instance. */
    public static GruParamInitializer getInstance() {
        return INSTANCE;
    }

    private GruParamInitializer() {
    }

    @Override
    public long numParams(Layer layer) {
        GruLayer l = (GruLayer) layer;
        long nIn = l.getNIn(), h = l.getNOut();
        return 3 * (h * nIn + h * h + 2 * h);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initialize) {
        GruLayer l = (GruLayer) conf.getLayer();
        Map<String, INDArray> m = split(l, paramsView);
        if (initialize) {
            long nIn = l.getNIn(), h = l.getNOut();
            IWeightInit wi = l.getWeightInitFn();
            IWeightInit rwi = l.getWeightInitFnRecurrent() != null ? l.getWeightInitFnRecurrent() : wi;
            wi.init(nIn, 3 * h, new long[] {nIn, 3 * h}, 'f', m.get(WEIGHT_KEY));
            rwi.init(h, 3 * h, new long[] {h, 3 * h}, 'f', m.get(RECURRENT_WEIGHT_KEY));
            m.get(BIAS_KEY).assign(0);
        }
        for (String k : m.keySet()) {
            conf.addVariable(k);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((GruLayer) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(GruLayer l, INDArray flatView) {
        long nIn = l.getNIn(), h = l.getNOut();
        INDArray flat = flatView.reshape(flatView.length());
        long a = nIn * 3 * h, b = a + h * 3 * h, c = b + 6 * h;
        if (c != flat.length()) {
            throw new IllegalStateException("GRU parameter view has length " + flat.length() + ", expected " + c);
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(WEIGHT_KEY, flat.get(interval(0, a)).reshape('f', nIn, 3 * h));
        m.put(RECURRENT_WEIGHT_KEY, flat.get(interval(a, b)).reshape('f', h, 3 * h));
        m.put(BIAS_KEY, flat.get(interval(b, c)).reshape('f', 1, 6 * h));
        return m;
    }
}
