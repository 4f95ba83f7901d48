package rnnlab.train;

import java.util.Objects;

/**
 * Mirrors {@code tf.keras.callbacks.EarlyStopping(monitor, min_delta, patience, mode, baseline,
 * restore_best_weights, start_from_epoch)} with Keras's defaults and rules: at the end of every epoch
 * the monitored value counts as an improvement when it beats the best so far by more than
 * {@code minDelta}; after {@code patience} epochs without one training stops; with
 * {@code restoreBestWeights} the parameters of the best epoch are put back when it stops early (as in
 * Keras 2, not when all epochs ran; use {@link FitOptions.Builder#restoreBest(boolean)} for that).
 * Epochs before {@code startFromEpoch} are not monitored. A {@code baseline}, if set, must be beaten
 * for the patience counter to reset.
 *
 * <pre>{@code EarlyStopping.on("val_loss").withPatience(3).restoringBestWeights()}</pre>
 *
 * @param monitor            the metric name in the History, for example {@code val_loss}
 * @param minDelta           the smallest change that counts as an improvement (absolute value is used)
 * @param patience           epochs without improvement before stopping
 * @param mode               min, max or auto (from the name)
 * @param baseline           a value the metric must reach, or {@code null}
 * @param restoreBestWeights put back the best epoch's parameters when stopping early
 * @param startFromEpoch     number of initial epochs during which the metric is not watched
 */
public record EarlyStopping(String monitor, double minDelta, int patience, MonitorMode mode, Double baseline,
                            boolean restoreBestWeights, int startFromEpoch) {

    /** Checks the arguments. */
    public EarlyStopping {
        if (monitor == null || monitor.isBlank()) {
            throw new IllegalArgumentException("EarlyStopping monitor is empty; give a History metric such as val_loss");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping patience must be >= 0, got " + patience);
        }
        if (startFromEpoch < 0) {
            throw new IllegalArgumentException("EarlyStopping startFromEpoch must be >= 0, got " + startFromEpoch);
        }
        if (Double.isNaN(minDelta)) {
            throw new IllegalArgumentException("EarlyStopping minDelta is NaN");
        }
        minDelta = Math.abs(minDelta);
        Objects.requireNonNull(mode, "mode");
    }

    /** Keras's defaults: monitor {@code val_loss}, min_delta 0, patience 0, mode auto. */
    public static EarlyStopping defaults() {
        return on("val_loss");
    }

    /** Keras's defaults watching {@code monitor}. */
    public static EarlyStopping on(String monitor) {
        return new EarlyStopping(monitor, 0.0, 0, MonitorMode.AUTO, null, false, 0);
    }

    /** A copy with {@code patience}. */
    public EarlyStopping withPatience(int patience) {
        return new EarlyStopping(monitor, minDelta, patience, mode, baseline, restoreBestWeights, startFromEpoch);
    }

    /** A copy with {@code minDelta}. */
    public EarlyStopping withMinDelta(double minDelta) {
        return new EarlyStopping(monitor, minDelta, patience, mode, baseline, restoreBestWeights, startFromEpoch);
    }

    /** A copy with {@code mode}. */
    public EarlyStopping withMode(MonitorMode mode) {
        return new EarlyStopping(monitor, minDelta, patience, mode, baseline, restoreBestWeights, startFromEpoch);
    }

    /** A copy with a {@code baseline}. */
    public EarlyStopping withBaseline(double baseline) {
        return new EarlyStopping(monitor, minDelta, patience, mode, baseline, restoreBestWeights, startFromEpoch);
    }

    /** A copy that watches only from epoch {@code startFromEpoch} (0-based count of skipped epochs). */
    public EarlyStopping withStartFromEpoch(int startFromEpoch) {
        return new EarlyStopping(monitor, minDelta, patience, mode, baseline, restoreBestWeights, startFromEpoch);
    }

    /** A copy with {@code restore_best_weights=True}. */
    public EarlyStopping restoringBestWeights() {
        return new EarlyStopping(monitor, minDelta, patience, mode, baseline, true, startFromEpoch);
    }

    /** Keras's {@code _is_improvement}: beats the reference by more than min_delta in the right direction. */
    boolean isImprovement(double value, double reference) {
        if (Double.isNaN(value)) {
            return false;
        }
        return mode.higherIsBetter(monitor) ? value - minDelta > reference : value + minDelta < reference;
    }
}
