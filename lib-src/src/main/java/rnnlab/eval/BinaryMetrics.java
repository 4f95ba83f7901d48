package rnnlab.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.display.Displayable;

/**
 * Accuracy, precision, recall and F1 of a binary classifier from its confusion counts, with the
 * positive class 1. Mirrors Keras's {@code BinaryAccuracy}, {@code Precision}, {@code Recall} (threshold
 * 0.5: a probability counts as positive when it is strictly greater than 0.5, Keras's rule, the same
 * as {@code torch.round} on a sigmoid output) and sklearn's {@code f1_score}; a zero denominator gives 0
 * (sklearn's {@code zero_division=0}).
 *
 * <p>Hand-written from counts because the training loop accumulates counts batch by batch; the same
 * numbers are checked against Tribuo's {@link ClassificationReport} in the tests. Immutable.
 *
 * @param tp true positives
 * @param fp false positives
 * @param tn true negatives
 * @param fn false negatives
 */
public record BinaryMetrics(long tp, long fp, long tn, long fn) implements Displayable {

    /** Keras's default decision threshold. */
    public static final double THRESHOLD = 0.5;

    /** Checks that no count is negative. */
    public BinaryMetrics {
        if (tp < 0 || fp < 0 || tn < 0 || fn < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got tp=" + tp + " fp=" + fp + " tn=" + tn + " fn=" + fn);
        }
    }

    /** No samples yet: the start of an accumulation with {@link #plus(BinaryMetrics)}. */
    public static BinaryMetrics empty() {
        return new BinaryMetrics(0, 0, 0, 0);
    }

    /**
     * From predicted probabilities of class 1 and true labels 0/1, threshold 0.5.
     *
     * @throws IllegalArgumentException if the lengths differ or a label is not 0 or 1
     */
    public static BinaryMetrics fromProbabilities(double[] probabilities, int[] labels) {
        return fromProbabilities(probabilities, labels, THRESHOLD);
    }

    /** From probabilities with a custom threshold: positive when {@code p > threshold}. */
    public static BinaryMetrics fromProbabilities(double[] probabilities, int[] labels, double threshold) {
        if (probabilities == null || labels == null) {
            throw new IllegalArgumentException((probabilities == null ? "probabilities" : "labels") + " is null");
        }
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length + " values but labels has "
                    + labels.length + "; give one probability per label");
        }
        int[] pred = new int[probabilities.length];
        for (int i = 0; i < pred.length; i++) {
            if (Double.isNaN(probabilities[i])) {
                throw new IllegalArgumentException("probabilities[" + i + "] is NaN; the model output is not finite");
            }
            pred[i] = probabilities[i] > threshold ? 1 : 0;
        }
        return fromPredictions(labels, pred);
    }

    /**
     * From a column of probabilities {@code [N]} or {@code [N,1]} and labels of the same length (0/1
     * values), threshold 0.5. This is how a sigmoid model's {@code predict} output is scored.
     */
    public static BinaryMetrics fromProbabilities(INDArray probabilities, INDArray labels) {
        if (probabilities == null || labels == null) {
            throw new IllegalArgumentException((probabilities == null ? "probabilities" : "labels") + " is null");
        }
        if (probabilities.length() != labels.length()) {
            throw new IllegalArgumentException("probabilities has " + probabilities.length() + " values (shape "
                    + java.util.Arrays.toString(probabilities.shape()) + ") but labels has " + labels.length()
                    + "; give one probability per label");
        }
        double[] p = probabilities.reshape(probabilities.length()).toDoubleVector();
        double[] y = labels.reshape(labels.length()).toDoubleVector();
        int[] yi = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0.0 && y[i] != 1.0) {
                throw new IllegalArgumentException("labels[" + i + "] = " + y[i] + " is not a binary class; labels must be 0 or 1");
            }
            yi[i] = (int) y[i];
        }
        return fromProbabilities(p, yi);
    }

    /** From true and predicted class ids, each 0 or 1. */
    public static BinaryMetrics fromPredictions(int[] yTrue, int[] yPred) {
        if (yTrue == null || yPred == null) {
            throw new IllegalArgumentException((yTrue == null ? "yTrue" : "yPred") + " is null");
        }
        if (yTrue.length != yPred.length) {
            throw new IllegalArgumentException("yTrue has " + yTrue.length + " labels but yPred has " + yPred.length);
        }
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < yTrue.length; i++) {
            int t = yTrue[i];
            int p = yPred[i];
            if (t != 0 && t != 1) {
                throw new IllegalArgumentException("yTrue[" + i + "] = " + t + " is not a binary class; labels must be 0 or 1");
            }
            if (p != 0 && p != 1) {
                throw new IllegalArgumentException("yPred[" + i + "] = " + p + " is not a binary class; predictions must be 0 or 1");
            }
            if (t == 1) {
                if (p == 1) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (p == 1) {
                fp++;
            } else {
                tn++;
            }
        }
        return new BinaryMetrics(tp, fp, tn, fn);
    }

    /** The counts of both, as if the samples had been scored together. */
    public BinaryMetrics plus(BinaryMetrics other) {
        return new BinaryMetrics(tp + other.tp, fp + other.fp, tn + other.tn, fn + other.fn);
    }

    /** The number of samples. */
    public long count() {
        return tp + fp + tn + fn;
    }

    /** (tp + tn) / n, 0 when there are no samples. */
    public double accuracy() {
        long n = count();
        return n == 0 ? 0.0 : (double) (tp + tn) / n;
    }

    /** tp / (tp + fp), 0 when nothing was predicted positive. */
    public double precision() {
        return tp + fp == 0 ? 0.0 : (double) tp / (tp + fp);
    }

    /** tp / (tp + fn), 0 when there are no positive samples. */
    public double recall() {
        return tp + fn == 0 ? 0.0 : (double) tp / (tp + fn);
    }

    /** 2 p r / (p + r), 0 when p + r = 0. */
    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** The four metrics by their Keras names: accuracy, precision, recall, f1. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy());
        m.put("precision", precision());
        m.put("recall", recall());
        m.put("f1", f1());
        return m;
    }

    @Override
    public String toString() {
        return "accuracy: " + Format.fixed(accuracy(), 4) + " - precision: " + Format.fixed(precision(), 4)
                + " - recall: " + Format.fixed(recall(), 4) + " - f1: " + Format.fixed(f1(), 4)
                + "  (tp=" + tp + " fp=" + fp + " tn=" + tn + " fn=" + fn + ")";
    }

    @Override
    public Map<String, String> mimeBundle() {
        StringBuilder b = new StringBuilder("<table class=\"rnnlab-binary\"><tr>");
        for (String h : List.of("accuracy", "precision", "recall", "f1", "tp", "fp", "tn", "fn")) {
            b.append("<th>").append(h).append("</th>");
        }
        b.append("</tr><tr>");
        for (double v : new double[]{accuracy(), precision(), recall(), f1()}) {
            b.append("<td>").append(Format.fixed(v, 4)).append("</td>");
        }
        for (long v : new long[]{tp, fp, tn, fn}) {
            b.append("<td>").append(v).append("</td>");
        }
        b.append("</tr></table>");
        return Displayable.textAndHtml(toString(), b.toString());
    }
}
