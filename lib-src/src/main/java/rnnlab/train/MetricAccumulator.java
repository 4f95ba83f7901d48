package rnnlab.train;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.eval.BinaryMetrics;

/**
 * Accumulates one epoch's (or one evaluation's) metrics batch by batch the way Keras's stateful
 * metrics do: the loss is the sample-weighted mean of the batch losses ({@code Mean} with the batch
 * size as weight), accuracy and the binary metrics come from counts over all samples seen.
 */
final class MetricAccumulator {

    private final Task task;
    private double lossSum;
    private long lossCount;
    private long correct;
    private long seen;
    private BinaryMetrics binary = BinaryMetrics.empty();

    MetricAccumulator(Task task) {
        this.task = task;
    }

    void addLoss(double loss, long batchSize) {
        lossSum += loss * batchSize;
        lossCount += batchSize;
    }

    /**
     * Scores a batch of network outputs ({@code [b,1]} probabilities or {@code [b,C]} scores) against
     * labels ({@code [b,1]} 0/1, {@code [b,C]} one-hot, or {@code [b,1]} class ids for a sparse task).
     */
    void addOutputs(INDArray output, INDArray labels) {
        long b = labels.size(0);
        if (task.binary()) {
            double[] p = output.reshape(b).toDoubleVector();
            double[] y = labels.reshape(b).toDoubleVector();
            int[] yt = new int[p.length];
            int[] yp = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                yt[i] = y[i] > 0.5 ? 1 : 0;
                yp[i] = p[i] > BinaryMetrics.THRESHOLD ? 1 : 0;
            }
            BinaryMetrics m = BinaryMetrics.fromPredictions(yt, yp);
            binary = binary.plus(m);
            correct += m.tp() + m.tn();
        } else {
            int[] pred = output.argMax(1).toIntVector();
            // sparse: the labels are the class ids (Keras's sparse_categorical_accuracy); else one-hot rows
            int[] truth = task.sparse() ? labels.reshape(b).toIntVector() : labels.argMax(1).toIntVector();
            for (int i = 0; i < pred.length; i++) {
                if (pred[i] == truth[i]) {
                    correct++;
                }
            }
        }
        seen += b;
    }

    long seen() {
        return seen;
    }

    double loss() {
        return lossCount == 0 ? Double.NaN : lossSum / lossCount;
    }

    /** The metrics so far, names prefixed (for example {@code val_}). */
    Map<String, Double> logs(String prefix) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(prefix + "loss", loss());
        m.put(prefix + "accuracy", seen == 0 ? Double.NaN : (double) correct / seen);
        if (task.binary()) {
            m.put(prefix + "precision", binary.precision());
            m.put(prefix + "recall", binary.recall());
            m.put(prefix + "f1", binary.f1());
        }
        return m;
    }
}
