package rnnlab.nn.dl4j.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;
import static rnnlab.nn.dl4j.LayerTestKit.fused;
import static rnnlab.nn.dl4j.LayerTestKit.seqOut;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

import rnnlab.nn.dl4j.recurrent.FusedRecurrent.Cell;

/**
 * Keras's {@code recurrent_dropout} in the fused layers (every cell) and Keras's per-sequence input
 * {@code dropout} ({@link TimeSharedDropout}) on the fused and the reference SimpleRNN/LSTM: the
 * gradient check with both masks active, training vs inference, the mask fixed across time steps
 * and multiplied into h<sub>t-1</sub> before the recurrent product.
 */
class RecurrentDropoutTest {

    private static MultiLayerNetwork net(DataType dt, org.deeplearning4j.nn.conf.layers.Layer rnn,
            org.deeplearning4j.nn.conf.layers.Layer out, int nIn) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(dt).seed(12345).updater(new NoOp())
                .list().layer(rnn).layer(out)
                .setInputType(InputType.recurrent(nIn)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net;
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        // the same seed before every evaluation: the same input and recurrent masks each time
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).subset(true).maxPerParam(10)
                .callEachIter(n -> Nd4j.getRandom().setSeed(4321))
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    private static FusedRecurrentImpl impl(MultiLayerNetwork n) {
        Layer l = n.getLayer(0);
        if (l instanceof org.deeplearning4j.nn.layers.recurrent.LastTimeStepLayer w) {
            l = w.getUnderlying();
        }
        return (FusedRecurrentImpl) l;
    }

    /** The recurrent mask a training pass with the gradient check's seed draws (the check clears it after use). */
    private static INDArray trainingMask(MultiLayerNetwork n, INDArray x) {
        Nd4j.getRandom().setSeed(4321);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        n.getLayer(0).setInput(x, ws);
        n.getLayer(0).activate(true, ws);
        return impl(n).recurrentMask();
    }

    /** The mask of the last training pass has both values 0 and 1/(1-p), nothing else. */
    private static void assertIsMask(INDArray m, double p, String what) {
        assertNotNull(m, what + ": no recurrent mask in training");
        double scale = 1.0 / (1.0 - p);
        long zeros = 0;
        for (double v : m.castTo(DataType.DOUBLE).data().asDouble()) {
            assertTrue(v == 0 || Math.abs(v - scale) < 1e-6, what + ": mask value " + v);
            zeros += v == 0 ? 1 : 0;
        }
        assertTrue(zeros > 0 && zeros < m.length(), what + ": " + zeros + " of " + m.length() + " dropped");
    }

    @Test
    void gradientCheckWithRecurrentAndInputDropoutActive() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (Cell c : Cell.values()) {
                Nd4j.getRandom().setSeed(11);
                MultiLayerNetwork seq = net(DataType.DOUBLE, fused(c, 4, 0.4, new TimeSharedDropout(0.3)), seqOut(2), 3);
                seq.getLayer(0).params().addi(Nd4j.rand(DataType.DOUBLE, seq.getLayer(0).params().shape()).subi(0.5));
                INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 3, 5);
                assertTrue(check(seq, x, Nd4j.rand(DataType.DOUBLE, 3, 2, 5)), c + " sequence output");
                assertIsMask(trainingMask(seq, x), 0.4, c + " sequence output");

