package rnnlab.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import rnnlab.data.AtomicFiles;
import rnnlab.lab.Lab;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;

/**
 * The reports' figures as Plotly {@link Figure}s, and saving them: the counterpart of the
 * matplotlib/seaborn cells in the Keras and PyTorch reports ({@code plt.plot(history.history['loss'])},
 * {@code plt.subplots(2, 2)}, {@code sns.heatmap(cm, annot=True, fmt='d', cmap='Blues')},
 * {@code ax.matshow(confusion)}, {@code plt.savefig}).
 *
 * <p>Training histories are Tablesaw tables with the columns of {@code rnnlab.train.History.toTable()}
 * (Keras' {@code history.history} keys): {@code epoch, loss, accuracy, val_loss, val_accuracy} and
 * optionally {@code precision, recall, f1, val_precision, val_recall, val_f1, seconds}. Any table with
 * those column names works. Labels follow the reports (English axis names; titles and model names may
 * be Chinese). Colours are matplotlib's default cycle (tab10), so figures look like the originals.
 */
public final class Figures {

    /** The font list of every figure: Noto Sans CJK first so Chinese titles, labels and legends render. */
    public static final String FONT_FAMILY =
            "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, WenQuanYi Micro Hei, Microsoft YaHei, sans-serif";

    /** matplotlib's default colour cycle (tab10), as in the reports' plots. */
    public static final List<String> COLORS = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    /** matplotlib/ColorBrewer 'Blues' (white to dark blue), the confusion-matrix colour scale of report 001. */
    static final String[] BLUES = {"#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6",
        "#2171b5", "#08519c", "#08306b"};

    private static volatile Boolean interactive;

    private Figures() {
    }

    /**
     * How training curves are labelled, for the curve methods' overloads: accuracy as a fraction (as
     * Keras's history holds it) or in percent (as report 001 prints it), and the name of the held-out
     * series, "validation" unless the run evaluated another set every epoch (report 001 experiment 2
     * passes its test set, so its curves say "test"). Mirrors what a matplotlib cell sets by hand with
     * {@code label=} and a {@code * 100}.
     *
     * <pre>{@code
     * Figures.compareModels(histories, CurveStyle.DEFAULT.accuracyInPercent())
     * Figures.compareModels(histories, CurveStyle.DEFAULT.heldOutAs("test"))
     * }</pre>
     *
     * @param accuracyPercent plot accuracy × 100 with the axis "Accuracy (%)"
     * @param heldOutName     the held-out series' name in lower case, e.g. {@code validation} or {@code test}
     */
    public record CurveStyle(boolean accuracyPercent, String heldOutName) {

        /** Accuracy as a fraction, held-out data called validation: the figures' defaults. */
        public static final CurveStyle DEFAULT = new CurveStyle(false, "validation");

        /** Checks the name. */
        public CurveStyle {
            if (heldOutName == null || heldOutName.isBlank()) {
                throw new IllegalArgumentException("heldOutName is empty; name the data evaluated every epoch, "
                        + "e.g. \"validation\" or \"test\"");
            }
            heldOutName = heldOutName.strip();
        }

        /** This style with accuracy in percent. */
        public CurveStyle accuracyInPercent() {
            return new CurveStyle(true, heldOutName);
        }

        /** This style with the held-out series called {@code name} ("test"). */
        public CurveStyle heldOutAs(String name) {
            return new CurveStyle(accuracyPercent, name);
        }

        /** "Validation" / "Test": in titles and legends. */
        String heldOut() {
            return capitalise(heldOutName);
        }

        /** "val" for validation (the Keras prefix the legends used), else the name: in short legends. */
        String heldOutShort() {
            return heldOutName.equalsIgnoreCase("validation") ? "val" : heldOutName.toLowerCase(Locale.ROOT);
        }

        String accuracyAxis() {
            return accuracyPercent ? "Accuracy (%)" : "Accuracy";
        }

