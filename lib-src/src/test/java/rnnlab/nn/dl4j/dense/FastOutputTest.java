package rnnlab.nn.dl4j.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rnnlab.nn.dl4j.LayerTestKit.assertRel;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link FastOutput} against DL4J's {@link OutputLayer} with identical parameters: outputs, score and
 * every gradient of a small network (float and double, one-hot and soft labels, two batch sizes),
 * the parameters after Adam steps, DL4J's numerical gradient check, and DL4J's code for a
 * configuration it does not compute itself (sigmoid with binary cross-entropy).
 */
class FastOutputTest {

    private static MultiLayerNetwork net(DataType dt, boolean fast, Activation act, LossFunctions.LossFunction loss,
            org.nd4j.linalg.learning.config.IUpdater updater) {
        OutputLayer out = new OutputLayer.Builder(loss).nIn(6).nOut(4).activation(act).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(dt).updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(9).nOut(6).activation(Activation.TANH).build())
                .layer(fast ? FastOutput.of(out) : out)
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    private static DataSet data(DataType dt, int batch, boolean soft, int seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(dt, batch, 9).subi(0.5).muli(3);
        INDArray y;
        if (soft) {
            y = Nd4j.rand(dt, batch, 4).addi(0.1);
            y.diviColumnVector(y.sum(1));
        } else {
            y = Nd4j.zeros(dt, batch, 4);
            for (int i = 0; i < batch; i++) {
                y.putScalar(i, (i * 3 + seed) % 4, 1.0);
            }
        }
        return new DataSet(x, y);
    }

    /** Each network's gradient and score for {@code d}, as {@code fit} computes them. */
    private static void gradientAndScore(DataSet d, MultiLayerNetwork... nets) {
        for (MultiLayerNetwork n : nets) {
            n.setInput(d.getFeatures());
            n.setLabels(d.getLabels());
            n.computeGradientAndScore();
        }
    }

    @Test
    void matchesDl4jsOutputLayer() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            double tol = dt == DataType.FLOAT ? 1e-5 : 1e-10;
            for (LossFunctions.LossFunction loss : new LossFunctions.LossFunction[] {
                    LossFunctions.LossFunction.MCXENT, LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD}) {
                MultiLayerNetwork ref = net(dt, false, Activation.SOFTMAX, loss, new NoOp());
                MultiLayerNetwork fast = net(dt, true, Activation.SOFTMAX, loss, new NoOp());
                assertInstanceOf(FastOutputImpl.class, fast.getOutputLayer());
                fast.params().assign(ref.params());
                for (int rep = 0; rep < 4; rep++) {
                    DataSet d = data(dt, rep == 1 ? 7 : 5, rep >= 2, rep);
                    String what = dt + " " + loss + " call " + rep;
                    assertRel(ref.output(d.getFeatures()), fast.output(d.getFeatures()), tol, what + " output");
                    assertTrue(((FastOutputImpl) fast.getOutputLayer()).lastFast, "fast path taken (output)");
                    gradientAndScore(d, ref, fast);
                    assertTrue(((FastOutputImpl) fast.getOutputLayer()).lastFast, "fast path taken (score)");
                    assertEquals(ref.score(), fast.score(), tol * Math.abs(ref.score()), what + " score");
                    assertRel(ref.gradient().gradient(), fast.gradient().gradient(), tol, what + " gradients");
                    for (String k : ref.gradient().gradientForVariable().keySet()) {
                        assertRel(ref.gradient().getGradientFor(k), fast.gradient().getGradientFor(k), tol, what + " " + k);
                    }
                }
            }
        }
    }

    @Test
    void trainsLikeDl4jsOutputLayer() {
        MultiLayerNetwork ref = net(DataType.FLOAT, false, Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, new Adam(0.01));
        MultiLayerNetwork fast = net(DataType.FLOAT, true, Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, new Adam(0.01));
        fast.params().assign(ref.params());
        for (int s = 0; s < 20; s++) {
            DataSet d = data(DataType.FLOAT, 8, false, s);
            ref.fit(d);
            fast.fit(d);
        }
        assertRel(ref.params(), fast.params(), 1e-4, "parameters after 20 Adam steps");
    }

    @Test
    void passesDl4jsGradientCheck() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork n = net(DataType.DOUBLE, true, Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT, new NoOp());
            DataSet d = data(DataType.DOUBLE, 5, false, 3);
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(n).input(d.getFeatures())
                    .labels(d.getLabels()).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)));
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void otherOutputsRunDl4jsCode() {
        MultiLayerNetwork ref = net(DataType.FLOAT, false, Activation.SIGMOID, LossFunctions.LossFunction.XENT, new NoOp());
        MultiLayerNetwork fast = net(DataType.FLOAT, true, Activation.SIGMOID, LossFunctions.LossFunction.XENT, new NoOp());
        fast.params().assign(ref.params());
        DataSet d = data(DataType.FLOAT, 5, false, 1);
        assertEquals(ref.output(d.getFeatures()), fast.output(d.getFeatures()));
        assertFalse(((FastOutputImpl) fast.getOutputLayer()).lastFast, "sigmoid + XENT takes DL4J's code");
        gradientAndScore(d, ref, fast);
        assertEquals(ref.score(), fast.score());
        assertEquals(ref.gradient().gradient(), fast.gradient().gradient());
    }
}
