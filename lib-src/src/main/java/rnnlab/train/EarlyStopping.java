package rnnlab.train;

import java.util.Map;
import java.util.Objects;

import org.nd4j.linalg.api.ndarray.INDArray;

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
 * <p>The settings are immutable ({@code with...} returns a copy). As in Keras, the callback's state
 * (best value, epochs waited, {@link #stoppedEpoch()}) is reset when a fit begins; give each of two
 * fits running at the same time its own instance. Pass it with {@code FitOptions.Builder.earlyStopping}
 * or among {@code callbacks(...)}.
 */
public final class EarlyStopping implements Callback {

    private final String monitor;
    private final double minDelta;
    private final int patience;
    private final MonitorMode mode;
    private final Double baseline;
    private final boolean restoreBestWeights;
    private final int startFromEpoch;

    private Training training;
    private double best;
    private int wait;
    private INDArray bestWeights;
    private int stoppedEpoch;

    /**
     * Checks the arguments.
     *
     * @param monitor            the metric name in the History, for example {@code val_loss}
     * @param minDelta           the smallest change that counts as an improvement (absolute value is used)
     * @param patience           epochs without improvement before stopping
     * @param mode               min, max or auto (from the name)
     * @param baseline           a value the metric must reach, or {@code null}
     * @param restoreBestWeights put back the best epoch's parameters when stopping early
     * @param startFromEpoch     number of initial epochs during which the metric is not watched
     */
    public EarlyStopping(String monitor, double minDelta, int patience, MonitorMode mode, Double baseline,
                         boolean restoreBestWeights, int startFromEpoch) {
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
        this.monitor = monitor;
        this.minDelta = Math.abs(minDelta);
        this.patience = patience;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.baseline = baseline;
        this.restoreBestWeights = restoreBestWeights;
        this.startFromEpoch = startFromEpoch;
    }

    /** Keras's defaults: monitor {@code val_loss}, min_delta 0, patience 0, mode auto. */
    public static EarlyStopping defaults() {
        return on("val_loss");
    }

    /** Keras's defaults watching {@code monitor}. */
    public static EarlyStopping on(String monitor) {
        return new EarlyStopping(monitor, 0.0, 0, MonitorMode.AUTO, null, false, 0);
    }

    /** The watched metric. */
    public String monitor() {
        return monitor;
    }

    /** The smallest change that counts as an improvement (non-negative). */
    public double minDelta() {
        return minDelta;
    }

    /** Epochs without improvement before stopping. */
    public int patience() {
        return patience;
    }

    /** Whether lower or higher is better. */
    public MonitorMode mode() {
        return mode;
    }

    /** The value to beat, or {@code null}. */
    public Double baseline() {
        return baseline;
    }

    /** Whether the best epoch's parameters are put back on an early stop. */
    public boolean restoreBestWeights() {
        return restoreBestWeights;
    }

    /** Initial epochs not watched. */
    public int startFromEpoch() {
        return startFromEpoch;
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

    /** Keras's {@code stopped_epoch}: the (1-based) epoch the last fit stopped in, 0 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    @Override
    public void onTrainBegin(Training training) {
        training.checkMonitor("EarlyStopping", monitor);
        this.training = training;
        best = mode.higherIsBetter(monitor) ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        bestWeights = null;
        stoppedEpoch = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (epoch - 1 < startFromEpoch) {
            return;
        }
        double current = logs.get(monitor);
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = training.network().params().dup();
        }
        wait++;
        if (isImprovement(current, best)) {
            best = current;
            if (restoreBestWeights) {
                bestWeights = training.network().params().dup();
            }
            if (baseline == null || isImprovement(current, baseline)) {
                wait = 0;
            }
        } else if (wait >= patience && epoch > 1) {
            stoppedEpoch = epoch;
            training.stopTraining();
            training.print("Epoch " + epoch + ": early stopping (" + monitor + " did not improve for "
                    + wait + " epochs; best " + rnnlab.eval.Format.fixed(best, 4) + ").");
            if (restoreBestWeights && bestWeights != null) {
                training.network().setParams(bestWeights);
                training.print("Restoring model weights from the end of the best epoch.");
            }
        }
    }

    @Override
    public void onTrainEnd(Training training) {
        bestWeights = null; // options may outlive the fit: don't keep a copy of the network alive
    }

    /** Keras's {@code _is_improvement}: beats the reference by more than min_delta in the right direction. */
    boolean isImprovement(double value, double reference) {
        if (Double.isNaN(value)) {
            return false;
        }
        return mode.higherIsBetter(monitor) ? value - minDelta > reference : value + minDelta < reference;
    }

    @Override
    public String toString() {
        return "EarlyStopping[monitor=" + monitor + ", minDelta=" + minDelta + ", patience=" + patience + ", mode=" + mode
                + ", baseline=" + baseline + ", restoreBestWeights=" + restoreBestWeights + ", startFromEpoch="
                + startFromEpoch + "]";
    }
}
