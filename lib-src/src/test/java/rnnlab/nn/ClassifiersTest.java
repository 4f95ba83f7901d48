package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.TorchRecurrent.Cell;

/** report 001's networks: parameter counts against torch (torch_param_counts.json, made by make_gru_fixtures.py). */
class ClassifiersTest {

    private static long torch(String key) throws Exception {
        Map<String, Object> m = GruLayerTest.fixture("torch_param_counts.json");
        return ((Number) m.get(key)).longValue();
    }

    private static Model build(Sequential s) {
        return s.compile(Optimizer.adam(1e-3).epsilon(1e-8), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
    }

    /** Largest |w| of a parameter, and the bound PyTorch's default initialisation gives it. */
    private static void assertTorchUniform(Model m, String layer, String param, double bound) {
        INDArray w = m.network().getLayer(layer).getParam(param);
        double max = w.amaxNumber().doubleValue();
        assertTrue(max <= bound + 1e-6 && max > 0.9 * bound,
                layer + "." + param + ": max |w| " + max + " should be just under PyTorch's bound " + bound);
    }

    @Test
    void networksAreInitialisedAsPyTorchInitialisesThem() {
        Model lenet = build(Classifiers.leNet5(10));
        assertTorchUniform(lenet, "conv1", "W", 1 / Math.sqrt(1 * 5 * 5));     // fan_in = in_channels*kh*kw
        assertTorchUniform(lenet, "conv2", "W", 1 / Math.sqrt(6 * 5 * 5));
        assertTorchUniform(lenet, "fc1", "W", 1 / Math.sqrt(576));             // fan_in = in_features
        assertTorchUniform(lenet, "fc3", "W", 1 / Math.sqrt(84));
        Model rnn = build(Classifiers.rowSequenceClassifier(Cell.RNN));
        for (String l : new String[] {"rnn_l0", "rnn_l1"}) {
            var layer = rnn.network().getLayer(l);
            for (String p : layer.paramTable().keySet()) {
                if (!p.contains("b")) {
                    double max = layer.getParam(p).amaxNumber().doubleValue();
                    assertTrue(max <= 1 / Math.sqrt(128) + 1e-6 && max > 0.9 / Math.sqrt(128),
                            l + "." + p + ": every recurrent weight is U(+-1/sqrt(hidden)), max |w| " + max);
                }
            }
        }
        assertTorchUniform(rnn, "fc", "W", 1 / Math.sqrt(128));
        Model lstm = build(Classifiers.rowSequenceClassifier(Cell.LSTM));
        for (String p : lstm.network().getLayer("lstm_l0").paramTable().keySet()) {
            if (p.contains("b")) {
                assertEquals(0.0, lstm.network().getLayer("lstm_l0").getParam(p).amaxNumber().doubleValue(), 0.0,
                        "torch has no forget-gate bias of 1 (" + p + ")");
            }
        }
        // Keras-style models keep Keras's defaults: glorot_uniform is wider than 1/sqrt(fan_in) here
        Model keras = Sequential.of(new rnnlab.nn.Layer.Embedding(100, 8), new rnnlab.nn.Layer.SimpleRNN(128),
                new rnnlab.nn.Layer.Dense(1, "sigmoid")).compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
        INDArray rw = keras.network().getLayer(1).getParam(keras.network().getLayer(1).paramTable().keySet().stream()
                .filter(k -> k.startsWith("RW")).findFirst().orElseThrow());
        assertTrue(rw.amaxNumber().doubleValue() > 1.2 / Math.sqrt(128), "Keras models are not changed");
    }

    @Test
    void torchInitialisedModelsSaveAndLoad(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Model m = build(Classifiers.rowSequenceClassifier(Cell.LSTM, 8, 16, 2, 0.3, 10));
        java.nio.file.Path f = dir.resolve("lstm.zip");
        m.save(f);
        Model back = Model.load(f);
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 8, 8);
        assertEquals(m.predict(x), back.predict(x));
    }

