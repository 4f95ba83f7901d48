package rnnlab.bench;

import java.nio.file.Path;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.data.DataSource;
import rnnlab.data.Mnist;
import rnnlab.data.MnistData;
import rnnlab.data.MnistSplit;
import rnnlab.data.MnistTransform;
import rnnlab.data.TrainValidation;
import rnnlab.nn.Classifiers;
import rnnlab.nn.Loss;
import rnnlab.nn.Model;
import rnnlab.nn.Optimizer;
import rnnlab.nn.TorchRecurrent;
import rnnlab.train.FitOptions;
import rnnlab.train.History;
import rnnlab.train.ModelCheckpoint;
import rnnlab.train.Trainer;

/**
 * Run by hand (not a test; needs the full MNIST): report 001's RNN (or LSTM) classifier trained as
 * notebook 07 trains it, printing the report's per-epoch line, for comparison with
 * {@code lib-src/bench/torch_mnist_rnn.py}.
 * {@code java ... rnnlab.bench.MnistRnnRun DATA_DIR [epochs] [rnn|lstm] [seed] [dropout]}
 * (class path: see {@link rnnlab.bench}).
 */
public final class MnistRnnRun {

    private MnistRnnRun() {
    }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : "/work/shared/datasets");
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        TorchRecurrent.Cell cell = args.length > 2 && args[2].equalsIgnoreCase("lstm") ? TorchRecurrent.Cell.LSTM
                : TorchRecurrent.Cell.RNN;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42;
        double dropout = args.length > 4 ? Double.parseDouble(args[4]) : 0.3;
        MnistData mnist = Mnist.load(DataSource.of(root));
        TrainValidation<MnistSplit> parts = mnist.train().split(0.8, seed);
        MnistTransform t = MnistTransform.report001();
        INDArray x = parts.train().sequences(t);
        INDArray xVal = parts.validation().sequences(t);
        INDArray xTest = mnist.test().sequences(t);
        Model model = Classifiers.rowSequenceClassifier(cell, 32, 128, 2, dropout, 10).seed(seed)
                .compile(Optimizer.adam(1e-3).epsilon(1e-8), Loss.CATEGORICAL_CROSSENTROPY);
        System.out.println(model.toTorchString() + "\nseed " + seed + ", dropout " + dropout);
        History h = Trainer.fit(model.network(), x, parts.train().labels(), FitOptions.builder().epochs(epochs)
                .batchSize(64).validationData(xVal, parts.validation().labels())
                .checkpoint(ModelCheckpoint.best("val_accuracy")).seed(seed).verbose(0).build());
        for (int e = 1; e <= h.epochs(); e++) {
            Map<String, Double> m = h.epoch(e);
            System.out.printf("Epoch [%d/%d] | Train Loss: %.4f | Train Acc: %.2f%% | Val Loss: %.4f | Val Acc: %.2f%%"
                    + "  (%.1f s)%n", e, epochs, m.get("loss"), 100 * m.get("accuracy"), m.get("val_loss"),
                    100 * m.get("val_accuracy"), h.seconds().get(e - 1));
        }
        int[] p = model.predictClasses(xTest);
        int[] y = mnist.test().labels();
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += p[i] == y[i] ? 1 : 0;
        }
        System.out.printf("best val %.2f%% (epoch %d); test accuracy %.2f%%%n", 100 * h.best("val_accuracy"),
                h.bestEpoch("val_accuracy"), 100.0 * correct / y.length);
    }
}
