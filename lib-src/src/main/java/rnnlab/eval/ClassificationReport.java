package rnnlab.eval;

import java.util.List;
import java.util.Map;

import org.tribuo.classification.Label;
import org.tribuo.classification.evaluation.ConfusionMetrics;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.evaluation.metrics.EvaluationMetric;
import org.tribuo.evaluation.metrics.MetricTarget;

import rnnlab.display.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import rnnlab.display.Html;

/**
 * Mirrors scikit-learn's {@code classification_report(y_true, y_pred, labels=range(C),
 * target_names=names, digits=4)}: per-class precision, recall, F1 and support, then accuracy, macro
 * average and support-weighted average, in sklearn's text layout.
 *
 * <p>Per-class precision, recall and F1, the macro averages and the accuracy are computed by Tribuo
 * ({@link ConfusionMetrics} over a {@link LabelConfusionMatrix}); a zero denominator gives 0, which is
 * sklearn's {@code zero_division} behaviour (sklearn also warns). The weighted average (absent from
 * Tribuo) is the support-weighted mean of the per-class values, as sklearn computes it. Every class
 * named is listed, even one that never occurs, and counts in the macro average (sklearn with
 * {@code labels=range(C)}); the accuracy line is always printed.
 */
public final class ClassificationReport implements Displayable {

    /** The default number of digits, as in the reports (sklearn's default is 2). */
    public static final int DEFAULT_DIGITS = 4;

    private final List<String> classNames;
    private final double[] precision;
    private final double[] recall;
    private final double[] f1;
    private final long[] support;
    private final double accuracy;
    private final double[] macro;
    private final double[] weighted;
    private final int digits;

    private ClassificationReport(List<String> classNames, double[] precision, double[] recall, double[] f1,
                                 long[] support, double accuracy, double[] macro, double[] weighted, int digits) {
        this.classNames = classNames;
        this.precision = precision;
        this.recall = recall;
        this.f1 = f1;
        this.support = support;
        this.accuracy = accuracy;
        this.macro = macro;
        this.weighted = weighted;
        this.digits = digits;
    }

    /** The report for class ids 0..max(yTrue, yPred), named "0", "1", .... */
    public static ClassificationReport of(int[] yTrue, int[] yPred) {
        return of(yTrue, yPred, TribuoLabels.defaultNames(yTrue, yPred));
    }

    /**
     * The report for the named classes (class id i is {@code classNames.get(i)}), 4 digits.
     *
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or hold an id
     *                                  outside {@code [0, classNames.size())}
     */
    public static ClassificationReport of(int[] yTrue, int[] yPred, List<String> classNames) {
        LabelConfusionMatrix cm = TribuoLabels.confusion(yTrue, yPred, classNames);
        int c = classNames.size();
        double[] p = new double[c];
        double[] r = new double[c];
        double[] f = new double[c];
        long[] s = new long[c];
        long total = 0;
        for (int i = 0; i < c; i++) {
            Label l = new Label(classNames.get(i));
            MetricTarget<Label> t = new MetricTarget<>(l);
            p[i] = ConfusionMetrics.precision(t, cm);
            r[i] = ConfusionMetrics.recall(t, cm);
            f[i] = ConfusionMetrics.f1(t, cm);
            s[i] = Math.round(cm.support(l));
            total += s[i];
        }
        MetricTarget<Label> macroTarget = MetricTarget.macroAverageTarget();
        double[] macro = {ConfusionMetrics.precision(macroTarget, cm), ConfusionMetrics.recall(macroTarget, cm),
                ConfusionMetrics.f1(macroTarget, cm)};
        double[] weighted = new double[3];
        double[][] per = {p, r, f};
        for (int k = 0; k < 3; k++) {
            double sum = 0;
            for (int i = 0; i < c; i++) {
                sum += per[k][i] * s[i];
            }
            weighted[k] = total == 0 ? 0 : sum / total;
        }
        double acc = ConfusionMetrics.accuracy(EvaluationMetric.Average.MICRO, cm);
        return new ClassificationReport(List.copyOf(classNames), p, r, f, s, acc, macro, weighted, DEFAULT_DIGITS);
    }

    /** The same numbers printed with {@code digits} decimals (sklearn's {@code digits}). */
    public ClassificationReport withDigits(int digits) {
        if (digits < 0 || digits > 12) {
            throw new IllegalArgumentException("digits must be in 0..12, got " + digits);
        }
        return new ClassificationReport(classNames, precision, recall, f1, support, accuracy, macro, weighted, digits);
    }

    /** The class names, in id order. */
    public List<String> classNames() {
        return classNames;
    }

    /** Precision of class {@code c}: tp / (tp + fp), 0 if nothing was predicted as c. */
    public double precision(int c) {
        return precision[check(c)];
    }

    /** Recall of class {@code c}: tp / (tp + fn), 0 if c has no true samples. */
    public double recall(int c) {
        return recall[check(c)];
    }

    /** F1 of class {@code c}: 2pr / (p + r), 0 if p + r = 0. */
    public double f1(int c) {
        return f1[check(c)];
    }

    /** The number of true samples of class {@code c}. */
    public long support(int c) {
        return support[check(c)];
    }

    /** The fraction of samples predicted correctly. */
    public double accuracy() {
        return accuracy;
    }

    /** Unweighted mean of per-class precision. */
    public double macroPrecision() {
        return macro[0];
    }

