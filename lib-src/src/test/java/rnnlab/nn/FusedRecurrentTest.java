package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
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

import rnnlab.nn.dl4j.recurrent.FusedRecurrent;
import rnnlab.nn.dl4j.LayerTestKit;
import rnnlab.nn.dl4j.recurrent.FusedRecurrent.Cell;
import rnnlab.nn.dl4j.recurrent.GruLayer;

/**
 * The fused recurrent layers ({@link FusedRecurrent}) against the reference layers (DL4J's LSTM and
 * SimpleRnn, the hand-written GruLayer) with identical weights in float, against the torch fixtures
 * in double and float, and against DL4J's numerical gradient check in double.
 */
class FusedRecurrentTest {

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

    private static org.deeplearning4j.nn.conf.layers.Layer seqOut(int n) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(n).build();
    }

    private static org.deeplearning4j.nn.conf.layers.Layer reference(Cell c, int h) {
        return switch (c) {
            case SIMPLE_RNN -> new SimpleRnn.Builder().nOut(h).activation(Activation.TANH).build();
            case LSTM -> new LSTM.Builder().nOut(h).activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID).forgetGateBiasInit(1.0).build();
            case GRU -> new GruLayer.Builder().nOut(h).activation(Activation.TANH).build();
        };
    }

    private static FusedRecurrent fused(Cell c, int h) {
        return new FusedRecurrent.Builder(c).nOut(h).activation(Activation.TANH).build();
    }

    private record Run(INDArray out, INDArray gradX, Gradient grads) {
    }

    private static Run run(Layer layer, INDArray x, INDArray eps) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, ws);
        INDArray out = layer.activate(true, ws).dup();
        Pair<Gradient, INDArray> p = layer.backpropGradient(eps, ws);
        return new Run(out, p.getSecond().dup(), p.getFirst());
    }

    /** max |a - e| / max |e| (relative to the expected array's scale). */
    private static void assertRel(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(expected.length(), actual.length(), what + " size");
        if (expected.rank() != actual.rank()) {
            actual = actual.reshape(expected.shape());
        }
        LayerTestKit.assertRel(expected, actual, tol, what);
    }

    @Test
    void floatParityWithReferenceLayers() {
        for (Cell c : Cell.values()) {
            for (int[] d : new int[][] {{3, 5, 7, 4}, {16, 32, 12, 32}, {5, 9, 1, 6}}) { // batch, nIn, time, H
                int b = d[0], nIn = d[1], t = d[2], h = d[3];
                Nd4j.getRandom().setSeed(7 + h);
                Layer ref = net(DataType.FLOAT, reference(c, h), seqOut(2), nIn).getLayer(0);
                Layer fast = net(DataType.FLOAT, fused(c, h), seqOut(2), nIn).getLayer(0);
                assertEquals(ref.numParams(), fast.numParams(), c + " parameter count");
                ref.params().assign(Nd4j.rand(DataType.FLOAT, ref.params().shape()).subi(0.5).muli(1.5));
                for (String k : List.of("W", "RW", "b")) {
                    assertEquals(java.util.Arrays.toString(ref.getParam(k).shape()),
                            java.util.Arrays.toString(fast.getParam(k).shape()), c + " " + k + " shape");
                }
                fast.params().assign(ref.params()); // same flat order: W, RW, b
                for (String k : List.of("W", "RW", "b")) {
                    assertEquals(ref.getParam(k), fast.getParam(k), c + " " + k + " after copying the flat vector");
                }
                INDArray x = Nd4j.rand(DataType.FLOAT, b, nIn, t).subi(0.5).muli(2);
                INDArray eps = Nd4j.rand(DataType.FLOAT, b, h, t).subi(0.5);
                for (int rep = 0; rep < 2; rep++) { // the second call reuses the buffers
                    Run r = run(ref, x, eps);
                    Run f = run(fast, x, eps);
                    String what = c + " " + java.util.Arrays.toString(d) + " call " + rep;
                    assertRel(r.out(), f.out(), 1e-4, what + " output");
                    assertRel(r.gradX(), f.gradX(), 1e-4, what + " dL/dx");
                    for (String k : List.of("W", "RW", "b")) {
                        assertRel(r.grads().getGradientFor(k), f.grads().getGradientFor(k), 1e-4, what + " dL/d" + k);
                    }
                }
            }
        }
    }

    private static Layer fromFixture(DataType dt, Cell c, Map<String, Object> f) {
        int in = ((Number) f.get("input")).intValue(), h = ((Number) f.get("hidden")).intValue();
        return net(dt, fused(c, h), seqOut(1), in).getLayer(0);
    }

    @SuppressWarnings("unchecked")
    private static void torchParity(DataType dt, double tol) throws Exception {
        for (Cell c : Cell.values()) {
            String file = switch (c) {
                case SIMPLE_RNN -> "torch_rnn.json";
                case LSTM -> "torch_lstm.json";
                case GRU -> "torch_gru.json";
            };
            Map<String, Object> f = GruLayerTest.fixture(file);
            int in = ((Number) f.get("input")).intValue(), h = ((Number) f.get("hidden")).intValue();
            Layer layer = fromFixture(dt, c, f);
            Map<String, Object> p = (Map<String, Object>) f.get("params");
            Map<String, INDArray> expected;
            switch (c) {
                case SIMPLE_RNN -> {
                    TorchWeights.loadSimpleRnn(layer, p);
                    expected = TorchWeights.simpleRnnGradients((Map<String, Object>) f.get("grads"), in, h);
                }
                case LSTM -> {
                    TorchWeights.loadLstm(layer, p);
                    expected = TorchWeights.lstmGradients((Map<String, Object>) f.get("grads"), in, h);
                }
                default -> {
                    TorchWeights.loadGru(layer, p);
                    expected = TorchWeights.gruGradients((Map<String, Object>) f.get("grads"), in, h);
                }
            }
            Run r = run(layer, GruLayerTest.btfToNcw(f.get("x")).castTo(dt), GruLayerTest.btfToNcw(f.get("c")).castTo(dt));
            assertRel(GruLayerTest.btfToNcw(f.get("out")), r.out(), tol, c + " " + dt + " output vs torch");
            assertRel(GruLayerTest.btfToNcw(f.get("grad_x")), r.gradX(), tol, c + " " + dt + " dL/dx vs torch");
            for (String k : expected.keySet()) {
                assertRel(expected.get(k), r.grads().getGradientFor(k), tol, c + " " + dt + " dL/d" + k + " vs torch");
            }
        }
    }

    @Test
    void matchesTorchInDoubleAndFloat() throws Exception {
        torchParity(DataType.DOUBLE, 1e-9);
        torchParity(DataType.FLOAT, 1e-5);
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).subset(true).maxPerParam(8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void gradientChecksInDouble() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (Cell c : Cell.values()) {
                Nd4j.getRandom().setSeed(3);
                MultiLayerNetwork seq = net(DataType.DOUBLE, fused(c, 4), seqOut(2), 3);
                seq.getLayer(0).params().addi(Nd4j.rand(DataType.DOUBLE, seq.getLayer(0).params().shape()).subi(0.5));
                INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 5);
                assertTrue(check(seq, x, Nd4j.rand(DataType.DOUBLE, 2, 2, 5)), c + " sequence output");

                MultiLayerNetwork last = net(DataType.DOUBLE, new LastTimeStep(fused(c, 3)),
                        new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2)
                                .build(), 3);
                INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 2);
                y.putScalar(0, 0, 1).putScalar(1, 1, 1);
                assertTrue(check(last, x, y), c + " last step");

                MultiLayerNetwork bi = net(DataType.DOUBLE, new Bidirectional(Bidirectional.Mode.CONCAT, fused(c, 3)),
                        seqOut(2), 3);
                assertTrue(check(bi, x, Nd4j.rand(DataType.DOUBLE, 2, 2, 5)), c + " bidirectional");
            }
            // BidirectionalLastStep (Keras Bidirectional(return_sequences=False)) inside a whole DOUBLE model
            Model m = Sequential.of(new rnnlab.nn.Layer.Embedding(7, 3),
                    new rnnlab.nn.Layer.Bidirectional(new rnnlab.nn.Layer.GRU(3)), new rnnlab.nn.Layer.Dense(1, "sigmoid"))
                    .dataType(DataType.DOUBLE).compile(Optimizer.sgd(1.0), Loss.BINARY_CROSSENTROPY);
            INDArray ids = Nd4j.createFromArray(new double[][] {{1, 5, 2, 6}, {3, 0, 4, 4}});
            assertTrue(check(m.network(), ids, Nd4j.createFromArray(new double[][] {{1}, {0}})),
                    "Bidirectional(GRU) final states");
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void rejectsMasksAndUnsupportedOptions() {
        Layer l = net(DataType.FLOAT, fused(Cell.LSTM, 3), seqOut(1), 2).getLayer(0);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        l.setInput(Nd4j.rand(DataType.FLOAT, 2, 2, 4), ws);
        l.setMaskArray(Nd4j.ones(DataType.FLOAT, 2, 4));
        var e = assertThrows(UnsupportedOperationException.class, () -> l.activate(false, ws));
        assertTrue(e.getMessage().contains("mask") && e.getMessage().contains("referenceLayers"), e.getMessage());
        var rd = assertThrows(IllegalArgumentException.class,
                () -> new FusedRecurrent.Builder(Cell.LSTM).recurrentDropout(1.0));
        assertTrue(rd.getMessage().contains("recurrent_dropout") && rd.getMessage().contains("[0, 1)"), rd.getMessage());
        var step = assertThrows(UnsupportedOperationException.class,
                () -> ((org.deeplearning4j.nn.api.layers.RecurrentLayer) l).rnnTimeStep(Nd4j.rand(DataType.FLOAT, 2, 2, 1), ws));
        assertTrue(step.getMessage().contains("rnnTimeStep"), step.getMessage());
    }

    private static Model build(boolean reference, rnnlab.nn.Layer... layers) {
        return Sequential.of(layers).seed(5).referenceLayers(reference)
                .compile(Optimizer.adam(), Loss.BINARY_CROSSENTROPY);
    }

    private static long count(MultiLayerNetwork n, Class<?> type) {
        long k = 0;
        for (var conf : n.getLayerWiseConfigurations().getConfs()) {
            String s = conf.getLayer().toString();
            k += s.contains(type.getSimpleName()) ? 1 : 0;
        }
        return k;
    }

    /**
     * Whole Sequential models: fused (default) and reference layers give the same summary, outputs and
     * gradients (embedding included: ScatterEmbedding vs DL4J's), also for Bidirectional and torch
     * stacks with a final-state output (BidirectionalLastStep; DL4J's Bidirectional(LastTimeStep)
     * threw in backprop).
     */
    @Test
    void sequentialModelsUseTheFusedLayersWithIdenticalResults() {
        List<rnnlab.nn.Layer[]> models = List.of(
                new rnnlab.nn.Layer[] {new rnnlab.nn.Layer.Embedding(30, 6), new rnnlab.nn.Layer.SimpleRNN(5), new rnnlab.nn.Layer.Dense(1, "sigmoid")},
                new rnnlab.nn.Layer[] {new rnnlab.nn.Layer.Embedding(30, 6), new rnnlab.nn.Layer.LSTM(5).returnSequences(true), new rnnlab.nn.Layer.GRU(4),
                        new rnnlab.nn.Layer.Dense(1, "sigmoid")},
                new rnnlab.nn.Layer[] {new rnnlab.nn.Layer.Embedding(30, 6), new rnnlab.nn.Layer.Bidirectional(new rnnlab.nn.Layer.LSTM(4).returnSequences(true)),
                        new rnnlab.nn.Layer.Bidirectional(new rnnlab.nn.Layer.GRU(3)), new rnnlab.nn.Layer.Dense(1, "sigmoid")},
                new rnnlab.nn.Layer[] {new rnnlab.nn.Layer.Embedding(30, 6), TorchRecurrent.lstm(5, 2).bidirectional(true)
                        .output(TorchRecurrent.Output.FINAL_HIDDEN), new rnnlab.nn.Layer.Dense(1, "sigmoid")},
                new rnnlab.nn.Layer[] {new rnnlab.nn.Layer.Embedding(30, 6), TorchRecurrent.rnn(5, 2), new rnnlab.nn.Layer.Dense(1, "sigmoid")},
                new rnnlab.nn.Layer[] {new rnnlab.nn.Layer.Embedding(30, 6),
                        new rnnlab.nn.Layer.Bidirectional(new rnnlab.nn.Layer.GRU(3).returnSequences(true)),
                        new rnnlab.nn.Layer.LSTM(4), new rnnlab.nn.Layer.Dense(1, "sigmoid")});
        INDArray x = Nd4j.createFromArray(new int[][] {{1, 5, 7, 2, 9, 4}, {3, 3, 0, 19, 4, 29}, {8, 1, 1, 2, 2, 7}})
                .castTo(DataType.FLOAT);
        INDArray y = Nd4j.createFromArray(new float[][] {{1}, {0}, {1}});
        for (rnnlab.nn.Layer[] spec : models) {
            Model fast = build(false, spec);
            Model ref = build(true, spec);
            String what = java.util.Arrays.toString(spec);
            assertTrue(count(fast.network(), FusedRecurrent.class) > 0, what + ": fused layers by default");
            assertEquals(0, count(ref.network(), FusedRecurrent.class), what + ": referenceLayers(true)");
            assertEquals(ref.summary(), fast.summary(), what + " summary");
            fast.network().setParams(ref.network().params());
            assertRel(ref.predict(x), fast.predict(x), 1e-4, what + " predictions");
            for (Model m : List.of(ref, fast)) {
                m.network().setInput(x);
                m.network().setLabels(y);
                m.network().computeGradientAndScore();
            }
            assertRel(ref.network().getFlattenedGradients(), fast.network().getFlattenedGradients(), 1e-4,
                    what + " gradients");
        }
        Model dbl = Sequential.of(new rnnlab.nn.Layer.Embedding(30, 6), new rnnlab.nn.Layer.LSTM(5), new rnnlab.nn.Layer.Dense(1, "sigmoid"))
                .dataType(DataType.DOUBLE).build();
        assertEquals(0, count(dbl.network(), FusedRecurrent.class), "DOUBLE models use the reference layers");
    }
}
