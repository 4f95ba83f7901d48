package rnnlab.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import rnnlab.eval.Format;
import rnnlab.display.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;
import rnnlab.display.Html;

/**
 * What {@link Trainer#fit} returns (and {@link Recorder}, Keras's {@code History} callback, records):
 * the per-epoch metrics, like Keras's {@code History.history} dict
 * ({@code history.history['val_accuracy']} is {@code history.get("val_accuracy")}). Immutable.
 *
 * <p>Metric names are Keras 2.3+'s: {@code loss, accuracy, val_loss, val_accuracy}; binary tasks add
 * {@code precision, recall, f1} and their {@code val_} versions; {@code seconds} is the wall time of
 * each epoch (training and validation). {@link #toTable()} has the columns {@code epoch} (1-based),
 * the metrics in that order, then {@code seconds}.
 */
public final class History implements Displayable {

    /** The column order of every History table; a History holds the subset that applies. */
    public static final List<String> METRIC_ORDER = List.of("loss", "accuracy", "val_loss", "val_accuracy",
            "precision", "recall", "f1", "val_precision", "val_recall", "val_f1");

    private final List<String> metrics;
    private final Map<String, List<Double>> values;
    private final List<Double> seconds;
    private final long seed;
    private final boolean stoppedEarly;
    private final boolean interrupted;

    History(List<String> metrics, Map<String, List<Double>> values, List<Double> seconds, long seed,
            boolean stoppedEarly, boolean interrupted) {
        this.metrics = List.copyOf(metrics);
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        for (String m : this.metrics) {
            copy.put(m, List.copyOf(values.get(m)));
        }
        this.values = Collections.unmodifiableMap(copy);
        this.seconds = List.copyOf(seconds);
        this.seed = seed;
        this.stoppedEarly = stoppedEarly;
        this.interrupted = interrupted;
    }

    /** The metric names this History holds, in table order (without {@code epoch} and {@code seconds}). */
    public List<String> metricNames() {
        return metrics;
    }

    /** The number of completed epochs. */
    public int epochs() {
        return seconds.size();
    }

    /** True if this History has the metric (or is asked for {@code seconds}). */
    public boolean has(String metric) {
        return values.containsKey(metric) || "seconds".equals(metric);
    }

    /**
     * The per-epoch values of {@code metric}, like {@code history.history[metric]}.
     *
     * @throws IllegalArgumentException naming the available metrics if this one is absent
     */
    public List<Double> get(String metric) {
        if ("seconds".equals(metric)) {
            return seconds;
        }
        List<Double> v = values.get(metric);
        if (v == null) {
            String hint = metric != null && (metric.equals("acc") || metric.equals("val_acc"))
                    ? " (the names are Keras 2.3+'s: 'accuracy' and 'val_accuracy', not 'acc')" : "";
            String extra = metric != null && metric.startsWith("val_") && !values.containsKey("val_loss")
                    ? " (there was no validation data: set validationSplit or validationData)" : "";
            throw new IllegalArgumentException("History has no metric '" + metric + "'; available: "
                    + String.join(", ", metrics) + ", seconds" + hint + extra);
        }
        return v;
    }

    /** {@code loss} per epoch. */
    public List<Double> loss() {
        return get("loss");
    }

    /** {@code accuracy} per epoch. */
    public List<Double> accuracy() {
        return get("accuracy");
    }

    /** {@code val_loss} per epoch (throws if there was no validation). */
    public List<Double> valLoss() {
        return get("val_loss");
    }

    /** {@code val_accuracy} per epoch (throws if there was no validation). */
    public List<Double> valAccuracy() {
        return get("val_accuracy");
    }

    /** {@code precision} per epoch (binary tasks). */
    public List<Double> precision() {
        return get("precision");
    }

    /** {@code recall} per epoch (binary tasks). */
    public List<Double> recall() {
        return get("recall");
    }

    /** {@code f1} per epoch (binary tasks). */
    public List<Double> f1() {
        return get("f1");
    }

    /** {@code val_precision} per epoch (binary tasks with validation). */
    public List<Double> valPrecision() {
        return get("val_precision");
    }

    /** {@code val_recall} per epoch (binary tasks with validation). */
    public List<Double> valRecall() {
        return get("val_recall");
    }