    /** Unweighted mean of per-class recall. */
    public double macroRecall() {
        return macro[1];
    }

    /** Unweighted mean of per-class F1. */
    public double macroF1() {
        return macro[2];
    }

    /** Support-weighted mean of per-class precision. */
    public double weightedPrecision() {
        return weighted[0];
    }

    /** Support-weighted mean of per-class recall. */
    public double weightedRecall() {
        return weighted[1];
    }

    /** Support-weighted mean of per-class F1. */
    public double weightedF1() {
        return weighted[2];
    }

    /** The total number of samples. */
    public long totalSupport() {
        long t = 0;
        for (long s : support) {
            t += s;
        }
        return t;
    }

    /**
     * A Tablesaw table with columns {@code class, precision, recall, f1-score, support}: one row per
     * class, then {@code accuracy} (precision and recall missing), {@code macro avg} and
     * {@code weighted avg}.
     */
    public Table toTable() {
        int c = classNames.size();
        StringColumn name = StringColumn.create("class");
        DoubleColumn p = DoubleColumn.create("precision");
        DoubleColumn r = DoubleColumn.create("recall");
        DoubleColumn f = DoubleColumn.create("f1-score");
        IntColumn s = IntColumn.create("support");
        for (int i = 0; i < c; i++) {
            name.append(classNames.get(i));
            p.append(precision[i]);
            r.append(recall[i]);
            f.append(f1[i]);
            s.append((int) support[i]);
        }
        name.append("accuracy");
        p.appendMissing();
        r.appendMissing();
        f.append(accuracy);
        s.append((int) totalSupport());
        name.append("macro avg");
        p.append(macro[0]);
        r.append(macro[1]);
        f.append(macro[2]);
        s.append((int) totalSupport());
        name.append("weighted avg");
        p.append(weighted[0]);
        r.append(weighted[1]);
        f.append(weighted[2]);
        s.append((int) totalSupport());
        return Table.create("classification report", name, p, r, f, s);
    }

    /** The report in scikit-learn's exact text layout. */
    @Override
    public String toString() {
        String[] headers = {"precision", "recall", "f1-score", "support"};
        int width = Math.max("weighted avg".length(), digits);
        for (String n : classNames) {
            width = Math.max(width, n.length());
        }
        StringBuilder b = new StringBuilder();
        b.append(ConfusionMatrix.pad("", width)).append(' ');
        for (String h : headers) {
            b.append(' ').append(ConfusionMatrix.pad(h, 9));
        }
        b.append("\n\n");
        for (int i = 0; i < classNames.size(); i++) {
            row(b, classNames.get(i), precision[i], recall[i], f1[i], support[i], width);
        }
        b.append('\n');
        b.append(ConfusionMatrix.pad("accuracy", width)).append(' ')
                .append(' ').append(" ".repeat(9)).append(' ').append(" ".repeat(9))
                .append(' ').append(ConfusionMatrix.pad(Format.fixed(accuracy, digits), 9))
                .append(' ').append(ConfusionMatrix.pad(Long.toString(totalSupport()), 9)).append('\n');
        row(b, "macro avg", macro[0], macro[1], macro[2], totalSupport(), width);
        row(b, "weighted avg", weighted[0], weighted[1], weighted[2], totalSupport(), width);
        return b.toString();
    }

    private void row(StringBuilder b, String name, double p, double r, double f, long s, int width) {
        b.append(ConfusionMatrix.pad(name, width)).append(' ');
        for (double v : new double[]{p, r, f}) {
            b.append(' ').append(ConfusionMatrix.pad(Format.fixed(v, digits), 9));
        }
        b.append(' ').append(ConfusionMatrix.pad(Long.toString(s), 9)).append('\n');
    }

    /** An HTML table with the same rows and digits as {@link #toString()}. */
    public String toHtml() {
        StringBuilder b = new StringBuilder("<table class=\"rnnlab-report\"><caption>Classification report</caption>"
                + "<tr><th></th><th>precision</th><th>recall</th><th>f1-score</th><th>support</th></tr>");
        for (int i = 0; i < classNames.size(); i++) {
            htmlRow(b, classNames.get(i), fmt(precision[i]), fmt(recall[i]), fmt(f1[i]), support[i]);
        }
        htmlRow(b, "accuracy", "", "", fmt(accuracy), totalSupport());
        htmlRow(b, "macro avg", fmt(macro[0]), fmt(macro[1]), fmt(macro[2]), totalSupport());
        htmlRow(b, "weighted avg", fmt(weighted[0]), fmt(weighted[1]), fmt(weighted[2]), totalSupport());
        return b.append("</table>").toString();
    }

    private String fmt(double v) {
        return Format.fixed(v, digits);
    }

    private static void htmlRow(StringBuilder b, String name, String p, String r, String f, long s) {
        b.append("<tr><th style=\"text-align:right\">").append(Html.escape(name)).append("</th>");
        for (String v : new String[]{p, r, f, Long.toString(s)}) {
            b.append("<td style=\"text-align:right\">").append(v).append("</td>");
        }
        b.append("</tr>");
    }

    @Override
    public Map<String, String> mimeBundle() {
        return Displayable.textAndHtml(toString(), toHtml());
    }

    private int check(int c) {
        if (c < 0 || c >= classNames.size()) {
            throw new IllegalArgumentException("class id " + c + " is outside 0.." + (classNames.size() - 1));
        }
        return c;
    }
}
