package rnnlab.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import rnnlab.eval.Format;

/**
 * Keras's {@code Progbar} output for {@code fit}: {@code Epoch 3/10}, then with verbose 1 a bar
 * redrawn in place with {@code '\r'} (Jupyter applies carriage returns in stream output) at most once
 * per second, and at the end of the epoch one line
 * {@code 157/157 [==============================] - 12s 76ms/step - loss: 0.4512 - accuracy: 0.7991 - val_loss: ...};
 * with verbose 2 only {@code 157/157 - 12s - 76ms/step - loss: ...}; nothing with verbose 0.
 *
 * <p>Like Keras, it prints the loss and the metrics the run asked for ({@link FitOptions#metrics()},
 * Keras's {@code compile(metrics=[...])}), then their {@code val_} versions: by default
 * {@code loss - accuracy - val_loss - val_accuracy}; the binary precision, recall and F1 that the
 * {@link History} also records only on request.
 *
 * <p>As a {@link Callback} it is Keras's {@code ProgbarLogger}, which {@code fit} installs itself.
 */
final class Progress implements Callback {

    static final int WIDTH = 30;
    static final long MIN_REDRAW_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final int verbose;
    private final int steps;
    private final List<String> metrics;
    private boolean warnedMissing;
    private long epochStart;
    private long lastDraw;
    private int lastWidth;
    private int epochs;

    Progress(PrintStream out, int verbose, int steps) {
        this(out, verbose, steps, List.of("accuracy"));
    }

    /** Progress printing the loss and {@code metrics} (names as in {@link FitOptions#metrics()}). */
    Progress(PrintStream out, int verbose, int steps, List<String> metrics) {
        this.out = out;
        this.verbose = verbose;
        this.steps = steps;
        this.metrics = List.copyOf(metrics);
    }

    @Override
    public void onTrainBegin(Training training) {
        epochs = training.epochs();
    }

    @Override
    public void onEpochBegin(int epoch) {
        epochStart(epoch, epochs);
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        step(batch, logs);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochEnd(logs, logs.get("seconds"));
    }

    void epochStart(int epoch, int epochs) {
        epochStart = System.nanoTime();
        lastDraw = epochStart;
        lastWidth = 0;
        if (verbose > 0) {
            out.println("Epoch " + epoch + "/" + epochs);
            out.flush();
        }
    }

    /** After step {@code step} (1-based) with the running metrics; redraws at most once per second. */
    void step(int step, Map<String, Double> running) {
        if (verbose != 1 || step >= steps) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < MIN_REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        double eta = elapsed / step * (steps - step);
        String line = bar(step) + " - ETA: " + eta(eta) + metrics(shown(running));
        draw(line, false);
    }

    /** The end-of-epoch line with all metrics (training and validation). */
    void epochEnd(Map<String, Double> logs, double seconds) {
        if (verbose == 0) {
            return;
        }
        Map<String, Double> shown = shown(logs);
        String time = Math.round(seconds) + "s";
        String perStep = perStep(seconds / steps);
        if (verbose == 1) {
            draw(bar(steps) + " - " + time + " " + perStep + metrics(shown), true);
        } else {
            out.println(steps + "/" + steps + " - " + time + " - " + perStep + metrics(shown));
            out.flush();
        }
        if (!warnedMissing) {
            List<String> missing = metrics.stream().filter(m -> !logs.containsKey(m.equals("acc") ? "accuracy" : m)).toList();
            if (!missing.isEmpty()) {
                warnedMissing = true;
                message("(not printed: " + String.join(", ", missing) + " — precision, recall and f1 are computed for "
                        + "binary tasks, one sigmoid output, only)");
            }
        }
    }

    void message(String text) {
        if (verbose > 0) {
            if (lastWidth > 0) {
                out.println();
                lastWidth = 0;
            }
            out.println(text);
            out.flush();
        }
    }

    /** Ends a half-drawn bar line (on interrupt or error) so later output starts on a new line. */
    void abort() {
        if (verbose == 1 && lastWidth > 0) {
            out.println();
            out.flush();
            lastWidth = 0;
        }
    }

    private void draw(String line, boolean last) {
        StringBuilder b = new StringBuilder("\r").append(line);
        if (line.length() < lastWidth) {
            b.append(" ".repeat(lastWidth - line.length()));
        }
        lastWidth = last ? 0 : line.length();
        out.print(b);
        if (last) {
            out.println();
        }
        out.flush();
    }

    String bar(int current) {
        int digits = (int) Math.log10(steps) + 1;
        StringBuilder b = new StringBuilder(String.format("%" + digits + "d/%d [", current, steps));
        int filled = (int) (WIDTH * (double) current / steps);
        if (filled > 0) {
            b.append("=".repeat(filled - 1)).append(current < steps ? '>' : '=');
        }
        b.append(".".repeat(WIDTH - filled)).append(']');
        return b.toString();
    }

    /**
     * The logs the log line shows, in Keras's order: {@code loss}, the requested metrics, then
     * {@code val_loss} and the requested metrics' {@code val_} versions; {@code acc} renames accuracy.
     */
    Map<String, Double> shown(Map<String, Double> logs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String prefix : List.of("", "val_")) {
            List<String> names = new ArrayList<>();
            names.add("loss");
            names.addAll(metrics);
            for (String name : names) {
                Double v = logs.get(prefix + (name.equals("acc") ? "accuracy" : name));
                if (v != null) {
                    m.put(prefix + name, v);
                }
            }
        }
        return m;
    }

    static String metrics(Map<String, Double> logs) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            b.append(" - ").append(e.getKey()).append(": ").append(Format.kerasValue(e.getValue()));
        }
        return b.toString();
    }

    static String eta(double seconds) {
        long s = Math.round(seconds);
        if (s > 3600) {
            return String.format("%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        }
        if (s > 60) {
            return String.format("%d:%02d", s / 60, s % 60);
        }
        return s + "s";
    }

    static String perStep(double seconds) {
        if (seconds >= 1) {
            return Math.round(seconds) + "s/step";
        }
        if (seconds >= 1e-3) {
            return Math.round(seconds * 1e3) + "ms/step";
        }
        return Math.round(seconds * 1e6) + "us/step";
    }
}
