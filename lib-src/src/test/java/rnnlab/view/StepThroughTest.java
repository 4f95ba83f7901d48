package rnnlab.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

import rnnlab.charrnn.CharRnnModel;
import rnnlab.charrnn.NameClassifier;
import rnnlab.charrnn.Tensor;
import rnnlab.nn.Layer;
import rnnlab.nn.Model;
import rnnlab.nn.Sequential;
import rnnlab.nn.TorchRecurrent;
import tech.tablesaw.api.Table;

/** StepThrough and LayerOutputs against direct forward passes of tiny models. */
class StepThroughTest {

    private static final int[] REVIEW = {0, 0, 0, 4, 1, 5, 2, 3};

    private static Model tiny(Layer.Recurrent cell, long seed) {
        return new Sequential("tiny").seed(seed)
                .add(new Layer.Embedding(6, 3))
                .add(cell)
                .add(new Layer.Dense(1, "sigmoid"))
                .compile("rmsprop", "binary_crossentropy");
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /** model.predict on review[0..t]: the verdict had the review ended after step t (independent of any layout). */
    private static double prefixPrediction(Model m, int[] review, int t) {
        return m.predict(Nd4j.createFromArray(new int[][] {Arrays.copyOf(review, t + 1)})).getDouble(0, 0);
    }

    @Test
    void lstmRunningPredictionEqualsTheModelOnEveryPrefixAndStatesEqualAHandComputedForwardPass() {
        Model m = tiny(new Layer.LSTM(2), 7);
        StepThrough st = StepThrough.of(m, REVIEW, id -> "w" + id);
        double[][] p = st.predictions();
        for (int t = 0; t < REVIEW.length; t++) {
            assertEquals(prefixPrediction(m, REVIEW, t), p[t][0], 1e-5, "step " + t);
        }
        // hand-computed forward pass: Keras LSTM equations over the layer's parameters, in DL4J's block order (g, f, o, i)
        var net = m.network();
        double[][] emb = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
        var lstm = ((org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer) net.getLayer(1)).getUnderlying();
        double[][] w = lstm.getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] rw = lstm.getParam("RW").castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] b = lstm.getParam("b").castTo(DataType.DOUBLE).reshape(8).toDoubleVector();
        double[] dw = net.getLayer(2).getParam("W").castTo(DataType.DOUBLE).reshape(2).toDoubleVector();
        double db = net.getLayer(2).getParam("b").getDouble(0);
        double[] h = new double[2];
        double[] c = new double[2];
        double[][] states = st.states();
        double[][] forget = st.gates().get("forget gate f");
        for (int t = 0; t < REVIEW.length; t++) {
            double[] x = emb[REVIEW[t]];
            double[] z = new double[8];
            for (int k = 0; k < 8; k++) {
                z[k] = b[k];
                for (int i = 0; i < 3; i++) {
                    z[k] += x[i] * w[i][k];
                }
                for (int j = 0; j < 2; j++) {
                    z[k] += h[j] * rw[j][k];
                }
            }
            double[] hn = new double[2];
            for (int j = 0; j < 2; j++) {
                double g = Math.tanh(z[j]);
                double f = sigmoid(z[2 + j]);
                double o = sigmoid(z[4 + j]);
                double in = sigmoid(z[6 + j]);
                c[j] = f * c[j] + in * g;
                hn[j] = o * Math.tanh(c[j]);
                assertEquals(f, forget[t][j], 1e-5);
            }
            h = hn;
            assertArrayEquals(h, states[t], 1e-5, "h at step " + t);
            assertEquals(sigmoid(h[0] * dw[0] + h[1] * dw[1] + db), p[t][0], 1e-5, "running prediction at step " + t);
            assertArrayEquals(c, st.cellStates()[t], 1e-5);
        }
        assertEquals(List.of("input gate i", "forget gate f", "output gate o"), List.copyOf(st.gates().keySet()));
        assertArrayEquals(new boolean[] {true, true, true, false, false, false, false, false}, st.padding());
        assertEquals(List.of("<pad>", "<pad>", "<pad>", "w4", "w1", "w5", "w2", "w3"), st.tokens());
    }

    @Test
    void simpleRnnStatesEqualTanhOfTheHandComputedRecurrence() {
        Model m = tiny(new Layer.SimpleRNN(3), 3);
        StepThrough st = StepThrough.of(m, REVIEW);
        var net = m.network();
        double[][] emb = net.getLayer(0).getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
        var rnn = ((org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer) net.getLayer(1)).getUnderlying();
        double[][] w = rnn.getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] rw = rnn.getParam("RW").castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] b = rnn.getParam("b").castTo(DataType.DOUBLE).reshape(3).toDoubleVector();
        double[] h = new double[3];
        for (int t = 0; t < REVIEW.length; t++) {
            double[] hn = new double[3];
            for (int k = 0; k < 3; k++) {
                double z = b[k];
                for (int i = 0; i < 3; i++) {
                    z += emb[REVIEW[t]][i] * w[i][k] + h[i] * rw[i][k];
                }
                hn[k] = Math.tanh(z);
            }
            h = hn;
            assertArrayEquals(h, st.states()[t], 1e-5);
            assertEquals(prefixPrediction(m, REVIEW, t), st.predictions()[t][0], 1e-5);
        }
        assertTrue(st.gates().isEmpty());
        assertNull(st.cellStates());
        Table table = st.table();
        assertEquals(REVIEW.length, table.rowCount());
        assertEquals(st.predictions()[7][0], table.doubleColumn("p(prediction)").get(7), 0);
        assertTrue(st.figure().traceTypes().containsAll(List.of("scatter", "heatmap")));
    }

    @Test
    void gruRunningPredictionEqualsTheModelOnEveryPrefix() {
        Model m = tiny(new Layer.GRU(4), 5);
        StepThrough st = StepThrough.of(m, REVIEW);
        for (int t = 0; t < REVIEW.length; t++) {
            assertEquals(prefixPrediction(m, REVIEW, t), st.predictions()[t][0], 1e-5);
        }
        assertEquals(List.of("reset gate r", "update gate z"), List.copyOf(st.gates().keySet()));
        assertEquals(4, st.table().columnNames().stream().filter(n -> n.startsWith("p(") || n.endsWith(" mean")).count() + 1);
    }

    @Test
    void bidirectionalModelsAndEmptyReviewsAreRejectedWithAReason() {
        Model bi = new Sequential().add(new Layer.Embedding(6, 3)).add(new Layer.Bidirectional(new Layer.LSTM(2)))
                .add(new Layer.Dense(1, "sigmoid")).compile("rmsprop", "binary_crossentropy");
        var e = assertThrows(IllegalArgumentException.class, () -> StepThrough.of(bi, REVIEW));
        assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepThrough.of(tiny(new Layer.LSTM(2), 1), new int[0]));
    }

    @Test
    void lastStepReadOutOfATorchStackEqualsTheModelOutput() {
        // notebook 07's cell: out[:, -1, :] -> fc, on a 2-layer torch-style RNN
        Model m = new Sequential("RNNClassifier").torchInit().seed(1).inputSequence(5, 4)
                .add(new TorchRecurrent(TorchRecurrent.Cell.LSTM, 6, 2, 0.3, false, TorchRecurrent.Output.LAST_STEP, "lstm"))
                .add(new Layer.Dense(3, "softmax").named("fc"))
                .compile("adam", "categorical_crossentropy");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 4, 5);
        INDArray out = LayerOutputs.recurrent(m, x);
        assertArrayEquals(new long[] {2, 5, 6}, out.shape());
        INDArray last = out.get(NDArrayIndex.all(), NDArrayIndex.point(4), NDArrayIndex.all());
        LayerOutputs.Dense fc = LayerOutputs.dense(m, "fc");
        assertEquals("softmax", fc.activation());
        INDArray probs = Transforms.softmax(last.mmul(fc.weight()).addRowVector(fc.bias()));
        assertTrue(Transforms.abs(probs.sub(m.predict(x))).maxNumber().doubleValue() < 1e-6);
        var e = assertThrows(IllegalArgumentException.class, () -> LayerOutputs.dense(m, "nope"));
        assertTrue(e.getMessage().contains("fc"), e.getMessage());
    }

    @Test
    void bidirectionalFinalStatesAreTheLastForwardAndFirstBackwardSteps() {
        // notebook 08's cell: torch.cat((hidden[-2], hidden[-1]), dim=1) -> fc
        Model m = new Sequential("LSTMClassifier").torchInit().seed(2)
                .add(new Layer.Embedding(7, 3).named("embedding"))
                .add(new TorchRecurrent(TorchRecurrent.Cell.LSTM, 4, 2, 0.5, true, TorchRecurrent.Output.FINAL_HIDDEN, "lstm"))
                .add(new Layer.Dense(1, "sigmoid").named("fc"))
                .compile("adam", "binary_crossentropy");
        INDArray x = Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 0, 0}, {6, 5, 4, 3, 2, 1}});
        INDArray out = LayerOutputs.recurrent(m, x);
        assertArrayEquals(new long[] {2, 6, 8}, out.shape());
        INDArray fwd = out.get(NDArrayIndex.all(), NDArrayIndex.point(5), NDArrayIndex.interval(0, 4));
        INDArray bwd = out.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.interval(4, 8));
        INDArray hidden = Nd4j.hstack(fwd, bwd);
        LayerOutputs.Dense fc = LayerOutputs.dense(m, "fc");
        INDArray p = Transforms.sigmoid(hidden.mmul(fc.weight()).addRowVector(fc.bias()));
        assertTrue(Transforms.abs(p.sub(m.predict(x))).maxNumber().doubleValue() < 1e-6);
        // the wrong read-out (the last step of both directions) differs: the test can fail
        INDArray wrong = out.get(NDArrayIndex.all(), NDArrayIndex.point(5), NDArrayIndex.all());
        assertTrue(Transforms.abs(Transforms.sigmoid(wrong.mmul(fc.weight()).addRowVector(fc.bias())).sub(m.predict(x)))
                .maxNumber().doubleValue() > 1e-6);
    }

    // ------------------------------------------------------------------ report 004's cells

    private static final List<String> CATEGORIES = List.of("A", "B", "C");

    private static NameClassifier classifier(CharRnnModel.Cell cell) {
        return new NameClassifier(CharRnnModel.create(cell, 26, 5, 3, 11), CATEGORIES, ch -> Character.toLowerCase(ch) - 'a');
    }

    @Test
    void charCellsGiveTheModelsOwnProbabilitiesAfterEveryLetter() {
        for (CharRnnModel.Cell cell : CharRnnModel.Cell.values()) {
            NameClassifier clf = classifier(cell);
            String name = "Dovesky";
            StepThrough st = StepThrough.of(clf, name);
            assertEquals(name.length(), st.steps());
            for (int t = 0; t < name.length(); t++) {
                float[] lp = clf.model().forward(clf.encode(name.substring(0, t + 1)));
                for (int k = 0; k < 3; k++) {
                    assertEquals(Math.exp(lp[k]), st.predictions()[t][k], 1e-5, cell + " letter " + t);
                }
            }
            assertEquals(CATEGORIES, st.outputNames());
            assertFalse(st.padding()[0]);
            assertEquals(cell == CharRnnModel.Cell.RNN ? 0 : cell == CharRnnModel.Cell.LSTM ? 3 : 2, st.gates().size());
            assertTrue(st.figure().traceTypes().contains("heatmap"));
        }
    }

    @Test
    void tutorialRnnHiddenStateIsTheLinearI2hRecurrence() {
        NameClassifier clf = classifier(CharRnnModel.Cell.RNN);
        Map<String, Tensor> sd = clf.model().stateDict();
        Tensor w = sd.get("i2h.weight");
        Tensor b = sd.get("i2h.bias");
        int[] letters = clf.encode("abc");
        double[] h = new double[5];
        StepThrough st = StepThrough.of(clf, "abc");
        for (int t = 0; t < 3; t++) {
            double[] hn = new double[5];
            for (int o = 0; o < 5; o++) {
                hn[o] = b.data()[o] + w.get(o, letters[t]);
                for (int j = 0; j < 5; j++) {
                    hn[o] += w.get(o, 26 + j) * h[j];
                }
            }
            h = hn;
            assertArrayEquals(h, st.states()[t], 1e-5);
        }
        assertThrows(IllegalArgumentException.class, () -> StepThrough.of(clf, ""));
    }
}
