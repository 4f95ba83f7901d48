package rnnlab.nn.dl4j.recurrent;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameter layout of {@link FusedRecurrent}: one flat view split into {@code W} [nIn, kH],
 * {@code RW} [H, kH] and {@code b} [1, bH] (1-d [bH] for SimpleRNN and LSTM, as DL4J's) ('f' order, in this order), with k and b from
 * {@link FusedRecurrent.Cell}: the layout of DL4J's {@code SimpleRnn}/{@code LSTM} and of
 * {@link GruParamInitializer}, so parameters copy across. Kernels start with the layer's weight init
 * (recurrent: {@code weightInitRecurrent} if set), biases with zeros except the LSTM forget block.
 */
public final class FusedParamInitializer extends RecurrentParamKeys {

    private static final FusedParamInitializer INSTANCE = new FusedParamInitializer();

    /** The shared instance. */
    public static FusedParamInitializer getInstance() {
        return INSTANCE;
    }

    private FusedParamInitializer() {
    }

    @Override
    public long numParams(Layer layer) {
        FusedRecurrent l = (FusedRecurrent) layer;
        long nIn = l.getNIn(), h = l.getNOut();
        FusedRecurrent.Cell c = l.getCell();
        return c.gates() * (h * nIn + h * h) + c.biases() * h;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initialize) {
        FusedRecurrent l = (FusedRecurrent) conf.getLayer();
        Map<String, INDArray> m = split(l, paramsView);
        if (initialize) {
            long nIn = l.getNIn(), h = l.getNOut(), g = l.getCell().gates() * h;
            IWeightInit wi = l.getWeightInitFn();
            IWeightInit rwi = l.getWeightInitFnRecurrent() != null ? l.getWeightInitFnRecurrent() : wi;
            wi.init(nIn, g, new long[] {nIn, g}, 'f', m.get(WEIGHT_KEY));
            rwi.init(h, g, new long[] {h, g}, 'f', m.get(RECURRENT_WEIGHT_KEY));
            INDArray b = m.get(BIAS_KEY);
            b.assign(0);
            if (l.getCell() == FusedRecurrent.Cell.LSTM) {
                b.reshape(b.length()).get(interval(h, 2 * h)).assign(l.getForgetGateBiasInit());
            }
        }
        for (String k : m.keySet()) {
            conf.addVariable(k);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((FusedRecurrent) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(FusedRecurrent l, INDArray flatView) {
        long nIn = l.getNIn(), h = l.getNOut(), g = l.getCell().gates() * h;
        INDArray flat = flatView.reshape(flatView.length());
        long a = nIn * g, b = a + h * g, c = b + l.getCell().biases() * h;
        if (c != flat.length()) {
            throw new IllegalStateException("Fused" + l.getCell() + " parameter view has length " + flat.length()
                    + ", expected " + c);
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(WEIGHT_KEY, flat.get(interval(0, a)).reshape('f', nIn, g));
        m.put(RECURRENT_WEIGHT_KEY, flat.get(interval(a, b)).reshape('f', h, g));
        // DL4J's SimpleRnn and LSTM keep their bias 1-d, GruLayer as a row: same shapes here
        INDArray bias = flat.get(interval(b, c));
        m.put(BIAS_KEY, l.getCell() != FusedRecurrent.Cell.GRU ? bias : bias.reshape('f', 1, c - b));
        return m;
    }
}
