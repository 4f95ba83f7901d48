package rnnlab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps the parameters of the best epoch: mirrors {@code tf.keras.callbacks.ModelCheckpoint(filepath,
 * monitor, save_best_only=True, mode)} and the PyTorch pattern of report 001 ({@code if val_acc >
 * best_val_acc: torch.save(model.state_dict(), ...)}, then {@code load_state_dict} after training).
 *
 * <p>An epoch is the new best when its monitored value is strictly better than every earlier one
 * (Keras's rule; NaN never is). The best parameters are kept in memory; with a {@code file} the whole
 * network (configuration, parameters and updater state) is also written there each time
 * ({@link Training#save}: {@code Model.save}'s format when trained through {@code Model.fit}). With
 * {@code restoreBest} the best parameters are put back into the network when {@code fit} ends
 * (normally, by early stopping, by an interrupt or after a diverged loss).
 *
 * <p>{@link #everyEpoch(Path)} is Keras's {@code save_best_only=False}: the network, with its
 * optimizer state, is written at the end of every epoch, so a long run can be continued after a
 * crash ({@code Model.load(file)}, then {@code fit} with {@link FitOptions.Builder#initialEpoch}).
 *
 * <p>The settings are immutable; the best value and weights are reset when a fit begins, as Keras
 * does. Pass it with {@code FitOptions.Builder.checkpoint} or among {@code callbacks(...)}.
 */
public final class ModelCheckpoint implements Callback {

    /**
     * Writes the network to the checkpoint file. {@code rnnlab.nn.Model.fit} passes one that
     * writes {@code Model.save}'s format (so {@code Model.load(file)} reads the checkpoint); a plain
     * {@link Trainer#fit} of a bare network writes DL4J's {@code ModelSerializer} zip. Both are
     * written to a temporary file and renamed over the target, so the previous best survives a
     * failed write.
     */
    @FunctionalInterface
    public interface Writer {
        /** Writes {@code net} to {@code file}. */
        void write(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net, Path file) throws IOException;
    }

    private final String monitor;
    private final MonitorMode mode;
    private final Path file;
    private final boolean restoreBest;
    private final boolean saveBestOnly;

    private Training training;
    private double best;
    private int bestEpoch;
    private INDArray bestWeights;

    /**
     * Checks the arguments.
     *
     * @param monitor     the History metric to watch, for example {@code val_accuracy}
     * @param mode        min, max or auto (from the name)
     * @param file        where to save the best network, or {@code null} to keep it in memory only
     * @param restoreBest put the best parameters back into the network at the end of {@code fit}
     */
    public ModelCheckpoint(String monitor, MonitorMode mode, Path file, boolean restoreBest) {
        this(monitor, mode, file, restoreBest, true);
    }

    /**
     * {@link #ModelCheckpoint(String, MonitorMode, Path, boolean)} choosing Keras's {@code save_best_only}:
     * {@code false} writes {@code file} after every epoch (the best parameters are still tracked for
     * {@code restoreBest}).
     */
    public ModelCheckpoint(String monitor, MonitorMode mode, Path file, boolean restoreBest, boolean saveBestOnly) {
        if (!saveBestOnly && file == null) {
            throw new IllegalArgumentException("ModelCheckpoint with saveBestOnly=false saves every epoch and needs a file");
        }
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException("ModelCheckpoint monitor is empty; give a History metric such as val_accuracy");
        }
        this.monitor = monitor;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.file = file;
        this.restoreBest = restoreBest;
        this.saveBestOnly = saveBestOnly;
    }

    /** Keep the best epoch by {@code monitor} in memory and restore it at the end (report 001). */
    public static ModelCheckpoint best(String monitor) {
        return new ModelCheckpoint(monitor, MonitorMode.AUTO, null, true);
    }

    /** Save the best network by {@code monitor} to {@code file} ({@code save_best_only=True}); no restore. */
    public static ModelCheckpoint toFile(Path file, String monitor) {
        Objects.requireNonNull(file, "file");
        return new ModelCheckpoint(monitor, MonitorMode.AUTO, file, false);
    }

    /**
     * Keras's {@code ModelCheckpoint(file, save_best_only=False)}: writes the whole network (weights and
     * optimizer state) to {@code file} after every epoch, replacing the previous one atomically.
     */
    public static ModelCheckpoint everyEpoch(Path file) {
        Objects.requireNonNull(file, "file");
        return new ModelCheckpoint("loss", MonitorMode.AUTO, file, false, false);
    }

    /** A copy that also restores the best parameters at the end of {@code fit}. */
    public ModelCheckpoint restoringBest() {
        return new ModelCheckpoint(monitor, mode, file, true, saveBestOnly);
    }

    /** A copy with {@code mode}. */
    public ModelCheckpoint withMode(MonitorMode mode) {
        return new ModelCheckpoint(monitor, mode, file, restoreBest, saveBestOnly);
    }

    /** The watched metric. */
    public String monitor() {
        return monitor;
    }

    /** Whether lower or higher is better. */
    public MonitorMode mode() {
        return mode;
    }

    /** The file the best network is written to, or {@code null}. */
    public Path file() {
        return file;
    }

    /** Whether the best parameters are put back when {@code fit} ends. */
    public boolean restoreBest() {
        return restoreBest;
    }

    /** Keras's {@code save_best_only}: true writes the file only when the epoch is the best so far. */
    public boolean saveBestOnly() {
        return saveBestOnly;
    }

    /** The (1-based) best epoch of the last fit, 0 before one completed. */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void onTrainBegin(Training training) {
        training.checkMonitor("ModelCheckpoint", monitor);
        this.training = training;
        best = mode.higherIsBetter(monitor) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        double current = logs.get(monitor);
        boolean improved = isImprovement(current, best);
        if (improved) {
            best = current;
            bestEpoch = epoch;
            bestWeights = training.network().params().dup();
        }
        if (file != null && (improved || !saveBestOnly)) {
            try {
                training.save(file);
            } catch (IOException e) {
                throw new IllegalStateException("ModelCheckpoint cannot write " + file + ": " + e.getMessage()
                        + " (the previous checkpoint file, if any, is unchanged)", e);
            }
        }
    }

    @Override
    public void onTrainEnd(Training training) {
        if (restoreBest && bestWeights != null) {
            training.network().setParams(bestWeights);
            training.print("restored the parameters of epoch " + bestEpoch + " (best " + monitor + ").");
        }
        bestWeights = null; // options may outlive the fit: don't keep a copy of the network alive
    }

    boolean isImprovement(double value, double best) {
        if (Double.isNaN(value)) {
            return false;
        }
        return mode.higherIsBetter(monitor) ? value > best : value < best;
    }

    @Override
    public String toString() {
        return "ModelCheckpoint[monitor=" + monitor + ", mode=" + mode + ", file=" + file + ", restoreBest=" + restoreBest
                + ", saveBestOnly=" + saveBestOnly + "]";
    }
}
