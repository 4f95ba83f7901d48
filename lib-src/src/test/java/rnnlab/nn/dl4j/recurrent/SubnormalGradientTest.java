package rnnlab.nn.dl4j.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import rnnlab.nn.dl4j.recurrent.FusedRecurrent.Cell;

/**
 * Gradients that die out over a long sequence must not pass through float's subnormal range inside
 * the fused kernels (every operation on a subnormal takes a slow microcode path: report 001's BiLSTM
 * step ran ~10x longer): the backward loops set values below {@link Act#FLUSH} (2^-100) to 0. With a
 * fast-decaying recurrence and the output gradient only at the last step, DL4J's reference layers
 * produce subnormal input gradients at early steps; the fused layers keep no subnormal value in their
 * pre-activation gradients and still give the same gradients (the dropped values are far below any
 * gradient's rounding).
 */
class SubnormalGradientTest {

    private static Layer layer(org.deeplearning4j.nn.conf.layers.Layer l, int nIn) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).seed(1)
                .updater(new NoOp()).list().layer(l)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(1).build())
                .setInputType(InputType.recurrent(nIn)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }

    private static org.deeplearning4j.nn.conf.layers.Layer reference(Cell c, int h) {
        return switch (c) {
            case SIMPLE_RNN -> new SimpleRnn.Builder().nOut(h).activation(Activation.TANH).build();
            case LSTM -> new LSTM.Builder().nOut(h).activation(Activation.TANH).gateActivationFunction(Activation.SIGMOID)
                    .forgetGateBiasInit(0).build();
            case GRU -> new GruLayer.Builder().nOut(h).activation(Activation.TANH).build();
        };
    }

    private static long subnormals(INDArray a) {
        long n = 0;
        for (float v : a.castTo(DataType.FLOAT).data().asFloat()) {
            n += v != 0 && Math.abs(v) < Float.MIN_NORMAL ? 1 : 0;
        }
        return n;
    }

    @Test
    void flushZeroesExactlyTheValuesBelowTwoToTheMinus100() {
        float t = (float) Act.FLUSH;
        float[] f = {t, -t, Math.nextDown(t), -Math.nextDown(t), Float.MIN_NORMAL, Float.MIN_VALUE, -0f, 1e-31f, 7.9e-31f,
            1f, -3.5e20f, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        float[] fe = {t, -t, 0, 0, 0, 0, 0, 0, 7.9e-31f, 1f, -3.5e20f, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN};
        Act.flush(f, f.length);
        for (int i = 0; i < f.length; i++) {
            assertEquals(Float.floatToIntBits(Math.abs(fe[i]) == 0 ? 0f : fe[i]), Float.floatToIntBits(f[i] == 0 ? 0f : f[i]),
                    "float value " + i + ": " + f[i]);
        }
        double[] d = {Act.FLUSH, -Math.nextDown(Act.FLUSH), Double.MIN_NORMAL, Double.MIN_VALUE, 1e-200, 1e-30, -2.5,
            Double.NaN, Double.NEGATIVE_INFINITY};
        double[] de = {Act.FLUSH, 0, 0, 0, 0, 1e-30, -2.5, Double.NaN, Double.NEGATIVE_INFINITY};
        Act.flush(d, d.length);
        for (int i = 0; i < d.length; i++) {
            assertEquals(de[i], d[i] == 0 ? 0.0 : d[i], "double value " + i);
        }
    }

    @Test
    void backwardLoopsKeepNoSubnormalGradients() {
        int b = 3, nIn = 4, t = 300, h = 6;
        for (Cell c : Cell.values()) {
            Nd4j.getRandom().setSeed(17);
            Layer ref = layer(reference(c, h), nIn);
            Layer fused = layer(new FusedRecurrent.Builder(c).nOut(h).activation(Activation.TANH).forgetGateBiasInit(0).build(), nIn);
            // small recurrent weights and (LSTM) a closed forget gate: the gradient shrinks ~10x per step
            INDArray p = Nd4j.rand(DataType.FLOAT, ref.params().shape()).subi(0.5).muli(0.4);
            ref.params().assign(p);
            ref.getParam("RW").muli(0.1);
            if (c == Cell.LSTM) {
                ref.getParam("b").reshape(ref.getParam("b").length()).get(interval(h, 2 * h)).assign(-4);
            }
            fused.params().assign(ref.params());
            INDArray x = Nd4j.rand(DataType.FLOAT, b, nIn, t).subi(0.5);
            INDArray eps = Nd4j.zeros(DataType.FLOAT, b, h, t);
            eps.get(all(), all(), point(t - 1)).assign(Nd4j.rand(DataType.FLOAT, b, h).subi(0.5));

            LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
            ref.setInput(x, ws);
            ref.activate(true, ws);
            Pair<Gradient, INDArray> r = ref.backpropGradient(eps, ws);
            assertTrue(subnormals(r.getSecond()) > 0, c + ": the test's gradients should pass through the subnormal range");

            fused.setInput(x, ws);
            fused.activate(true, ws);
            Pair<Gradient, INDArray> f = fused.backpropGradient(eps, ws);
            FusedBuffers w = ((FusedRecurrentImpl) fused).buffers();
            INDArray dz = w.zFlat.get(interval(0, (long) b * t * w.g));
            assertEquals(0, subnormals(dz), c + ": subnormal values in dZ");
            assertEquals(0, subnormals(f.getSecond()), c + ": subnormal values in dL/dx");
            for (String k : List.of("W", "RW", "b")) {
                INDArray e = r.getFirst().getGradientFor(k), a = f.getFirst().getGradientFor(k);
                double diff = e.sub(a).amaxNumber().doubleValue(), scale = e.amaxNumber().doubleValue();
                assertTrue(diff <= 1e-5 * scale, c + " dL/d" + k + ": max |difference| " + diff + " relative to " + scale);
            }
            double diff = r.getSecond().sub(f.getSecond()).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-5 * r.getSecond().amaxNumber().doubleValue(), c + " dL/dx: " + diff);
        }
    }
}
