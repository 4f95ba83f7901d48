package rnnlab.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Keeps the parameters of the best epoch: mirrors {@code tf.keras.callbacks.ModelCheckpoint(filepath,
 * monitor, save_best_only=True, mode)} and the PyTorch pattern of report 001 ({@code if val_acc >
 * best_val_acc: torch.save(model.state_dict(), ...)}, then {@code load_state_dict} after training).
 *
 * <p>An epoch is the new best when its monitored value is strictly better than every earlier one
 * (Keras's rule; NaN never is). The best parameters are kept in memory; with a {@code file} the whole
 * network (configuration, parameters and updater state) is also written there each time, in
 * {@code Model.save}'s format when trained through {@code Model.fit} (see {@link Writer}). With {@code restoreBest} the best parameters are put back into
 * the network when {@code fit} ends (normally, by early stopping or by an interrupt).
 *
 * @param monitor     the History metric to watch, for example {@code val_accuracy}
 * @param mode        min, max or auto (from the name)
 * @param file        where to save the best network, or {@code null} to keep it in memory only
 * @param restoreBest put the best parameters back into the network at the end of {@code fit}
 */
public record ModelCheckpoint(String monitor, MonitorMode mode, Path file, boolean restoreBest) {

    /**
     * Writes the best network to the checkpoint file. {@code rnnlab.nn.Model.fit} passes one that
     * writes {@code Model.save}'s format (so {@code Model.load(file)} reads the checkpoint); a plain
     * {@link Trainer#fit} of a bare network writes DL4J's {@code ModelSerializer} zip. Both are
     * written to a temporary file and renamed over the target, so the previous best survives a
     * failed write.
     */
    @FunctionalInterface
    public interface Writer {
        /** Writes {@code net} to {@code file}. */
        void write(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net, Path file) throws java.io.IOException;
    }

    /** Checks the arguments. */
    public ModelCheckpoint {
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException("ModelCheckpoint monitor is empty; give a History metric such as val_accuracy");
        }
        Objects.requireNonNull(mode, "mode");
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

    /** A copy that also restores the best parameters at the end of {@code fit}. */
    public ModelCheckpoint restoringBest() {
        return new ModelCheckpoint(monitor, mode, file, true);
    }

    /** A copy with {@code mode}. */
    public ModelCheckpoint withMode(MonitorMode mode) {
        return new ModelCheckpoint(monitor, mode, file, restoreBest);
    }

    boolean isImprovement(double value, double best) {
        if (Double.isNaN(value)) {
            return false;
        }
        return mode.higherIsBetter(monitor) ? value > best : value < best;
    }
}
