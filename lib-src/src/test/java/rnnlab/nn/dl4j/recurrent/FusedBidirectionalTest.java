package rnnlab.nn.dl4j.recurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rnnlab.nn.dl4j.LayerTestKit.assertRel;
import static rnnlab.nn.dl4j.LayerTestKit.fused;
import static rnnlab.nn.dl4j.LayerTestKit.seqOut;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
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

import rnnlab.nn.dl4j.runtime.Parallel;

/**
 * {@link FusedBidirectional} against DL4J's own {@code Bidirectional} wrapping the same fused layers
 * (which reverses, concatenates and sums copies): same outputs, input gradients and parameter
 * gradients for every cell, alone and stacked inside networks with workspaces, with recurrent and
 * (time-shared) input dropout drawn from the same seed, with the directions run concurrently or in
 * turn; DL4J's numerical gradient check in double; the JSON configuration round trip.
 */
class FusedBidirectionalTest {

    private static org.deeplearning4j.nn.conf.layers.Layer bidi(boolean ours, FusedRecurrent inner) {
        return ours ? new FusedBidirectional(inner) : new Bidirectional(Bidirectional.Mode.CONCAT, inner);
    }

    private static MultiLayerNetwork net(DataType dt, int nIn, org.deeplearning4j.nn.conf.layers.Layer... layers) {
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder()
                .dataType(dt).seed(12345).updater(new NoOp()).list();
        for (var l : layers) {
            lb.layer(l);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(lb.setInputType(InputType.recurrent(nIn)).build());
        net.init();
        net.initGradientsView();
        return net;
    }

    private record Run(INDArray out, INDArray gradX, Gradient grads) {
    }

    private static Run run(Layer layer, INDArray x, INDArray eps, long seed) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        Nd4j.getRandom().setSeed(seed);
        layer.setInput(x, ws);
        INDArray out = layer.activate(true, ws).dup();
        Pair<Gradient, INDArray> p = layer.backpropGradient(eps, ws);
        Map<String, INDArray> g = new java.util.LinkedHashMap<>();
        for (var e : p.getFirst().gradientForVariable().entrySet()) {
            g.put(e.getKey(), e.getValue().dup());
        }
        Gradient copy = new org.deeplearning4j.nn.gradient.DefaultGradient();
        copy.gradientForVariable().putAll(g);
        return new Run(out, p.getSecond().dup(), copy);
    }

    private static void compare(Run ref, Run ours, double tol, String what) {
        assertRel(ref.out(), ours.out(), tol, what + " output");
        assertRel(ref.gradX(), ours.gradX(), tol, what + " dL/dx");
        assertEquals(ref.grads().gradientForVariable().keySet(), ours.grads().gradientForVariable().keySet(), what + " keys");
        for (String k : ref.grads().gradientForVariable().keySet()) {
            assertRel(ref.grads().getGradientFor(k), ours.grads().getGradientFor(k), tol, what + " dL/d" + k);
        }
    }

