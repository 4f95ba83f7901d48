package rnnlab.nn.dl4j.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rnnlab.nn.dl4j.LayerTestKit.assertRel;

import java.util.Arrays;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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

/**
 * {@link FastDense} against DL4J's {@link DenseLayer} with identical parameters (outputs, input,
 * weight and bias gradients; float and double; LeNet-5's 576 → 120 at batch 64, whose products are cut
 * into single-thread calls), against DL4J's numerical gradient check, and the fallback to DL4J's code
 * for an activation it does not handle.
 */
class FastDenseTest {

    /** {nIn, nOut, batch, relu?, bias?} */
    private static final int[][] CASES = {
        {576, 120, 64, 1, 1}, // LeNet-5's first dense layer
        {7, 5, 3, 0, 1},      // identity
        {4, 6, 1, 1, 0},      // no bias, batch 1
    };

    private static DenseLayer dense(int[] d, Activation a) {
        return new DenseLayer.Builder().nIn(d[0]).nOut(d[1]).activation(a).hasBias(d[4] == 1).build();
    }

    private static Activation act(int[] d) {
        return d[3] == 1 ? Activation.RELU : Activation.IDENTITY;
    }

    private static MultiLayerNetwork net(DataType dt, org.deeplearning4j.nn.conf.layers.Layer first, int nIn) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(dt).seed(12345).updater(new NoOp()).list()
                .layer(first)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(nIn)).build());
        net.init();
        net.initGradientsView();
        return net;
    }

    private static INDArray[] run(Layer layer, INDArray x, INDArray eps, boolean training) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, ws);
        INDArray out = layer.activate(training, ws).dup();
        Pair<Gradient, INDArray> p = layer.backpropGradient(eps, ws);
        INDArray b = p.getFirst().getGradientFor("b");
        return new INDArray[] {out, p.getSecond().dup(), p.getFirst().getGradientFor("W").dup(), b == null ? null : b.dup(),
                layer.getGradientsViewArray().dup()};
    }

    private static void parity(DataType dt, double tol, Activation forced) {
        for (int[] d : CASES) {
            Activation a = forced != null ? forced : act(d);
            Nd4j.getRandom().setSeed(3 + d[1]);
            Layer ref = net(dt, dense(d, a), d[0]).getLayer(0);
            Layer fast = net(dt, FastDense.of(dense(d, a)), d[0]).getLayer(0);
            assertInstanceOf(FastDenseImpl.class, fast);
            ref.params().assign(Nd4j.rand(dt, ref.params().shape()).subi(0.5));
            fast.params().assign(ref.params());
            for (int rep = 0; rep < 4; rep++) { // call 1: larger batch; call 3 backprops after an inference pass
                int batch = rep == 1 ? d[2] + 5 : d[2];
                INDArray x = Nd4j.rand(dt, batch, d[0]).subi(0.5).muli(2);
                INDArray eps = Nd4j.rand(dt, batch, d[1]).subi(0.5);
                INDArray[] r = run(ref, x, eps, rep < 3);
                INDArray[] f = run(fast, x, eps, rep < 3);
                String what = dt + " " + a + " " + Arrays.toString(d) + " call " + rep;
                assertEquals(forced == null, ((FastDenseImpl) fast).fast(), what + ": fast path taken");
                assertRel(r[0], f[0], tol, what + " output");
                assertRel(r[1], f[1], tol, what + " dL/dx");
                assertRel(r[2], f[2], tol, what + " dL/dW");
                assertRel(r[4], f[4], tol, what + " gradient view");
                if (d[4] == 1) {
                    assertRel(r[3], f[3], tol, what + " dL/db");
                }
            }
        }
    }

    @Test
    void matchesDl4jDenseLayer() {
        parity(DataType.FLOAT, 1e-5, null);
        parity(DataType.DOUBLE, 1e-12, null);
    }

    @Test
    void otherActivationsRunDl4jsCode() {
        parity(DataType.FLOAT, 0, Activation.TANH);
    }

    @Test
    void passesDl4jGradientCheck() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (int[] d : CASES) {
                if (d[0] > 100) {
                    continue; // LeNet's size is covered by parity; keep the numerical check small
                }
                Nd4j.getRandom().setSeed(11);
                // two layers, so that the first one's input gradient is used and checked through the second
                MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                        .dataType(DataType.DOUBLE).seed(12345).updater(new NoOp()).list()
                        .layer(FastDense.of(dense(new int[] {d[0], d[0], 0, d[3], 1}, act(d))))
                        .layer(FastDense.of(dense(d, act(d))))
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.feedForward(d[0])).build());
                net.init();
                assertInstanceOf(FastDenseImpl.class, net.getLayer(1));
                net.params().assign(Nd4j.rand(DataType.DOUBLE, net.params().shape()).subi(0.5));
                INDArray x = Nd4j.rand(DataType.DOUBLE, d[2], d[0]).subi(0.5).muli(2);
                INDArray y = Nd4j.zeros(DataType.DOUBLE, d[2], 3);
                for (int i = 0; i < d[2]; i++) {
                    y.putScalar(i, i % 3, 1.0);
                }
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
                assertTrue(ok, "gradient check " + Arrays.toString(d));
            }
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    /** Sequential's hidden Dense layers use it for FLOAT models; the reference builds do not (the benchmark's LeNet-5: rnnlab.bench.Dl4jModelsTest). */
    @Test
    void usedBySequential() {
        for (boolean reference : new boolean[] {false, true}) {
            MultiLayerNetwork net = rnnlab.nn.Sequential.of(new rnnlab.nn.Layer.Dense(8, "relu"), new rnnlab.nn.Layer.Dense(2, "softmax"))
                    .inputFeatures(5).referenceLayers(reference).build().network();
            assertEquals(reference ? org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class : FastDenseImpl.class,
                    net.getLayer(0).getClass(), "Sequential hidden Dense, referenceLayers(" + reference + ")");
        }
    }
}
