package rnnlab.eval;

import java.util.List;
import java.util.Map;

import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;

import rnnlab.display.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import rnnlab.display.Html;

/**
 * A confusion matrix with class names: rows are true classes, columns predicted classes, as in
 * scikit-learn's {@code confusion_matrix(y_true, y_pred, labels=range(C))}; {@link #normalize()}
 * gives the row-normalised matrix of {@code confusion_matrix(..., normalize='true')} (each row sums
 * to 1; a class with no true samples gets a row of zeros, as sklearn does after {@code nan_to_num}).
 *
 * <p>The counts come from Tribuo's {@link LabelConfusionMatrix}, built from the {@code int[]} class
 * ids. Immutable. Shows as an HTML table in a notebook and as aligned text elsewhere.
 */
public final class ConfusionMatrix implements Displayable {

    private final List<String> classNames;
    private final long[][] counts;
    private final boolean normalized;

    private ConfusionMatrix(List<String> classNames, long[][] counts, boolean normalized) {
        this.classNames = classNames;
        this.counts = counts;
        this.normalized = normalized;
    }

    /** The matrix for class ids 0..max(yTrue, yPred), named "0", "1", .... */
    public static ConfusionMatrix of(int[] yTrue, int[] yPred) {
        return of(yTrue, yPred, TribuoLabels.defaultNames(yTrue, yPred));
    }

    /**
     * The matrix for the classes {@code classNames} (class id i is {@code classNames.get(i)}); every
     * class gets a row and a column even when it never occurs.
     *
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or hold an id
     *                                  outside {@code [0, classNames.size())}
     */
    public static ConfusionMatrix of(int[] yTrue, int[] yPred, List<String> classNames) {
        LabelConfusionMatrix cm = TribuoLabels.confusion(yTrue, yPred, classNames);
        int c = classNames.size();
        long[][] counts = new long[c][c];
        for (int t = 0; t < c; t++) {
            Label truth = new Label(classNames.get(t));
            for (int p = 0; p < c; p++) {
                // Tribuo's confusion(predicted, truth) counts samples of class truth predicted as predicted.
                counts[t][p] = Math.round(cm.confusion(new Label(classNames.get(p)), truth));
            }
        }
        return new ConfusionMatrix(List.copyOf(classNames), counts, false);
    }

    /** The row-normalised view (each row divided by its true-class support). */
    public ConfusionMatrix normalize() {
        return new ConfusionMatrix(classNames, counts, true);
    }

    /** True if this view shows row proportions rather than counts. */
    public boolean isNormalized() {
        return normalized;
    }

    /** The class names, in id order. */
    public List<String> classNames() {
        return classNames;
    }

    /** The number of classes. */
    public int numClasses() {
        return classNames.size();
    }

    /** Samples of true class {@code trueClass} predicted as {@code predictedClass}. */
    public long count(int trueClass, int predictedClass) {
        return counts[checkClass("trueClass", trueClass)][checkClass("predictedClass", predictedClass)];
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /** The support (number of true samples) of each class. */
    public long[] support() {
        long[] s = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            for (long v : counts[i]) {
                s[i] += v;
            }
        }
        return s;
    }

    /** The total number of samples. */
    public long total() {
        long t = 0;
        for (long s : support()) {
            t += s;
        }
        return t;
    }

    /**
     * What this view shows: counts as doubles, or row proportions if {@link #isNormalized()}. The
     * plotting helpers draw heat maps from this.
     */
    public double[][] values() {
        long[] support = support();
        double[][] v = new double[counts.length][counts.length];
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts.length; j++) {
                v[i][j] = !normalized ? counts[i][j] : support[i] == 0 ? 0.0 : (double) counts[i][j] / support[i];
            }
        }
        return v;
    }

    /** A Tablesaw table: a {@code true} column with the class names, then one column per predicted class. */
    public Table toTable() {
        double[][] v = values();
        Table t = Table.create(normalized ? "normalized confusion matrix" : "confusion matrix");
        t.addColumns(StringColumn.create("true", classNames));
        for (int j = 0; j < classNames.size(); j++) {
            double[] col = new double[classNames.size()];
            for (int i = 0; i < col.length; i++) {
                col[i] = v[i][j];
            }
            t.addColumns(DoubleColumn.create(classNames.get(j), col));
        }
        return t;
    }

    private String cell(double v) {
        return normalized ? Format.fixed(v, 2) : Long.toString(Math.round(v));
    }

    @Override
    public String toString() {
        double[][] v = values();
        int w = 4;
        for (String n : classNames) {
            w = Math.max(w, n.length());
        }
        for (double[] row : v) {
            for (double x : row) {
                w = Math.max(w, cell(x).length());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(normalized ? "Normalized confusion matrix" : "Confusion matrix")
                .append(" (rows: true class, columns: predicted class)\n");
        b.append(" ".repeat(w));
        for (String n : classNames) {
            b.append(' ').append(pad(n, w));
        }
        b.append('\n');
        for (int i = 0; i < v.length; i++) {
            b.append(pad(classNames.get(i), w));
            for (double x : v[i]) {
                b.append(' ').append(pad(cell(x), w));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** An HTML table; in the normalised view the cell background shades with the proportion. */
    public String toHtml() {
        double[][] v = values();
        StringBuilder b = new StringBuilder("<table class=\"rnnlab-confusion\" style=\"border-collapse:collapse\">");
        b.append("<caption>").append(normalized ? "Normalized confusion matrix" : "Confusion matrix")
                .append(" (rows: true, columns: predicted)</caption><tr><th>true \\ predicted</th>");
        for (String n : classNames) {
            b.append("<th>").append(Html.escape(n)).append("</th>");
        }
        b.append("</tr>");
        long[] support = support();
        for (int i = 0; i < v.length; i++) {
            b.append("<tr><th style=\"text-align:right\">").append(Html.escape(classNames.get(i))).append("</th>");
            for (int j = 0; j < v.length; j++) {
                double share = support[i] == 0 ? 0 : (double) counts[i][j] / support[i];
                int alpha = (int) Math.round(share * 100);
                b.append("<td style=\"text-align:right;padding:2px 6px;background:rgba(31,119,180,")
                        .append(alpha / 100.0).append(')').append(share > 0.5 ? ";color:white" : "").append("\">")
                        .append(cell(v[i][j])).append("</td>");
            }
            b.append("</tr>");
        }
        return b.append("</table>").toString();
    }

    @Override
    public Map<String, String> mimeBundle() {
        return Displayable.textAndHtml(toString(), toHtml());
    }

    private int checkClass(String name, int c) {
        if (c < 0 || c >= classNames.size()) {
            throw new IllegalArgumentException(name + " = " + c + " is outside 0.." + (classNames.size() - 1));
        }
        return c;
    }

    static String pad(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }
}