        double[] scale(String column, double[] values) {
            if (!accuracyPercent || !(column.equals("accuracy") || column.equals("val_accuracy"))) {
                return values;
            }
            double[] v = values.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] *= 100;
            }
            return v;
        }
    }

    // ------------------------------------------------------------------ training curves (reports 000, 002, 003)

    /**
     * Training and validation loss by epoch in one plot: {@code plt.plot(history.history['loss'],
     * label='Training Loss'); plt.plot(history.history['val_loss'], label='Validation Loss')}.
     */
    public static Figure lossCurve(Table history) {
        return lossCurve(history, CurveStyle.DEFAULT);
    }

    /** {@link #lossCurve(Table)} with the held-out series named by {@code style}. */
    public static Figure lossCurve(Table history, CurveStyle style) {
        return curvePanel(history, "loss", "Loss", "Training and " + style.heldOutName() + " loss", 640, 480, style);
    }

    /** Training and validation accuracy by epoch in one plot (report 000's second figure). */
    public static Figure accuracyCurve(Table history) {
        return accuracyCurve(history, CurveStyle.DEFAULT);
    }

    /** {@link #accuracyCurve(Table)} in percent and/or with the held-out series named by {@code style}. */
    public static Figure accuracyCurve(Table history, CurveStyle style) {
        return curvePanel(history, "accuracy", style.accuracyAxis(), "Training and " + style.heldOutName() + " accuracy",
                640, 480, style);
    }

    /**
     * Loss and accuracy side by side ({@code plt.subplot(1, 2, 1)} / {@code (1, 2, 2)}, report 003),
     * panel titles "Loss Function" and "Accuracy".
     */
    public static Figure trainingCurves(Table history) {
        return trainingCurves(history, "");
    }

    /**
     * {@link #trainingCurves(Table)} with a title; a non-empty {@code modelName} also prefixes the
     * panel titles ("LSTM - Loss Function", as report 003 does).
     */
    public static Figure trainingCurves(Table history, String modelName) {
        return trainingCurves(history, modelName, CurveStyle.DEFAULT);
    }

    /** {@link #trainingCurves(Table, String)} in percent and/or with the held-out series named by {@code style}. */
    public static Figure trainingCurves(Table history, String modelName, CurveStyle style) {
        Objects.requireNonNull(modelName, "modelName");
        Objects.requireNonNull(style, "style");
        requireColumns("history", history, "epoch", "loss", "val_loss", "accuracy", "val_accuracy");
        String prefix = modelName.isBlank() ? "" : modelName + " - ";
        Grid g = new Grid(1, 2, prefix + "Loss Function", prefix + "Accuracy");
        double[] epoch = column(history, "epoch");
        // one legend for both panels: training in C0, validation in C1, as each matplotlib subplot has
        g.add(line(epoch, column(history, "loss"), "Training", COLORS.get(0), null, true), 1);
        g.add(line(epoch, column(history, "val_loss"), style.heldOut(), COLORS.get(1), null, true), 1);
        g.add(line(epoch, style.scale("accuracy", column(history, "accuracy")), "Training", COLORS.get(0), null, false), 2);
        g.add(line(epoch, style.scale("val_accuracy", column(history, "val_accuracy")), style.heldOut(), COLORS.get(1),
                null, false), 2);
        g.axisTitles(1, "Epochs", "Loss");
        g.axisTitles(2, "Epochs", style.accuracyAxis());
        g.epochAxes(max(epoch), 1, 2);
        return g.figure(modelName, 1100, 480);
    }

    // ------------------------------------------------------------------ model comparison (report 001)

    /**
     * The 2 × 2 grid of report 001 experiment 1: training loss, validation loss, training accuracy and
     * validation accuracy by epoch, one line per model (map order = legend order).
     */
    public static Figure compareModels(Map<String, Table> histories) {
        return compareModels(histories, CurveStyle.DEFAULT);
    }

    /**
     * {@link #compareModels(Map)} with accuracy in percent ({@code CurveStyle.DEFAULT.accuracyInPercent()},
     * report 001 experiment 1) and/or the held-out panels named otherwise
     * ({@code CurveStyle.DEFAULT.heldOutAs("test")}: "Test Loss", "Test Accuracy").
     */
    public static Figure compareModels(Map<String, Table> histories, CurveStyle style) {
        Objects.requireNonNull(style, "style");
        requireHistories(histories, "loss", "val_loss", "accuracy", "val_accuracy");
        Grid g = new Grid(2, 2, "Training Loss", style.heldOut() + " Loss", "Training Accuracy", style.heldOut() + " Accuracy");
        String[] cols = {"loss", "val_loss", "accuracy", "val_accuracy"};
        int m = 0;
        double last = 1;
        for (Map.Entry<String, Table> e : histories.entrySet()) {
            double[] epoch = column(e.getValue(), "epoch");
            last = Math.max(last, max(epoch));
            for (int p = 0; p < 4; p++) {
                ObjectNode t = line(epoch, style.scale(cols[p], column(e.getValue(), cols[p])), e.getKey(), color(m),
                        null, p == 0);
                g.add(t, p + 1);
            }
            m++;
        }
        for (int p = 1; p <= 4; p++) {
            g.axisTitles(p, "Epoch", p <= 2 ? "Loss" : style.accuracyAxis());
        }
        g.epochAxes(last, 1, 2, 3, 4);
        return g.figure("", 1100, 800);
    }

    /**
     * Per-epoch precision, recall and F1 (report 001 experiment 2): three panels, one colour per model,
     * solid lines for training and dashed for validation (when the {@code val_} columns exist).
     */
    public static Figure metricCurves(Map<String, Table> histories) {
        return metricCurves(histories, CurveStyle.DEFAULT);
    }

    /**
     * {@link #metricCurves(Map)} with the held-out series named by {@code style}
     * ({@code CurveStyle.DEFAULT.heldOutAs("test")}: legends "LSTM test" instead of "LSTM val").
     */
    public static Figure metricCurves(Map<String, Table> histories, CurveStyle style) {
        Objects.requireNonNull(style, "style");
        requireHistories(histories, "precision", "recall", "f1");
        Grid g = new Grid(1, 3, "Precision", "Recall", "F1");
        String[] cols = {"precision", "recall", "f1"};
        int m = 0;
        double last = 1;
        for (Map.Entry<String, Table> e : histories.entrySet()) {
            Table h = e.getValue();
            double[] epoch = column(h, "epoch");
            last = Math.max(last, max(epoch));
            for (int p = 0; p < 3; p++) {
                g.add(line(epoch, column(h, cols[p]), e.getKey() + " train", color(m), null, p == 0), p + 1);
                if (h.columnNames().contains("val_" + cols[p])) {
                    g.add(line(epoch, column(h, "val_" + cols[p]), e.getKey() + " " + style.heldOutShort(), color(m),
                            "dash", p == 0), p + 1);
                }
            }
            m++;
        }
        for (int p = 1; p <= 3; p++) {
            g.axisTitles(p, "Epoch", cols[p - 1].equals("f1") ? "F1" : capitalise(cols[p - 1]));
        }
        g.epochAxes(last, 1, 2, 3);
        return g.figure("", 1200, 460);
    }

    /** {@link #metricCurves(Map)} for one model. */
    public static Figure metricCurves(Table history) {
        return metricCurves(Map.of("model", history));
    }

    // ------------------------------------------------------------------ confusion matrices (reports 001, 004)

    /**
     * A confusion matrix with the count in every cell on a white-to-blue scale, rows = true class,
     * columns = predicted class: {@code sns.heatmap(cm, annot=True, fmt='d', cmap='Blues', cbar=False)}.
     */
    public static Figure confusionMatrix(int[][] counts, List<String> classNames, String title) {
        Grid g = new Grid(1, 1, "");
        confusionPanel(g, 1, counts, classNames, false);
        int n = classNames.size();
        int side = Math.max(360, Math.min(900, 120 + 44 * n));
        return g.figure(title == null ? "" : title, side + 40, side + 20);
    }

    /**
     * Several confusion matrices side by side, one per model ({@code plt.subplots(1, 3)} in report 001);
     * panel titles "&lt;model&gt; - Confusion Matrix".
     */
    public static Figure confusionMatrices(Map<String, int[][]> countsByModel, List<String> classNames) {
        if (countsByModel == null || countsByModel.isEmpty()) {
            throw new IllegalArgumentException("countsByModel is empty; pass one confusion matrix per model name");
        }
        int k = countsByModel.size();
        String[] titles = countsByModel.keySet().stream().map(s -> s + " - Confusion Matrix").toArray(String[]::new);
        Grid g = new Grid(1, k, titles);
        int p = 1;
        for (int[][] cm : countsByModel.values()) {
            confusionPanel(g, p++, cm, classNames, false);
        }
        int side = Math.max(300, Math.min(560, 100 + 36 * classNames.size()));
        return g.figure("", Math.min(4000, side * k + 80), side + 60);
    }

    /**
     * The row-normalised confusion matrix of the PyTorch names tutorial (report 004): each row divided
     * by its total (rows with no samples stay 0), {@code ax.matshow} with matplotlib's default viridis
     * scale, a colour bar, class names on both axes (predicted names rotated 90°, as
     * {@code set_xticklabels(..., rotation=90)}, but below the matrix so they cannot collide with the title).
     */
    public static Figure normalizedConfusionMatrix(int[][] counts, List<String> classNames, String title) {
        Grid g = new Grid(1, 1, "");
        confusionPanel(g, 1, counts, classNames, true);
        int n = classNames.size();
        int side = Math.max(400, Math.min(1000, 160 + 34 * n));
        return g.figure(title == null ? "" : title, side + 120, side + 140);
    }

    // ------------------------------------------------------------------ by iteration (report 004)

    /**
     * Loss by iteration: {@code plt.plot(all_losses)} where one value was recorded every
     * {@code every} iterations (the tutorial's {@code plot_every}); the x axis counts iterations.
     */
    public static Figure lossByIteration(double[] losses, int every) {
        return byIteration(losses, every, "Loss", "Training loss", COLORS.get(0));
    }

    /** Validation accuracy recorded every {@code every} iterations (report 004's second curve). */
    public static Figure accuracyByIteration(double[] accuracies, int every) {
        return byIteration(accuracies, every, "Accuracy", "Validation accuracy", COLORS.get(1));
    }

    /** A single series recorded every {@code every} iterations, with the given y-axis name and title. */
    public static Figure byIteration(double[] values, int every, String yTitle, String title) {
        return byIteration(values, every, yTitle, title, COLORS.get(0));
    }

    // ------------------------------------------------------------------ comparison bar chart and table

    /**
     * Test accuracy per model as bars with the value on each bar. Values in [0, 1] are labelled with
     * four decimals (0.8850); larger values are taken as percentages (99.08%).
     */
    public static Figure accuracyBar(Map<String, Double> accuracyByModel) {
        if (accuracyByModel == null || accuracyByModel.isEmpty()) {
            throw new IllegalArgumentException("accuracyByModel is empty; pass model name → test accuracy");
        }
        boolean fraction = accuracyByModel.values().stream().allMatch(v -> v != null && v >= 0 && v <= 1);
        ObjectNode bar = Figure.JSON.createObjectNode().put("type", "bar").put("name", "test accuracy")
                .put("textposition", "outside").put("cliponaxis", false).put("showlegend", false);
        ArrayNode x = bar.putArray("x");
        ArrayNode y = bar.putArray("y");
        ArrayNode text = bar.putArray("text");
        ArrayNode colors = bar.putObject("marker").putArray("color");
        int i = 0;
        double max = 0;
        for (Map.Entry<String, Double> e : accuracyByModel.entrySet()) {
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException("accuracyByModel[" + e.getKey() + "] is " + v
                        + "; accuracies must be finite and ≥ 0");
            }
            x.add(e.getKey());
            y.add(v);
            text.add(fraction ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.2f%%", v));
            colors.add(color(i++));
            max = Math.max(max, v);
        }
        Grid g = new Grid(1, 1, "");
        g.add(bar, 1);
        g.axisTitles(1, "Model", fraction ? "Test accuracy" : "Test accuracy (%)");
        g.yaxis(1).putArray("range").add(0).add(fraction ? Math.min(1.08, max * 1.12 + 0.01) : max * 1.12);
        g.xaxis(1).put("type", "category");
        return g.figure("Test accuracy", 640, 480);
    }

    /**
     * A results table for the notebook (HTML and text) and for saving (HTML or CSV); doubles are shown
     * with four decimals.
     */
    public static TableView resultsTable(Table table) {
        return new TableView(table, 4);
    }

    // ------------------------------------------------------------------ saving

    /**
     * Saves a figure by the file extension: {@code .png} (via headless Chromium, scale 1),
     * {@code .svg}, or {@code .html}/{@code .htm} (self-contained, plotly.js inlined). Without
     * Chromium a PNG/SVG request says so once on stderr and writes the HTML next to it instead.
     * Parent folders are created. Returns the file actually written.
     */
    public static Path save(Figure figure, Path path) {
        return save(figure, path, 1);
    }

    /** {@link #save(Figure, Path)} with a PNG pixel scale ({@code 2} doubles width and height, like dpi). */
    public static Path save(Figure figure, Path path, double scale) {
        Objects.requireNonNull(figure, "figure");
        return saveAll(List.of(figure), List.of(path), scale).get(0);
    }

    /**
     * Saves many figures with one Chromium process per format (Chromium start-up dominates the time
     * of a single figure). {@code figures} and {@code paths} pair up by position.
     */
    public static List<Path> saveAll(List<Figure> figures, List<Path> paths, double scale) {
        Objects.requireNonNull(figures, "figures");
        Objects.requireNonNull(paths, "paths");
        if (figures.size() != paths.size()) {
            throw new IllegalArgumentException("saveAll got " + figures.size() + " figures but " + paths.size()
                    + " paths; pass one path per figure");
        }
        List<Path> written = new ArrayList<>(paths);
        List<Integer> png = new ArrayList<>();
        List<Integer> svg = new ArrayList<>();
        try {
            for (int i = 0; i < figures.size(); i++) {
                Path p = Objects.requireNonNull(paths.get(i), "paths[" + i + "]");
                String ext = extension(p);
                if (p.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(p.toAbsolutePath().getParent());
                }
                switch (ext) {
                    case "png" -> png.add(i);
                    case "svg" -> svg.add(i);
                    case "html", "htm" -> AtomicFiles.write(p, figures.get(i).toHtml().getBytes(StandardCharsets.UTF_8));
                    default -> throw new IllegalArgumentException("cannot save a figure as '" + p.getFileName()
                            + "': the extension must be .png, .svg, .html or .htm");
                }
            }
            if ((!png.isEmpty() || !svg.isEmpty()) && !Chromium.available()) {
                Chromium.warnMissingOnce();
                for (int i : concat(png, svg)) {
                    Path html = sibling(paths.get(i), ".html");
                    AtomicFiles.write(html, figures.get(i).toHtml().getBytes(StandardCharsets.UTF_8));
                    written.set(i, html);
                }
                return written;
            }
            writeRendered(figures, paths, png, Chromium.Format.PNG, scale);
            writeRendered(figures, paths, svg, Chromium.Format.SVG, 1);
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save figure: " + e.getMessage(), e);
        }
    }

    /**
     * Saves under {@code Lab.figuresDir(notebook)}, i.e. {@code figures/<notebook>/<fileName>}, as the
     * report notebooks do with every figure.
     */
    public static Path save(Figure figure, String notebook, String fileName) {
        return save(figure, Lab.figuresDir(notebook).resolve(fileName));
    }

    // ------------------------------------------------------------------ notebook display settings

    /**
     * Whether notebook bundles carry the interactive {@code text/html} next to the PNG. Default from
     * {@code RNNLAB_PLOT_INTERACTIVE} / {@code -Drnnlab.plot.interactive} ({@code true} unless set to
     * {@code false}); without Chromium the HTML is always sent.
     */
    public static boolean interactive() {
        Boolean v = interactive;
        if (v != null) {
            return v;
        }
        String s = Lab.setting("rnnlab.plot.interactive", "RNNLAB_PLOT_INTERACTIVE");
        return s == null || !s.equalsIgnoreCase("false");
    }

    /** Turns the interactive HTML in notebook bundles on or off for this session (PNG only when off). */
    public static void setInteractive(boolean on) {
        interactive = on;
    }

    /**
     * Forgets that plotly.js was already sent to the notebook, so the next figure inlines it again
     * (call it after clearing the output of the figure that carried it).
     */
    public static void resetNotebookSession() {
        Figure.NotebookSession.reset();
    }

    // ------------------------------------------------------------------ internals

    private static void writeRendered(List<Figure> figures, List<Path> paths, List<Integer> idx,
                                      Chromium.Format format, double scale) throws IOException {
        if (idx.isEmpty()) {
            return;
        }
        List<Figure> batch = idx.stream().map(figures::get).toList();
        List<byte[]> out = Chromium.render(batch, format, scale);
        for (int k = 0; k < idx.size(); k++) {
            AtomicFiles.write(paths.get(idx.get(k)), out.get(k));   // a failed batch keeps the figures saved before
        }
    }

    private static List<Integer> concat(List<Integer> a, List<Integer> b) {
        List<Integer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String extension(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Path sibling(Path p, String newExt) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return p.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + newExt);
    }

    private static Figure curvePanel(Table history, String metric, String yTitle, String title, int w, int h,
                                     CurveStyle style) {
        Objects.requireNonNull(style, "style");
        requireColumns("history", history, "epoch", metric, "val_" + metric);
        double[] epoch = column(history, "epoch");
        Grid g = new Grid(1, 1, "");
        String name = metric.equals("loss") ? "Loss" : "Accuracy";
        g.add(line(epoch, style.scale(metric, column(history, metric)), "Training " + name, COLORS.get(0), null, true), 1);
        g.add(line(epoch, style.scale("val_" + metric, column(history, "val_" + metric)), style.heldOut() + " " + name,
                COLORS.get(1), null, true), 1);
        g.axisTitles(1, "Epochs", yTitle);
        g.epochAxes(max(epoch), 1);
        return g.figure(title, w, h);
    }

    private static double max(double[] xs) {
        double m = 1;
        for (double x : xs) {
            if (Double.isFinite(x)) {
                m = Math.max(m, x);
            }
        }
        return m;
    }

    /**
     * The tick step of an epoch axis: whole epochs, at most about ten ticks (1, 2, 5, 10, 20, 50, ...),
     * so a 3-epoch run shows 1, 2, 3 and never 1.5.
     */
    static int epochTickStep(double lastEpoch) {
        for (int magnitude = 1; magnitude < 100_000_000; magnitude *= 10) {
            for (int n : new int[] {1, 2, 5}) {
                if (lastEpoch / (n * magnitude) <= 10) {
                    return n * magnitude;
                }
            }
        }
        return 100_000_000;
    }

    private static Figure byIteration(double[] values, int every, String yTitle, String title, String color) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("values is empty; record at least one value");
        }
        if (every < 1) {
            throw new IllegalArgumentException("every is " + every + "; it is the number of iterations between"
                    + " recorded values (plot_every), at least 1");
        }
        double[] x = new double[values.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (double) (i + 1) * every;
        }
        Grid g = new Grid(1, 1, "");
        ObjectNode t = line(x, values, yTitle, color, null, false);
        t.put("mode", "lines");
        g.add(t, 1);
        g.axisTitles(1, "Iteration", yTitle);
        return g.figure(title, 640, 480);
    }

    private static void confusionPanel(Grid g, int panel, int[][] counts, List<String> classNames,
                                       boolean normalise) {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(classNames, "classNames");
        int n = classNames.size();
        if (n == 0 || counts.length != n) {
            throw new IllegalArgumentException("counts has " + counts.length + " rows but classNames has " + n
                    + " names; a confusion matrix is n × n with one name per class");
        }
        long max = 0;
        for (int i = 0; i < n; i++) {
            if (counts[i] == null || counts[i].length != n) {
                throw new IllegalArgumentException("counts[" + i + "] has "
                        + (counts[i] == null ? "no" : counts[i].length) + " entries; expected " + n);
            }
            for (int c : counts[i]) {
                if (c < 0) {
                    throw new IllegalArgumentException("counts[" + i + "] contains " + c + "; counts must be ≥ 0");
                }
                max = Math.max(max, c);
            }
        }
        ObjectNode hm = Figure.JSON.createObjectNode().put("type", "heatmap").put("showscale", normalise)
                .put("xgap", normalise ? 0 : 1).put("ygap", normalise ? 0 : 1);
        ArrayNode names = Figure.JSON.createArrayNode();
        classNames.forEach(names::add);
        hm.set("x", names.deepCopy());
        hm.set("y", names.deepCopy());
        ArrayNode z = hm.putArray("z");
        double[][] norm = new double[n][n];
        for (int i = 0; i < n; i++) {
            long row = 0;
            for (int c : counts[i]) {
                row += c;
            }
            ArrayNode zr = z.addArray();
            for (int j = 0; j < n; j++) {
                norm[i][j] = row == 0 ? 0 : counts[i][j] / (double) row;
                if (normalise) {
                    zr.add(norm[i][j]);
                } else {
                    zr.add(counts[i][j]);
                }
            }
        }
        ArrayNode scale = hm.putArray("colorscale");
        if (normalise) {
            hm.put("colorscale", "Viridis").put("zmin", 0).put("zmax", 1);
            hm.putObject("colorbar").put("thickness", 14).put("len", 0.9);
            hm.put("hovertemplate", "true %{y}<br>predicted %{x}<br>fraction %{z:.3f}<extra></extra>");
        } else {
            for (int k = 0; k < BLUES.length; k++) {
                scale.addArray().add(k / (double) (BLUES.length - 1)).add(BLUES[k]);
            }
            hm.put("zmin", 0).put("zmax", Math.max(1, max));
            hm.put("hovertemplate", "true %{y}<br>predicted %{x}<br>count %{z}<extra></extra>");
            int fontSize = n <= 10 ? 12 : n <= 20 ? 9 : 7;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    boolean dark = max > 0 && counts[i][j] > max / 2.0;
                    ObjectNode a = g.annotation(panel, classNames.get(j), classNames.get(i),
                            Integer.toString(counts[i][j]));
                    a.putObject("font").put("size", fontSize).put("color", dark ? "#ffffff" : "#262626");
                }
            }
        }
        g.add(hm, panel);
        g.axisTitles(panel, "Predicted", "True");
        ObjectNode xa = g.xaxis(panel).put("type", "category").put("showgrid", false).put("ticks", "");
        ObjectNode ya = g.yaxis(panel).put("type", "category").put("showgrid", false).put("ticks", "")
                .put("autorange", "reversed");
        ya.put("scaleanchor", Grid.axisId("x", panel)).put("constrain", "domain");
        xa.put("constrain", "domain");
        if (normalise) {
            xa.put("tickangle", -90);
            ((ObjectNode) xa.get("title")).put("standoff", 12); // below the rotated names, not across them
        }
    }

    private static ObjectNode line(double[] x, double[] y, String name, String color, String dash,
                                   boolean showLegend) {
        ObjectNode t = Figure.JSON.createObjectNode().put("type", "scatter").put("mode",
                x.length <= 60 ? "lines+markers" : "lines").put("name", name).put("legendgroup", name)
                .put("showlegend", showLegend);
        ArrayNode xs = t.putArray("x");
        ArrayNode ys = t.putArray("y");
        for (int i = 0; i < y.length; i++) {
            xs.add(x[i]);
            if (Double.isFinite(y[i])) {
                ys.add(y[i]);
            } else {
                ys.addNull();
            }
        }
        ObjectNode l = t.putObject("line").put("color", color).put("width", 2);
        if (dash != null) {
            l.put("dash", dash);
        }
        t.putObject("marker").put("color", color).put("size", 5);
        return t;
    }

    private static String color(int i) {
        return COLORS.get(i % COLORS.size());
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    static void requireColumns(String what, Table t, String... names) {
        Objects.requireNonNull(t, what);
        List<String> have = t.columnNames();
        for (String n : names) {
            if (!have.contains(n)) {
                throw new IllegalArgumentException(what + " table '" + t.name() + "' has no column '" + n
                        + "'; it has " + have + ". Expected the columns of History.toTable(): epoch, loss,"
                        + " accuracy, val_loss, val_accuracy (optionally precision, recall, f1, val_precision,"
                        + " val_recall, val_f1, seconds)");
            }
            if (!(t.column(n) instanceof NumericColumn<?>)) {
                throw new IllegalArgumentException(what + " table '" + t.name() + "': column '" + n + "' is "
                        + t.column(n).type() + "; it must be numeric");
            }
        }
    }

    private static void requireHistories(Map<String, Table> histories, String... metrics) {
        if (histories == null || histories.isEmpty()) {
            throw new IllegalArgumentException("histories is empty; pass model name → History.toTable()");
        }
        for (Map.Entry<String, Table> e : histories.entrySet()) {
            List<String> need = new ArrayList<>(List.of("epoch"));
            need.addAll(List.of(metrics));
            requireColumns("histories[" + e.getKey() + "]", e.getValue(), need.toArray(String[]::new));
        }
    }

    private static double[] column(Table t, String name) {
        return ((NumericColumn<?>) t.column(name)).asDoubleArray();
    }

    /**
     * A grid of cartesian subplots with explicit axis domains, shared legend below and subplot titles as
     * annotations (Plotly's equivalent of {@code plt.subplots(rows, cols)} + {@code tight_layout}).
     */
    static final class Grid {
        private final int rows;
        private final int cols;
        private final String[] titles;
        private final ArrayNode data = Figure.JSON.createArrayNode();
        private final ObjectNode layout = Figure.JSON.createObjectNode();
        private final ArrayNode annotations;

        Grid(int rows, int cols, String... titles) {
            this.rows = rows;
            this.cols = cols;
            this.titles = titles;
            layout.putObject("font").put("family", FONT_FAMILY).put("size", 13).put("color", "#262626");
            layout.put("paper_bgcolor", "#ffffff").put("plot_bgcolor", "#ffffff");
            layout.putObject("legend").put("orientation", "h").put("x", 0.5).put("xanchor", "center")
                    .put("yanchor", "top");
            layout.put("hovermode", "closest");
            annotations = layout.putArray("annotations");
            double gx = cols == 1 ? 0 : 0.18 / (cols - 1) * Math.min(cols - 1, 2) / 1.5;
            double gy = rows == 1 ? 0 : 0.2;
            double w = (1 - gx * (cols - 1)) / cols;
            double h = (1 - gy * (rows - 1)) / rows;
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int k = r * cols + c + 1;
                    double x0 = c * (w + gx);
                    double y1 = 1 - r * (h + gy);
                    ObjectNode xa = layout.putObject(axisKey("x", k));
                    ObjectNode ya = layout.putObject(axisKey("y", k));
                    style(xa).put("anchor", axisId("y", k)).putArray("domain").add(x0).add(x0 + w);
                    style(ya).put("anchor", axisId("x", k)).putArray("domain").add(y1 - h).add(y1);
                    String t = k <= titles.length ? titles[k - 1] : "";
                    if (!t.isEmpty()) {
                        ObjectNode a = annotations.addObject().put("text", t).put("xref", "paper")
                                .put("yref", "paper").put("x", x0 + w / 2).put("y", y1).put("xanchor", "center")
                                .put("yanchor", "bottom").put("yshift", 6).put("showarrow", false);
                        a.putObject("font").put("size", 15);
                    }
                }
            }
        }

        private static ObjectNode style(ObjectNode axis) {
            return axis.put("showline", true).put("linecolor", "#444444").put("mirror", true)
                    .put("ticks", "outside").put("gridcolor", "#e8e8e8").put("zeroline", false)
                    .put("automargin", true);
        }

        static String axisId(String letter, int k) {
            return k == 1 ? letter : letter + k;
        }

        static String axisKey(String letter, int k) {
            return letter + "axis" + (k == 1 ? "" : Integer.toString(k));
        }

        ObjectNode xaxis(int panel) {
            return (ObjectNode) layout.get(axisKey("x", panel));
        }

        ObjectNode yaxis(int panel) {
            return (ObjectNode) layout.get(axisKey("y", panel));
        }

        void add(ObjectNode trace, int panel) {
            if (panel < 1 || panel > rows * cols) {
                throw new IllegalArgumentException("panel " + panel + " outside the " + rows + "×" + cols + " grid");
            }
            trace.put("xaxis", axisId("x", panel)).put("yaxis", axisId("y", panel));
            data.add(trace);
        }

        /** Whole-epoch ticks on the x axes of {@code panels} (Plotly {@code tickmode: linear} with an integer {@code dtick}). */
        void epochAxes(double lastEpoch, int... panels) {
            int step = epochTickStep(lastEpoch);
            for (int p : panels) {
                xaxis(p).put("tickmode", "linear").put("tick0", step == 1 ? 1 : 0).put("dtick", step).put("tickformat", "d");
            }
        }

        void axisTitles(int panel, String x, String y) {
            xaxis(panel).putObject("title").put("text", x);
            yaxis(panel).putObject("title").put("text", y);
        }

        ObjectNode annotation(int panel, String x, String y, String text) {
            return annotations.addObject().put("text", text).put("xref", axisId("x", panel))
                    .put("yref", axisId("y", panel)).put("x", x).put("y", y).put("showarrow", false);
        }

        Figure figure(String title, int width, int height) {
            boolean anyTitle = titles.length > 0 && java.util.Arrays.stream(titles).anyMatch(s -> !s.isEmpty());
            boolean legend = false;
            for (var t : data) {
                legend |= t.path("showlegend").asBoolean(false);
            }
            layout.put("showlegend", legend);
            int top = anyTitle ? 60 : 40;
            int bottom = legend ? 105 : 60;
            layout.putObject("margin").put("l", 70).put("r", 30).put("t", top).put("b", bottom);
            // legend below the x-axis titles of the bottom row: 58 px under the plot area
            int plotHeight = Math.max(50, height - bottom - (title == null || title.isEmpty() ? top : Math.max(top, 70)));
            ((ObjectNode) layout.get("legend")).put("y", -58.0 / plotHeight);
            Figure f = Figure.fromSpec(title, width, height, data, layout);
            return title == null || title.isEmpty() ? f : f.withTitle(title);
        }
    }
}