                MultiLayerNetwork last = net(DataType.DOUBLE, new LastTimeStep(fused(c, 3, 0.5, null)),
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2)
                                .build(), 3);
                last.getLayer(0).params().addi(Nd4j.rand(DataType.DOUBLE, last.getLayer(0).params().shape()).subi(0.5));
                INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 2);
                y.putScalar(0, 0, 1).putScalar(1, 1, 1).putScalar(2, 1, 1);
                assertTrue(check(last, x, y), c + " last step");
                assertIsMask(trainingMask(last, x), 0.5, c + " last step");
            }
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    private static INDArray activate(Layer l, INDArray x, boolean training) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        l.setInput(x, ws);
        return l.activate(training, ws).dup();
    }

    @Test
    void trainingUsesTheMaskInferenceDoesNot() {
        for (Cell c : Cell.values()) {
            Nd4j.getRandom().setSeed(5);
            Layer dropped = net(DataType.FLOAT, fused(c, 6, 0.5, null), seqOut(1), 4).getLayer(0);
            Layer plain = net(DataType.FLOAT, fused(c, 6, 0, null), seqOut(1), 4).getLayer(0);
            plain.params().assign(Nd4j.rand(DataType.FLOAT, plain.params().shape()).subi(0.5));
            dropped.params().assign(plain.params());
            INDArray x = Nd4j.rand(DataType.FLOAT, 5, 4, 7).subi(0.5);

            INDArray inference = activate(dropped, x, false);
            assertNull(((FusedRecurrentImpl) dropped).recurrentMask(), c + ": no mask at inference");
            assertEquals(activate(plain, x, false), inference, c + ": inference ignores recurrent_dropout");
            assertEquals(activate(plain, x, true), inference, c + ": without dropout, training = inference");

            INDArray training = activate(dropped, x, true);
            assertIsMask(((FusedRecurrentImpl) dropped).recurrentMask(), 0.5, c.toString());
            // the first step sees h_{-1} = 0, so only later steps can differ
            assertEquals(inference.get(all(), all(), point(0)), training.get(all(), all(), point(0)), c + " step 0");
            double diff = inference.sub(training).amaxNumber().doubleValue();
            assertTrue(diff > 1e-3, c + ": training output equals inference output (max |difference| " + diff + ")");
            assertEquals(inference, activate(dropped, x, false), c + ": inference after training is unchanged");
        }
    }

    /**
     * A step of each cell written out in ND4J ops, with h<sub>t-1</sub> multiplied by the mask before
     * the recurrent product: the fused training output must equal it with the layer's own mask, the
     * same mask at every step.
     */
    private static INDArray byHand(Cell c, INDArray x, INDArray w, INDArray rw, INDArray b, INDArray m, int h) {
        long nb = x.size(0), nt = x.size(2);
        INDArray out = Nd4j.create(x.dataType(), nb, h, nt);
        INDArray hp = Nd4j.zeros(x.dataType(), nb, h);
        INDArray cp = Nd4j.zeros(x.dataType(), nb, h);
        for (long t = 0; t < nt; t++) {
            INDArray xt = x.get(all(), all(), point(t));
            INDArray hin = hp.mul(m);
            INDArray hn;
            switch (c) {
                case SIMPLE_RNN -> hn = Transforms.tanh(xt.mmul(w).add(hin.mmul(rw)).addRowVector(b));
                case LSTM -> {
                    INDArray z = xt.mmul(w).add(hin.mmul(rw)).addRowVector(b);
                    INDArray a = Transforms.tanh(z.get(all(), interval(0, h)));
                    INDArray f = Transforms.sigmoid(z.get(all(), interval(h, 2 * h)));
                    INDArray o = Transforms.sigmoid(z.get(all(), interval(2 * h, 3 * h)));
                    INDArray i = Transforms.sigmoid(z.get(all(), interval(3 * h, 4 * h)));
                    cp = f.mul(cp).add(i.mul(a));
                    hn = o.mul(Transforms.tanh(cp));
                }
                default -> {
                    INDArray gi = xt.mmul(w).addRowVector(b.get(all(), interval(0, 3 * h)));
                    INDArray gh = hin.mmul(rw).addRowVector(b.get(all(), interval(3 * h, 6 * h)));
                    INDArray r = Transforms.sigmoid(gi.get(all(), interval(0, h)).add(gh.get(all(), interval(0, h))));
                    INDArray z = Transforms.sigmoid(gi.get(all(), interval(h, 2 * h)).add(gh.get(all(), interval(h, 2 * h))));
                    INDArray n = Transforms.tanh(gi.get(all(), interval(2 * h, 3 * h))
                            .add(r.mul(gh.get(all(), interval(2 * h, 3 * h)))));
                    hn = hp.sub(n).mul(z).add(n);
                }
            }
            out.get(all(), all(), point(t)).assign(hn);
            hp = hn;
        }
        return out;
    }

    @Test
    void theMaskMultipliesThePreviousStateAtEveryStep() {
        for (Cell c : Cell.values()) {
            int h = 5;
            Nd4j.getRandom().setSeed(21);
            MultiLayerNetwork n = net(DataType.DOUBLE, fused(c, h, 0.5, null), seqOut(1), 3);
            Layer l = n.getLayer(0);
            l.params().assign(Nd4j.rand(DataType.DOUBLE, l.params().shape()).subi(0.5).muli(2));
            INDArray x = Nd4j.rand(DataType.DOUBLE, 6, 3, 8).subi(0.5);
            Nd4j.getRandom().setSeed(21);
            INDArray out = activate(l, x, true);
            INDArray m = ((FusedRecurrentImpl) l).recurrentMask().dup();
            assertIsMask(m, 0.5, c.toString());
            INDArray expected = byHand(c, x, l.getParam("W"), l.getParam("RW"), l.getParam("b"), m, h);
            double diff = expected.sub(out).amaxNumber().doubleValue();
            assertTrue(diff < 1e-12, c + ": fused training output vs the masked recurrence by hand: " + diff);

            // a unit dropped for a sample feeds nothing through the recurrent weights at ANY step: changing
            // its row of RW leaves that sample's whole output sequence unchanged (same seed, same mask)
            int unchanged = 0;
            for (int u = 0; u < h; u++) {
                INDArray rw = l.getParam("RW");
                INDArray row = rw.get(point(u), all()).dup();
                rw.get(point(u), all()).addi(0.7);
                Nd4j.getRandom().setSeed(21);
                INDArray again = activate(l, x, true);
                rw.get(point(u), all()).assign(row);
                assertEquals(m, ((FusedRecurrentImpl) l).recurrentMask(), c + ": same seed, same mask");
                for (int s = 0; s < x.size(0); s++) {
                    double d = again.get(point(s), all(), all()).sub(out.get(point(s), all(), all())).amaxNumber()
                            .doubleValue();
                    if (m.getDouble(s, u) == 0) {
                        assertEquals(0.0, d, c + ": sample " + s + " dropped unit " + u + " but its output changed");
                        unchanged++;
                    } else {
                        assertTrue(d > 1e-6, c + ": sample " + s + " kept unit " + u + " but its output did not change");
                    }
                }
            }
            assertTrue(unchanged > 0, c + ": no dropped unit was exercised");
        }
    }

    /** dL/dx is zero for every step of a dropped (sample, feature) and nowhere else. */
    private static void assertInputMaskSharedAcrossTime(org.deeplearning4j.nn.conf.layers.Layer conf, String what) {
        Nd4j.getRandom().setSeed(8);
        Layer l = net(DataType.FLOAT, conf, seqOut(2), 6).getLayer(0);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = Nd4j.rand(DataType.FLOAT, 7, 6, 5).subi(0.5);
        l.setInput(x, ws);
        INDArray out = l.activate(true, ws);
        INDArray gx = l.backpropGradient(Nd4j.rand(DataType.FLOAT, out.shape()).subi(0.5), ws).getSecond();
        int dropped = 0;
        for (int s = 0; s < 7; s++) {
            for (int f = 0; f < 6; f++) {
                int zeros = 0;
                for (int t = 0; t < 5; t++) {
                    zeros += gx.getDouble(s, f, t) == 0 ? 1 : 0;
                }
                assertTrue(zeros == 0 || zeros == 5, what + ": sample " + s + " feature " + f + " dropped at " + zeros
                        + " of 5 steps; Keras drops it at all or none");
                dropped += zeros == 5 ? 1 : 0;
            }
        }
        assertTrue(dropped > 0 && dropped < 42, what + ": " + dropped + " of 42 (sample, feature) pairs dropped");
    }

    @Test
    void inputDropoutIsOneMaskPerSequenceForEveryCell() {
        for (Cell c : Cell.values()) {
            assertInputMaskSharedAcrossTime(fused(c, 4, 0.3, new TimeSharedDropout(0.4)), "fused " + c);
        }
        BaseRecurrentLayer lstm = new LSTM.Builder().nOut(4).activation(Activation.TANH).build();
        lstm.setIDropout(new TimeSharedDropout(0.4));
        assertInputMaskSharedAcrossTime(lstm, "DL4J LSTM");
        BaseRecurrentLayer rnn = new SimpleRnn.Builder().nOut(4).activation(Activation.TANH).build();
        rnn.setIDropout(new TimeSharedDropout(0.4));
        assertInputMaskSharedAcrossTime(rnn, "DL4J SimpleRnn");
    }
}