    /** Layer by layer, each cell, several shapes (one step too), twice (buffers reused), both threading modes. */
    @Test
    void matchesDl4jBidirectionalLayerByLayer() {
        boolean before = FusedBidirectionalLayer.parallel;
        int threads = Parallel.threads();
        Parallel.setThreads(2);   // surefire runs with OMP_NUM_THREADS=1
        try {
            for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
                double tol = dt == DataType.FLOAT ? 2e-5 : 1e-11;
                for (Cell c : Cell.values()) {
                    for (int[] d : new int[][] {{3, 5, 7, 4}, {16, 32, 12, 32}, {5, 9, 1, 6}}) { // batch, nIn, time, H
                        int b = d[0], nIn = d[1], t = d[2], h = d[3];
                        Nd4j.getRandom().setSeed(7 + h);
                        Layer ref = net(dt, nIn, bidi(false, fused(c, h, 0, null)), seqOut(2)).getLayer(0);
                        Layer ours = net(dt, nIn, bidi(true, fused(c, h, 0, null)), seqOut(2)).getLayer(0);
                        assertTrue(ours instanceof FusedBidirectionalLayer, "FusedBidirectional builds its own layer");
                        assertEquals(ref.numParams(), ours.numParams(), c + " parameter count");
                        ref.params().assign(Nd4j.rand(dt, ref.params().shape()).subi(0.5).muli(1.5));
                        ours.params().assign(ref.params());
                        INDArray x = Nd4j.rand(dt, b, nIn, t).subi(0.5).muli(2);
                        INDArray eps = Nd4j.rand(dt, b, 2 * h, t).subi(0.5);
                        for (boolean par : new boolean[] {true, false, true}) {
                            FusedBidirectionalLayer.parallel = par;
                            String what = dt + " " + c + " " + java.util.Arrays.toString(d) + " parallel " + par;
                            compare(run(ref, x, eps, 1), run(ours, x, eps, 1), tol, what);
                        }
                    }
                }
            }
        } finally {
            FusedBidirectionalLayer.parallel = before;
            Parallel.setThreads(threads);
        }
    }

    /**
     * Recurrent dropout and time-shared input dropout: both implementations draw the masks in the same
     * order (forward direction's input mask, its recurrent mask, then the backward direction's), and a
     * time-shared input mask does not care about the time reversal, so the same seed gives the same
     * results. Covers the per-direction input copies and the masked recurrent-weight gradient.
     */
    @Test
    void matchesDl4jBidirectionalWithDropout() {
        for (Cell c : Cell.values()) {
            Nd4j.getRandom().setSeed(3);
            Layer ref = net(DataType.FLOAT, 6, bidi(false, fused(c, 5, 0.4, new TimeSharedDropout(0.3))), seqOut(2)).getLayer(0);
            Layer ours = net(DataType.FLOAT, 6, bidi(true, fused(c, 5, 0.4, new TimeSharedDropout(0.3))), seqOut(2)).getLayer(0);
            ref.params().assign(Nd4j.rand(DataType.FLOAT, ref.params().shape()).subi(0.5));
            ours.params().assign(ref.params());
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 6, 9).subi(0.5);
            INDArray eps = Nd4j.rand(DataType.FLOAT, 4, 10, 9).subi(0.5);
            Run r = run(ref, x, eps, 99);
            Run o = run(ours, x, eps, 99);
            compare(r, o, 2e-5, c + " with dropout");
            // and the masks were really on: without them the output differs
            Layer plain = net(DataType.FLOAT, 6, bidi(true, fused(c, 5, 0, null)), seqOut(2)).getLayer(0);
            plain.params().assign(ref.params());
            double diff = run(plain, x, eps, 99).out().sub(o.out()).amaxNumber().doubleValue();
            assertTrue(diff > 1e-3, c + ": dropout changed nothing (" + diff + ")");
        }
    }

    /**
     * Whole networks with workspaces: two stacked bidirectional layers (the second reads the first's
     * time-major output) under a final-state or last-step head, the same gradients and score as DL4J's wrapper.
     */
    @Test
    void matchesDl4jBidirectionalInsideNetworks() {
        for (Cell c : Cell.values()) {
            for (int head = 0; head < 3; head++) {
                MultiLayerNetwork[] nets = new MultiLayerNetwork[2];
                for (int k = 0; k < 2; k++) {
                    boolean ours = k == 1;
                    var l1 = bidi(ours, fused(c, 5, 0, null));
                    var l2 = bidi(ours, fused(c, 4, 0, null));
                    var out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                            .nOut(3).build();
                    nets[k] = switch (head) {
                        case 0 -> net(DataType.FLOAT, 6, l1, l2, new BidirectionalLastStep(), out);
                        case 1 -> net(DataType.FLOAT, 6, l1, new LastTimeStep(l2), out);
                        default -> net(DataType.FLOAT, 6, l1, l2, seqOut(3));
                    };
                }
                nets[1].setParams(nets[0].params());
                INDArray x = Nd4j.rand(DataType.FLOAT, 5, 6, 8).subi(0.5);
                INDArray y = head == 2 ? Nd4j.rand(DataType.FLOAT, 5, 3, 8) : Nd4j.zeros(DataType.FLOAT, 5, 3);
                if (head != 2) {
                    for (int i = 0; i < 5; i++) {
                        y.putScalar(i, i % 3, 1);
                    }
                }
                for (int rep = 0; rep < 2; rep++) {
                    for (MultiLayerNetwork n : nets) {
                        n.setInput(x);
                        n.setLabels(y);
                        n.computeGradientAndScore();
                    }
                    String what = c + " head " + head + " call " + rep;
                    assertEquals(nets[0].score(), nets[1].score(), 1e-5, what + " score");
                    assertRel(nets[0].getFlattenedGradients(), nets[1].getFlattenedGradients(), 2e-5, what + " gradients");
                    assertRel(nets[0].output(x), nets[1].output(x), 2e-5, what + " inference output");
                }
            }
        }
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).subset(true).maxPerParam(8)
                .callEachIter(n -> Nd4j.getRandom().setSeed(4321))
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void gradientChecksInDouble() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (Cell c : Cell.values()) {
                Nd4j.getRandom().setSeed(3);
                INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 5);
                MultiLayerNetwork seq = net(DataType.DOUBLE, 3, new FusedBidirectional(fused(c, 3, 0, null)), seqOut(2));
                seq.params().addi(Nd4j.rand(DataType.DOUBLE, seq.params().shape()).subi(0.5));
                assertTrue(check(seq, x, Nd4j.rand(DataType.DOUBLE, 2, 2, 5)), c + " sequence output");

                MultiLayerNetwork last = net(DataType.DOUBLE, 3, new FusedBidirectional(fused(c, 3, 0.3, new TimeSharedDropout(0.2))),
                        new FusedBidirectional(fused(c, 2, 0, null)), new BidirectionalLastStep(),
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2).build());
                INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 2);
                y.putScalar(0, 0, 1).putScalar(1, 1, 1);
                assertTrue(check(last, x, y), c + " stacked, dropout, final states");
            }
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void configurationSurvivesJson() {
        MultiLayerConfiguration conf = net(DataType.FLOAT, 4, new FusedBidirectional(fused(Cell.GRU, 3, 0.25, null)), seqOut(1))
                .getLayerWiseConfigurations();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        MultiLayerNetwork n = new MultiLayerNetwork(back);
        n.init();
        assertTrue(n.getLayer(0) instanceof FusedBidirectionalLayer, "restored as the fused layer");
        var l = (Bidirectional) back.getConf(0).getLayer();
        assertTrue(l instanceof FusedBidirectional && l.getFwd() instanceof FusedRecurrent f
                && f.getRecurrentDropout() == 0.25, "restored configuration " + l);
    }
}
