package rnnlab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One running {@code fit}: the epoch/batch loop of Keras's {@code Model.fit} and what its callbacks
 * see of it (Keras's {@code callback.model} and {@code callback.params}): the network, the run's
 * settings, {@link #stopTraining()} and a line printer that keeps the progress bar intact.
 *
 * <p>The loop itself only shuffles, steps, scores and validates; recording ({@link History.Recorder}),
 * printing ({@link Progress}), stopping on an interrupt ({@link InterruptCheck}), {@link EarlyStopping},
 * {@link ModelCheckpoint} and the user's callbacks are {@link Callback}s, called in that order (the
 * History last, as in Keras). What stays in the loop is what Keras does not leave to callbacks
 * either: a NaN or infinite batch loss throws {@link TrainingDivergedException} after putting back
 * the weights and optimizer state of the last completed epoch (or of the start of the fit).
 */
public final class Training {

    private final MultiLayerNetwork net;
    private final Task task;
    private final FitOptions options;
    private final INDArray xTrain;
    private final INDArray yTrain;
    private final INDArray xVal;
    private final INDArray yVal;
    private final INDArray x;
    private final List<String> metricNames;
    private long seed;
    private final int steps;
    private final ModelCheckpoint.Writer writer;
    private final Progress progress;
    private final History.Recorder recorder;
    private final List<Callback> callbacks = new ArrayList<>();

    private int epoch;
    private int initialEpoch;
    private boolean beginning;
    private long[] rngStates;
    private List<Map<String, Double>> resumedLogs = List.of();
    private boolean stopRequested;
    private int stoppedInEpoch;
    private boolean interrupted;
    // The thread's interrupt status is cleared while fit finishes (printing to a notebook from an
    // interrupted thread fails in the kernel's socket code) and set again before fit returns.
    private boolean threadInterrupted;
    // While the callbacks end a diverged fit, their lines go into the exception's message.
    private List<String> divergedNotes;

    Training(MultiLayerNetwork net, Task task, FitOptions options, INDArray x, INDArray xTrain, INDArray yTrain,
             INDArray xVal, INDArray yVal, List<String> metricNames, long seed, ModelCheckpoint.Writer writer,
             History.Recorder recorder) {
        this.net = net;
        this.task = task;
        this.options = options;
        this.x = x;
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xVal = xVal;
        this.yVal = yVal;
        this.metricNames = List.copyOf(metricNames);
        this.seed = seed;
        this.steps = (int) ((xTrain.size(0) + options.batchSize() - 1) / options.batchSize());
        this.writer = writer;
        this.progress = new Progress(options.out() != null ? options.out() : System.out, options.verbose(), steps,
                options.metrics());
        this.recorder = recorder != null ? recorder : new History.Recorder();
        this.initialEpoch = options.initialEpoch();
        callbacks.add(new InterruptCheck());
        callbacks.add(progress);
        if (options.checkpoint() != null) {
            callbacks.add(options.checkpoint());
        }
        if (options.earlyStopping() != null) {
            callbacks.add(options.earlyStopping());
        }
        callbacks.addAll(options.callbacks());
        callbacks.add(this.recorder);
    }

    // ------------------------------------------------------------------ what callbacks see

    /** The network being trained (Keras's {@code callback.model}). */
    public MultiLayerNetwork network() {
        return net;
    }

    /** The number of epochs asked for ({@code params['epochs']}). */
    public int epochs() {
        return options.epochs();
    }

    /** Batches per epoch ({@code params['steps']}). */
    public int steps() {
        return steps;
    }

    /** Samples per batch. */
    public int batchSize() {
        return options.batchSize();
    }

    /** 0 silent, 1 progress bar, 2 one line per epoch ({@code params['verbose']}). */
    public int verbose() {
        return options.verbose();
    }

    /** The seed of the shuffling and of ND4J's generator (given, or picked from the clock). */
    public long seed() {
        return seed;
    }

    /** The metric names every epoch's logs hold (besides {@code seconds}), in {@link History}'s order. */
    public List<String> metricNames() {
        return metricNames;
    }

    /** The epoch running or last run (1-based); {@link #initialEpoch()} before the first. */
    public int epoch() {
        return epoch;
    }

    /** The epochs done before this fit ({@code initial_epoch}, or where a {@link BackupAndRestore} resumed). */
    public int initialEpoch() {
        return initialEpoch;
    }

    /** The number of completed epochs the History holds now. */
    public int completedEpochs() {
        return resumedLogs.size() + Math.max(0, epoch - 1 - initialEpoch);
    }

    /** The logs of the epochs a {@link BackupAndRestore} resumed after (empty otherwise), for the History. */
    List<Map<String, Double>> resumedLogs() {
        return resumedLogs;
    }

    /**
     * Continues a run from a backup (only from {@code onTrainBegin}): {@code epochsDone} epochs are
     * done with {@code seed}, whose shuffles are replayed; ND4J's generator continues from
     * {@code rngRoot}/{@code rngNode}; {@code logs} are the done epochs' History rows.
     */
    void resume(int epochsDone, long seed, long rngRoot, long rngNode, List<Map<String, Double>> logs) {
        if (!beginning) {
            throw new IllegalStateException("a fit can only resume from a backup when it begins (onTrainBegin)");
        }
        if (options.seed() != null && options.seed() != seed) {
            throw new IllegalArgumentException("the backup was made by a run with seed " + seed + " but this fit has seed "
                    + options.seed() + "; resume with seed(" + seed + ") (the shuffles must be the same), or delete the backup");
        }
        this.initialEpoch = epochsDone;
        this.epoch = epochsDone;
        this.seed = seed;
        this.rngStates = new long[] {rngRoot, rngNode};
        this.resumedLogs = List.copyOf(logs);
    }

    /** Keras's {@code model.stop_training = True}: ends the fit at the next check (see {@link Callback}). */
    public void stopTraining() {
        if (!stopRequested) {
            stopRequested = true;
            stoppedInEpoch = epoch;
        }
    }

    /** True once a callback or an interrupt asked the fit to stop. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** True if a stop request (Jupyter's stop button, a thread interrupt) ended the fit. */
    public boolean interrupted() {
        return interrupted;
    }

    /** True if a callback's {@link #stopTraining()} ended the fit before its last epoch (early stopping). */
    public boolean stoppedEarly() {
        return stopRequested && !interrupted && stoppedInEpoch < options.epochs();
    }

    /** True while the callbacks end a fit whose loss became NaN or infinite. */
    public boolean diverged() {
        return divergedNotes != null;
    }

    /**
     * Prints a line in the training log, after ending a half-drawn progress bar; nothing with
     * verbose 0. While a diverged fit ends, the line goes into the exception's message instead.
     */
    public void print(String line) {
        if (divergedNotes != null) {
            divergedNotes.add(line);
        } else {
            progress.message(line);
        }
    }

    /**
     * Saves the network to {@code file}, complete (configuration, weights, updater state): in
     * {@code Model.save}'s format when trained through {@code Model.fit}, else DL4J's
     * {@code ModelSerializer} zip; written to a temporary file and renamed over the target.
     */
    public void save(Path file) throws IOException {
        if (writer != null) {
            writer.write(net, file);
        } else {
            rnnlab.data.AtomicFiles.write(file, tmp -> ModelSerializer.writeModel(net, tmp.toFile(), true));
        }
    }

    /**
     * Refuses a callback's {@code monitor} this run does not log, naming the ones it does (a
     * {@code val_} name without validation data says how to add it).
     */
    public void checkMonitor(String callback, String monitor) {
        if (!metricNames.contains(monitor)) {
            String hint = monitor.startsWith("val_") && !metricNames.contains("val_loss")
                    ? "; this run has no validation data: set validationSplit(...) or validationData(...)" : "";
            throw new IllegalArgumentException(callback + " monitors '" + monitor + "', which this run does not produce; "
                    + "available: " + String.join(", ", metricNames) + hint);
        }
    }

    /** Stops for a notebook interrupt: clears the thread's flag (set again at the end) and says why. */
    void interrupt(String message) {
        interrupted = true;
        stopTraining();
        threadInterrupted |= Thread.interrupted();
        progress.abort();
        print(message);
    }

    // ------------------------------------------------------------------ the loop

    /** Runs the epochs; returns the History (also after an interrupt or an early stop). */
    History run() {
        epoch = initialEpoch;
        beginning = true;
        for (Callback c : callbacks) {
            c.onTrainBegin(this);
        }
        beginning = false;
        Random shuffler = new Random(seed);
        Nd4j.getRandom().setSeed(seed);
        if (rngStates != null) {
            Nd4j.getRandom().setStates(rngStates[0], rngStates[1]);
        }
        Collection<TrainingListener> previousListeners = new ArrayList<>(net.getListeners() == null ? List.of() : net.getListeners());
        OutputCapture capture = new OutputCapture(net);
        List<TrainingListener> withCapture = new ArrayList<>(previousListeners);
        withCapture.add(capture);
        net.setListeners(withCapture);
        // What a diverged loss falls back to: the end of the last completed epoch, else the start of this fit.
        Snapshot good = new Snapshot(net);
        int[] order = new int[(int) xTrain.size(0)];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int e = 1; e <= initialEpoch && options.shuffle(); e++) {
            shuffle(order, shuffler); // the skipped epochs' shuffles: epoch initialEpoch + 1 gets an uninterrupted run's order
        }
        try {
            for (int e = initialEpoch + 1; e <= options.epochs() && !stopRequested; e++) {
                epoch = e;
                if (!begin(c -> c.onEpochBegin(epoch))) {
                    break;
                }
                long start = System.nanoTime();
                if (options.shuffle()) {
                    shuffle(order, shuffler);
                }
                MetricAccumulator train = trainEpoch(order, capture, good);
                if (train == null) {
                    break;
                }
                net.incrementEpochCount();
                Map<String, Double> logs = new LinkedHashMap<>(train.logs(""));
                if (xVal != null) {
                    MetricAccumulator val = Trainer.score(net, xVal, yVal, options.batchSize(), task,
                            b -> !begin(c -> c.onTestBatchBegin(b)));
                    if (val == null) {
                        break;
                    }
                    logs.putAll(val.logs("val_"));
                }
                logs.put("seconds", (System.nanoTime() - start) / 1e9);
                good.take(net, e);
                Map<String, Double> view = Collections.unmodifiableMap(logs);
                for (Callback c : callbacks) {
                    c.onEpochEnd(e, view);
                }
            }
        } finally {
            net.setListeners(previousListeners);
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(this);
        }
        History h = recorder.history();
        if (threadInterrupted) {
            Thread.currentThread().interrupt();
        }
        return h;
    }

    /** One pass over the shuffled batches; {@code null} if a callback stopped it. */
    private MetricAccumulator trainEpoch(int[] order, OutputCapture capture, Snapshot good) {
        MetricAccumulator train = new MetricAccumulator(task);
        int batchSize = options.batchSize();
        for (int step = 1; step <= steps; step++) {
            int batch = step;
            if (!begin(c -> c.onBatchBegin(batch))) {
                return null;
            }
            int from = (step - 1) * batchSize;
            int to = Math.min(order.length, from + batchSize);
            int[] idx = Arrays.copyOfRange(order, from, to);
            INDArray xb = Trainer.rows(xTrain, idx);
            INDArray yb = Trainer.rows(yTrain, idx);
            capture.arm(yb, train);
            try {
                net.fit(new DataSet(xb, yb));
            } catch (RuntimeException e) {
                if (epoch == 1 && step == 1) {
                    throw new IllegalArgumentException("x: the network rejected a batch of shape "
                            + Arrays.toString(xb.shape()) + " (x has shape " + Arrays.toString(x.shape())
                            + "): " + e.getMessage(), e);
                }
                throw e;
            } finally {
                capture.disarm();
            }
            double loss = net.score();
            if (!Double.isFinite(loss)) {
                throw diverged(step, loss, good);
            }
            train.addLoss(loss, to - from);
            if (!capture.fired()) {
                train.addOutputs(net.output(xb, false), yb);
            }
            Map<String, Double> logs = Collections.unmodifiableMap(train.logs(""));
            for (Callback c : callbacks) {
                c.onBatchEnd(batch, logs);
            }
            if (stopRequested) {
                return null;
            }
        }
        return train;
    }

    /** Calls a begin hook on each callback until one requests a stop; false if one did. */
    private boolean begin(java.util.function.Consumer<Callback> hook) {
        for (Callback c : callbacks) {
            hook.accept(c);
            if (stopRequested) {
                return false;
            }
        }
        return true;
    }

    /** Puts the last good state back, lets the callbacks end the fit, and says what happened. */
    private TrainingDivergedException diverged(int step, double loss, Snapshot good) {
        progress.abort();
        good.restore(net);
        divergedNotes = new ArrayList<>();
        for (Callback c : callbacks) {
            c.onTrainEnd(this);
        }
        History h = recorder.history();
        StringBuilder restored = new StringBuilder("; restored the weights and optimizer state of ").append(good.epoch > 0
                ? "the end of epoch " + good.epoch + " (the last completed epoch)"
                : "the start of this fit (no epoch completed)").append(", so the model predicts as it did then");
        for (String note : divergedNotes) {
            restored.append("; ").append(note.endsWith(".") ? note.substring(0, note.length() - 1) : note);
        }
        return new TrainingDivergedException("the training loss is " + loss + " at epoch " + epoch + "/"
                + options.epochs() + ", batch " + step + "/" + steps + ": training diverged, usually from "
                + "exploding gradients. Clip the gradients (Keras clipnorm=1.0; in DL4J "
                + ".gradientNormalization(GradientNormalization.ClipL2PerLayer)"
                + ".gradientNormalizationThreshold(1.0) on the configuration) or lower the learning rate. "
                + "The History of the " + h.epochs() + " completed epochs is attached (history(), or "
                + "model.history())" + restored + ".", h, epoch, step, loss);
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Weights, optimizer state and counters of a network, to return to when the loss diverges. */
    private static final class Snapshot {
        private final INDArray params;
        private final INDArray state;
        private int iterations;
        private int epochs;
        private int epoch;

        Snapshot(MultiLayerNetwork net) {
            params = net.params().dup();
            INDArray s = net.getUpdater(true) == null ? null : net.getUpdater().getStateViewArray();
            state = s == null ? null : s.dup();
            iterations = net.getIterationCount();
            epochs = net.getEpochCount();
        }

        void take(MultiLayerNetwork net, int completedEpoch) {
            params.assign(net.params());
            if (state != null) {
                state.assign(net.getUpdater().getStateViewArray());
            }
            iterations = net.getIterationCount();
            epochs = net.getEpochCount();
            epoch = completedEpoch;
        }

        void restore(MultiLayerNetwork net) {
            net.params().assign(params);
            if (state != null) {
                net.getUpdater().getStateViewArray().assign(state);
            }
            net.setIterationCount(iterations);
            net.setEpochCount(epochs);
        }
    }
}
