package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.train.FitOptions;
import rnnlab.train.History;
import rnnlab.train.Trainer;

/**
 * Report 001's row-sequence classifiers trained by {@link Trainer} against the same networks trained
 * by PyTorch's own loop ({@code torch.optim.Adam}, {@code CrossEntropyLoss}, validation after every
 * epoch), from the same initial weights on the same batches: the fixture
 * {@code torch_row_classifier_training.json} is made by {@code src/test/python/make_training_fixtures.py}.
 * Every step's loss, every epoch's training and validation loss and the final weights must agree.
 * Two differences used to break this: scoring the validation data reset DL4J's Adam state at every
 * epoch (issue 7; the losses parted at the first step of epoch 2), and DL4J's single recurrent bias
 * took half the step of torch's {@code b_ih + b_hh}; either one makes a step loss differ by 2e-3 to
 * 1e-2 (relative). What remains is float32 rounding and DL4J's Adam epsilon, which DL4J (like Keras)
 * adds before the bias correction, {@code epsilon / sqrt(1 - beta2^t)} in torch's terms: step losses
 * within 2e-5, final weights within 5e-3 (the LSTM's recurrent weights, which get tiny gradients in
 * the first steps, where the epsilons differ most; torch with DL4J's epsilon placement reproduces
 * these numbers to 1e-7).
 */
class TorchTrainingParityTest {

    @BeforeAll
    static void oneThread() {
        Nd4j.getEnvironment().setMaxThreads(1);
    }

    @Test
    void rnnClassifierTrainsAsTorchAcrossEpochsWithValidation() throws Exception {
        parity("rnn", TorchRecurrent.Cell.RNN);
    }

    @Test
    void lstmClassifierTrainsAsTorchAcrossEpochsWithValidation() throws Exception {
        parity("lstm", TorchRecurrent.Cell.LSTM);
    }

    @SuppressWarnings("unchecked")
    private static void parity(String key, TorchRecurrent.Cell cell) throws Exception {
        Map<String, Object> f = GruLayerTest.fixture("torch_row_classifier_training.json");
        Map<String, Object> run = (Map<String, Object>) f.get(key);
        int in = num(f, "input"), h = num(f, "hidden"), classes = num(f, "classes"), layers = num(f, "layers");
        Model model = Classifiers.rowSequenceClassifier(cell, in, h, layers, 0.0, classes).seed(1)
                .compile(Optimizer.adam(((Number) f.get("lr")).doubleValue()).epsilon(((Number) f.get("eps")).doubleValue()),
                        Loss.CATEGORICAL_CROSSENTROPY);
        MultiLayerNetwork net = model.network();
        load(net, (Map<String, Object>) run.get("initial"), cell, layers, h);
        List<Double> stepLoss = new ArrayList<>();
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(org.deeplearning4j.nn.api.Model m, int iteration, int epoch) {
                stepLoss.add(m.score());
            }
        });
        History hist = Trainer.fit(net, GruLayerTest.btfToNcw(run.get("x")).castTo(DataType.FLOAT), ids(run.get("y")),
                FitOptions.builder().epochs(num(f, "epochs")).batchSize(num(f, "batch")).shuffle(false).seed(3)
                        .verbose(0).validationData(GruLayerTest.btfToNcw(run.get("x_val")).castTo(DataType.FLOAT),
                                ids(run.get("y_val")))
                        .build());
        List<Double> torchSteps = doubles(run.get("step_loss"));
        assertEquals(torchSteps.size(), stepLoss.size());
        for (int s = 0; s < torchSteps.size(); s++) {
            assertEquals(torchSteps.get(s), stepLoss.get(s), 1e-4 * torchSteps.get(s), key + " loss of step " + s
                    + " (torch " + torchSteps + ", rnnlab " + stepLoss + ")");
        }
        assertClose(doubles(run.get("loss")), hist.loss(), 1e-4, key + " epoch loss");
        assertClose(doubles(run.get("val_loss")), hist.valLoss(), 1e-4, key + " val_loss");
        assertEquals(doubles(run.get("val_accuracy")), hist.valAccuracy(), key + " val_accuracy");
        Map<String, INDArray> expected = dl4jLayout((Map<String, Object>) run.get("final"), cell, layers, h);
        for (Map.Entry<String, INDArray> e : expected.entrySet()) {
            String[] lk = e.getKey().split("_");
            INDArray actual = net.getLayer(Integer.parseInt(lk[0])).getParam(lk[1]).castTo(DataType.DOUBLE);
            INDArray torch = e.getValue().reshape(actual.shape());
            double rel = actual.sub(torch).norm2Number().doubleValue() / torch.norm2Number().doubleValue();
            assertTrue(rel < 1e-2, key + " final " + e.getKey() + " differs from torch's by " + rel + " (relative)");
        }
    }

    /** torch's state_dict in DL4J's parameters: "layer_key" → array (biases summed, LSTM blocks reordered). */
    private static Map<String, INDArray> dl4jLayout(Map<String, Object> sd, TorchRecurrent.Cell cell, int layers, int h) {
        Map<String, INDArray> m = new java.util.LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            INDArray w = TorchWeights.matrix(sd.get("rnn.weight_ih_l" + l)).transpose();
            INDArray rw = TorchWeights.matrix(sd.get("rnn.weight_hh_l" + l)).transpose();
            INDArray b = TorchWeights.row(sd.get("rnn.bias_ih_l" + l)).add(TorchWeights.row(sd.get("rnn.bias_hh_l" + l)));
            boolean lstm = cell == TorchRecurrent.Cell.LSTM;
            m.put(l + "_W", lstm ? TorchWeights.lstmBlocks(w, h) : w);
            m.put(l + "_RW", lstm ? TorchWeights.lstmBlocks(rw, h) : rw);
            m.put(l + "_b", lstm ? TorchWeights.lstmBlocks(b, h) : b);
        }
        m.put(layers + "_W", TorchWeights.matrix(sd.get("fc.weight")).transpose());
        m.put(layers + "_b", TorchWeights.row(sd.get("fc.bias")));
        return m;
    }

    private static void load(MultiLayerNetwork net, Map<String, Object> sd, TorchRecurrent.Cell cell, int layers, int h) {
        assertEquals(layers + 1, net.getnLayers());
        for (Map.Entry<String, INDArray> e : dl4jLayout(sd, cell, layers, h).entrySet()) {
            String[] lk = e.getKey().split("_");
            Layer layer = net.getLayer(Integer.parseInt(lk[0]));
            INDArray p = layer.getParam(lk[1]);
            assertEquals(p.length(), e.getValue().length(), e.getKey());
            p.assign(e.getValue().reshape(p.shape()));
        }
    }

    private static void assertClose(List<Double> expected, List<Double> actual, double rel, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), rel * Math.abs(expected.get(i)),
                    what + " of epoch " + (i + 1) + ": torch " + expected + ", rnnlab " + actual);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Double> doubles(Object o) {
        return ((List<Number>) o).stream().map(Number::doubleValue).toList();
    }

    @SuppressWarnings("unchecked")
    private static int[] ids(Object o) {
        return ((List<Number>) o).stream().mapToInt(Number::intValue).toArray();
    }

    private static int num(Map<String, Object> f, String k) {
        return ((Number) f.get(k)).intValue();
    }
}
