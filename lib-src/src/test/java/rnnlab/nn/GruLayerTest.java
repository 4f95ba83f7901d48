package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import rnnlab.nn.dl4j.recurrent.GruLayer;

/** The hand-written GRU against DL4J's numerical gradient check and against torch.nn.GRU; DL4J's
 * LSTM and SimpleRnn against torch.nn.LSTM / torch.nn.RNN with the weight mapping documented in
 * {@link TorchWeights}. */
class GruLayerTest {

    private static DataType previous;

    @BeforeAll
    static void doublePrecision() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    private static MultiLayerNetwork net(org.deeplearning4j.nn.conf.layers.Layer rnn,
            org.deeplearning4j.nn.conf.layers.Layer out, int nIn, int steps) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(12345).updater(new NoOp())
                .list().layer(rnn).layer(out)
                .setInputType(InputType.recurrent(nIn, steps)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        // non-zero biases so that their gradients are exercised
        net.getLayer(0).params().addi(Nd4j.rand(DataType.DOUBLE, net.getLayer(0).params().shape()).subi(0.5));
        return net;
    }

    private static boolean check(MultiLayerNetwork net, INDArray x, INDArray y) {
        return GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).subset(true).maxPerParam(6)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
    }

    @Test
    void gradientCheckSequenceOutput() {
        Nd4j.getRandom().setSeed(1);
        MultiLayerNetwork n = net(new GruLayer.Builder().nOut(4).build(),
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(2)
                        .build(), 3, 5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 5);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, 2, 5);
        assertTrue(check(n, x, y));
    }

    @Test
    void gradientCheckLastStepAndBidirectional() {
        Nd4j.getRandom().setSeed(2);
        MultiLayerNetwork n = net(new LastTimeStep(new GruLayer.Builder().nOut(3).build()),
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nOut(2)
                        .build(), 2, 4);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 4);
        INDArray y = Nd4j.zeros(DataType.DOUBLE, 3, 2);
        y.putScalar(0, 0, 1).putScalar(1, 1, 1).putScalar(2, 0, 1);
        assertTrue(check(n, x, y));

        MultiLayerNetwork bi = net(new Bidirectional(Bidirectional.Mode.CONCAT, new GruLayer.Builder().nOut(3).build()),
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(2)
                        .build(), 2, 4);
        assertTrue(check(bi, x, Nd4j.rand(DataType.DOUBLE, 3, 2, 4)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fixture(String name) throws Exception {
        try (InputStream in = GruLayerTest.class.getResourceAsStream("/rnnlab/nn/" + name)) {
            return new ObjectMapper().readValue(in, Map.class);
        }
    }

    /** [B, T, F] nested lists (torch batch_first) to DL4J [B, F, T]. */
    @SuppressWarnings("unchecked")
    static INDArray btfToNcw(Object nested) {
        List<List<List<Number>>> l = (List<List<List<Number>>>) nested;
        int b = l.size(), t = l.get(0).size(), f = l.get(0).get(0).size();
        INDArray a = Nd4j.create(DataType.DOUBLE, b, f, t);
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                for (int k = 0; k < f; k++) {
                    a.putScalar(new int[] {i, k, j}, l.get(i).get(j).get(k).doubleValue());
                }
            }
        }
        return a;
    }

    private record Run(INDArray out, INDArray gradX, Gradient grads) {
    }

    private static Run run(Layer layer, INDArray x, INDArray c) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, ws);
        INDArray out = layer.activate(true, ws).dup();
        Pair<Gradient, INDArray> p = layer.backpropGradient(c, ws);
        return new Run(out, p.getSecond().dup(), p.getFirst());
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + " size");
        if (expected.rank() != actual.rank()) { // DL4J gradient views of biases may be 1-d
            actual = actual.reshape(expected.shape());
        }
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what + " shape");
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff < 1e-9, what + ": max |difference| " + diff);
    }

    private static Layer single(org.deeplearning4j.nn.conf.layers.Layer conf, int nIn) {
        return net(conf, new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .nOut(1).build(), nIn, -1).getLayer(0);
    }

    @Test
    void gruMatchesTorch() throws Exception {
        Map<String, Object> f = fixture("torch_gru.json");
        int in = ((Number) f.get("input")).intValue(), h = ((Number) f.get("hidden")).intValue();
        Layer layer = single(new GruLayer.Builder().nOut(h).build(), in);
        TorchWeights.loadGru(layer, (Map<String, Object>) f.get("params"));
        Run r = run(layer, btfToNcw(f.get("x")), btfToNcw(f.get("c")));
        assertClose(btfToNcw(f.get("out")), r.out(), "GRU output");
        assertClose(btfToNcw(f.get("grad_x")), r.gradX(), "GRU dLoss/dx");
        Map<String, INDArray> expected = TorchWeights.gruGradients((Map<String, Object>) f.get("grads"), in, h);
        for (String k : expected.keySet()) {
            assertClose(expected.get(k), r.grads().getGradientFor(k), "GRU dLoss/d" + k);
        }
    }

    @Test
    void lstmMatchesTorch() throws Exception {
        Map<String, Object> f = fixture("torch_lstm.json");
        int in = ((Number) f.get("input")).intValue(), h = ((Number) f.get("hidden")).intValue();
        Layer layer = single(new LSTM.Builder().nOut(h).activation(Activation.TANH).build(), in);
        TorchWeights.loadLstm(layer, (Map<String, Object>) f.get("params"));
        Run r = run(layer, btfToNcw(f.get("x")), btfToNcw(f.get("c")));
        assertClose(btfToNcw(f.get("out")), r.out(), "LSTM output");
        assertClose(btfToNcw(f.get("grad_x")), r.gradX(), "LSTM dLoss/dx");
        Map<String, INDArray> expected = TorchWeights.lstmGradients((Map<String, Object>) f.get("grads"), in, h);
        for (String k : expected.keySet()) {
            assertClose(expected.get(k), r.grads().getGradientFor(k), "LSTM dLoss/d" + k);
        }
    }

    @Test
    void simpleRnnMatchesTorch() throws Exception {
        Map<String, Object> f = fixture("torch_rnn.json");
        int in = ((Number) f.get("input")).intValue(), h = ((Number) f.get("hidden")).intValue();
        Layer layer = single(new SimpleRnn.Builder().nOut(h).activation(Activation.TANH).build(), in);
        TorchWeights.loadSimpleRnn(layer, (Map<String, Object>) f.get("params"));
        Run r = run(layer, btfToNcw(f.get("x")), btfToNcw(f.get("c")));
        assertClose(btfToNcw(f.get("out")), r.out(), "RNN output");
        assertClose(btfToNcw(f.get("grad_x")), r.gradX(), "RNN dLoss/dx");
        Map<String, INDArray> expected = TorchWeights.simpleRnnGradients((Map<String, Object>) f.get("grads"), in, h);
        for (String k : expected.keySet()) {
            assertClose(expected.get(k), r.grads().getGradientFor(k), "RNN dLoss/d" + k);
        }
    }
}