    @Test
    void leNet5() throws Exception {
        Model m = build(Classifiers.leNet5(10));
        assertEquals(torch("lenet5"), m.countParams());
        assertEquals(82_826L, m.countParams());
        assertEquals(m.countParams(), m.torchParamCount());
        assertEquals("(None, 32, 32, 6)", m.rows().get(0).outputShape().toString());
        assertEquals("(None, 6, 6, 16)", m.rows().get(3).outputShape().toString());
        assertEquals("(None, 576)", m.rows().get(4).outputShape().toString());
        assertEquals(String.join("\n", "LeNet(",
                "  (conv1): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))",
                "  (relu1): ReLU()",
                "  (pool1): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                "  (conv2): Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))",
                "  (relu2): ReLU()",
                "  (pool2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                "  (flatten): Flatten(start_dim=1, end_dim=-1)",
                "  (fc1): Linear(in_features=576, out_features=120, bias=True)",
                "  (relu3): ReLU()",
                "  (fc2): Linear(in_features=120, out_features=84, bias=True)",
                "  (relu4): ReLU()",
                "  (fc3): Linear(in_features=84, out_features=10, bias=True)",
                "  (softmax1): Softmax(dim=1)",
                ")"), m.toTorchString());
        INDArray out = m.predict(Nd4j.rand(2, 1, 32, 32));
        assertArrayEquals(new long[] {2, 10}, out.shape());
    }

    @Test
    void rowSequenceClassifiers() throws Exception {
        Model rnn = build(Classifiers.rowSequenceClassifier(Cell.RNN));
        assertEquals(torch("rnn_rows_32_128_2_10"), rnn.torchParamCount());
        assertEquals(torch("rnn_rows_32_128_2_10") - 2 * 128, rnn.countParams(), "one bias per layer in DL4J");
        assertEquals(String.join("\n", "RNNClassifier(",
                "  (rnn): RNN(32, 128, num_layers=2, batch_first=True, dropout=0.3)",
                "  (fc): Linear(in_features=128, out_features=10, bias=True)",
                "  (softmax1): Softmax(dim=1)",
                ")"), rnn.toTorchString());
        Model lstm = build(Classifiers.rowSequenceClassifier(Cell.LSTM));
        assertEquals(torch("lstm_rows_32_128_2_10"), lstm.torchParamCount());
        assertEquals(torch("lstm_rows_32_128_2_10") - 2 * 4 * 128, lstm.countParams());
        Model gru = build(Classifiers.rowSequenceClassifier(Cell.GRU));
        assertEquals(torch("gru_rows_32_128_2_10"), gru.countParams(), "GRU has torch's two biases");

        INDArray images = Nd4j.rand(3, 1, 32, 32);
        INDArray rows = Classifiers.imagesAsRowSequences(images);
        assertArrayEquals(new long[] {3, 32, 32}, rows.shape());
        assertEquals(images.getDouble(1, 0, 5, 7), rows.getDouble(1, 7, 5), 0.0, "feature = column, step = row");
        assertArrayEquals(new long[] {3, 10}, lstm.predict(rows).shape());
    }

    @Test
    void textClassifiers() throws Exception {
        for (boolean bi : new boolean[] {true, false}) {
            String suffix = bi ? "_bi" : "_uni";
            Model lstm = Classifiers.textClassifier(Cell.LSTM, 1000, 100, 256, 2, bi, 0.5, 1)
                    .compile(Optimizer.adam(), Loss.BINARY_CROSSENTROPY);
            assertEquals(torch("lstm_text_1000_100_256_2" + suffix), lstm.torchParamCount());
            Model rnn = Classifiers.textClassifier(Cell.RNN, 1000, 100, 256, 2, bi, 0.5, 1)
                    .compile(Optimizer.adam(), Loss.BINARY_CROSSENTROPY);
            assertEquals(torch("rnn_text_1000_100_256_2" + suffix), rnn.torchParamCount());
            assertEquals("(None, " + (bi ? 512 : 256) + ")", rnn.rows().get(2).outputShape().toString());
        }
    }
}