    /** {@code val_f1} per epoch (binary tasks with validation). */
    public List<Double> valF1() {
        return get("val_f1");
    }

    /** Wall-clock seconds per epoch. */
    public List<Double> seconds() {
        return seconds;
    }

    /** Total training time in seconds. */
    public double totalSeconds() {
        double t = 0;
        for (double s : seconds) {
            t += s;
        }
        return t;
    }

    /** All metrics of epoch {@code epoch} (1-based), like the {@code logs} dict of a Keras callback. */
    public Map<String, Double> epoch(int epoch) {
        if (epoch < 1 || epoch > epochs()) {
            throw new IllegalArgumentException("epoch " + epoch + " is outside 1.." + epochs());
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (String k : metrics) {
            m.put(k, values.get(k).get(epoch - 1));
        }
        m.put("seconds", seconds.get(epoch - 1));
        return m;
    }

    /**
     * The 1-based epoch with the best value of {@code monitor}: highest for accuracy, precision,
     * recall and F1, lowest otherwise (Keras's {@code mode='auto'}); the first one on ties.
     */
    public int bestEpoch(String monitor) {
        return bestEpoch(monitor, MonitorMode.AUTO);
    }

    /** The 1-based best epoch of {@code monitor} under {@code mode}; NaN values never win. */
    public int bestEpoch(String monitor, MonitorMode mode) {
        List<Double> v = get(monitor);
        if (v.isEmpty()) {
            throw new IllegalStateException("History is empty: no epoch completed");
        }
        boolean max = mode.higherIsBetter(monitor);
        int best = -1;
        for (int i = 0; i < v.size(); i++) {
            double x = v.get(i);
            if (Double.isNaN(x)) {
                continue;
            }
            if (best < 0 || (max ? x > v.get(best) : x < v.get(best))) {
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("every value of " + monitor + " is NaN");
        }
        return best + 1;
    }

    /** The best value of {@code monitor} (see {@link #bestEpoch(String)}). */
    public double best(String monitor) {
        return get(monitor).get(bestEpoch(monitor) - 1);
    }

    /** The last value of {@code metric}. */
    public double last(String metric) {
        List<Double> v = get(metric);
        if (v.isEmpty()) {
            throw new IllegalStateException("History is empty: no epoch completed");
        }
        return v.get(v.size() - 1);
    }

    /** The seed the run used (given or picked from the clock): pass it to {@code seed(...)} to repeat it. */
    public long seed() {
        return seed;
    }

    /** True if early stopping ended the run before the last epoch. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** True if the run was interrupted (thread interrupt, Jupyter's stop button); the History holds the completed epochs. */
    public boolean interrupted() {
        return interrupted;
    }

    /**
     * A Tablesaw table with columns {@code epoch} (1-based), then the metrics in {@link #METRIC_ORDER}
     * that this History has, then {@code seconds}. The plotting helpers read these names.
     */
    public Table toTable() {
        int[] ep = new int[epochs()];
        for (int i = 0; i < ep.length; i++) {
            ep[i] = i + 1;
        }
        Table t = Table.create("history", IntColumn.create("epoch", ep));
        for (String m : metrics) {
            t.addColumns(DoubleColumn.create(m, values.get(m)));
        }
        t.addColumns(DoubleColumn.create("seconds", seconds));
        return t;
    }

    @Override
    public String toString() {
        List<String> cols = new ArrayList<>();
        cols.add("epoch");
        cols.addAll(metrics);
        cols.add("seconds");
        List<String[]> rows = new ArrayList<>();
        for (int e = 1; e <= epochs(); e++) {
            String[] r = new String[cols.size()];
            r[0] = Integer.toString(e);
            for (int k = 0; k < metrics.size(); k++) {
                r[k + 1] = Format.fixed(values.get(metrics.get(k)).get(e - 1), 4);
            }
            r[cols.size() - 1] = Format.fixed(seconds.get(e - 1), 1);
            rows.add(r);
        }
        int[] w = new int[cols.size()];
        for (int c = 0; c < w.length; c++) {
            w[c] = cols.get(c).length();
            for (String[] r : rows) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        StringBuilder b = new StringBuilder("History (").append(epochs()).append(" epochs")
                .append(stoppedEarly ? ", stopped early" : "").append(interrupted ? ", interrupted" : "")
                .append(", seed ").append(seed).append(")\n");
        for (int c = 0; c < w.length; c++) {
            b.append(c == 0 ? "" : "  ").append(pad(cols.get(c), w[c]));
        }
        b.append('\n');
        for (String[] r : rows) {
            for (int c = 0; c < w.length; c++) {
                b.append(c == 0 ? "" : "  ").append(pad(r[c], w[c]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** An HTML table of the epochs, 4 decimals, the best epoch of the validation (or training) loss in bold. */
    public String toHtml() {
        StringBuilder b = new StringBuilder("<table class=\"rnnlab-history\"><caption>History: ").append(epochs())
                .append(" epochs").append(stoppedEarly ? ", stopped early" : "").append(interrupted ? ", interrupted" : "")
                .append(", seed ").append(seed).append("</caption><tr><th>epoch</th>");
        for (String m : metrics) {
            b.append("<th>").append(Html.escape(m)).append("</th>");
        }
        b.append("<th>seconds</th></tr>");
        String key = values.containsKey("val_loss") ? "val_loss" : "loss";
        int best = epochs() == 0 || values.get(key).stream().allMatch(d -> Double.isNaN(d)) ? -1 : bestEpoch(key);
        for (int e = 1; e <= epochs(); e++) {
            b.append(e == best ? "<tr style=\"font-weight:bold\">" : "<tr>").append("<td>").append(e).append("</td>");
            for (String m : metrics) {
                b.append("<td style=\"text-align:right\">").append(Format.fixed(values.get(m).get(e - 1), 4)).append("</td>");
            }
            b.append("<td style=\"text-align:right\">").append(Format.fixed(seconds.get(e - 1), 1)).append("</td></tr>");
        }
        return b.append("</table>").toString();
    }

    @Override
    public Map<String, String> mimeBundle() {
        return Displayable.textAndHtml(toString(), toHtml());
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }

    /**
     * Keras's {@code History} callback ({@code model.history}): records every epoch's logs during
     * {@code fit}. {@code fit} always installs one (last, as Keras does); {@code Model} keeps its own
     * as {@code model.history()}, and a plain {@link Trainer#fit} caller may pass one with
     * {@code callbacks(...)} to read the completed epochs of a fit that threw.
     */
    public static final class Recorder implements Callback {
        private Builder builder;
        private volatile History history;

        /** A recorder with no History until a fit begins. */
        public Recorder() {
        }

        /**
         * The History so far: {@code null} before a fit began, then the completed epochs, updated after
         * each; once the fit ended (also by an early stop, an interrupt or a diverged loss) the
         * History {@code fit} returned or attached to its exception.
         */
        public History history() {
            return history;
        }

        @Override
        public void onTrainBegin(Training training) {
            builder = new Builder(training.metricNames(), training.seed());
            for (Map<String, Double> logs : training.resumedLogs()) {
                builder.add(logs, logs.get("seconds"));
            }
            history = builder.build(false, false);
        }

        @Override
        public void onEpochEnd(int epoch, Map<String, Double> logs) {
            builder.add(logs, logs.get("seconds"));
            history = builder.build(false, false);
        }

        @Override
        public void onTrainEnd(Training training) {
            history = builder.build(training.stoppedEarly(), training.interrupted());
        }
    }

    /** Accumulates epochs during {@code fit}; {@link #build} snapshots an immutable History. */
    static final class Builder {
        private final List<String> metrics;
        private final Map<String, List<Double>> values = new LinkedHashMap<>();
        private final List<Double> seconds = new ArrayList<>();
        private final long seed;

        Builder(List<String> metrics, long seed) {
            this.metrics = metrics;
            this.seed = seed;
            for (String m : metrics) {
                values.put(m, new ArrayList<>());
            }
        }

        void add(Map<String, Double> logs, double secs) {
            for (String m : metrics) {
                Double v = logs.get(m);
                if (v == null) {
                    throw new IllegalStateException("epoch logs lack " + m);
                }
                values.get(m).add(v);
            }
            seconds.add(secs);
        }

        History build(boolean stoppedEarly, boolean interrupted) {
            return new History(metrics, values, seconds, seed, stoppedEarly, interrupted);
        }
    }
}
