package rnnlab.train;

import java.util.Map;

/**
 * Mirrors Keras's {@code tf.keras.callbacks.Callback}: hooks that {@code fit} calls around training,
 * epochs and batches. Every method does nothing by default; implement the ones you need and pass the
 * callback with {@code FitOptions.builder().callbacks(...)} (or use {@link LambdaCallback}).
 *
 * <p>{@link #onTrainBegin(Training)} hands over the running fit ({@link Training}: Keras's
 * {@code self.model} and {@code self.params}); keep it to call {@link Training#stopTraining()},
 * Keras's {@code self.model.stop_training = True}. A stop requested in a {@code Begin} hook ends
 * the fit before that epoch or batch (later callbacks do not see its begin); one requested in
 * {@link #onBatchEnd} ends it at that batch boundary; either way an unfinished epoch is not recorded.
 * One requested in {@link #onEpochEnd} ends it after every callback has seen that epoch.
 *
 * <p>Epochs and batches are 1-based (Keras's are 0-based), as the progress bar prints them. The
 * {@code logs} maps are read-only: {@code onBatchEnd} gets the running means of the epoch so far
 * ({@code loss}, {@code accuracy}, ...), {@code onEpochEnd} the epoch's metrics with their
 * {@code val_} versions and {@code seconds}, as {@link History#epoch(int)} returns them.
 */
public interface Callback {

    /** Keras's {@code on_train_begin}: the fit has checked its inputs and is about to run epoch 1. */
    default void onTrainBegin(Training training) {
    }

    /** Keras's {@code on_epoch_begin}, before the epoch's shuffle. */
    default void onEpochBegin(int epoch) {
    }

    /** Keras's {@code on_train_batch_begin}, before the gradient step on batch {@code batch}. */
    default void onBatchBegin(int batch) {
    }

    /** Keras's {@code on_train_batch_end}, with the running metrics of the epoch so far. */
    default void onBatchEnd(int batch, Map<String, Double> logs) {
    }

    /** Keras's {@code on_test_batch_begin}, before each validation batch at the end of an epoch. */
    default void onTestBatchBegin(int batch) {
    }

    /** Keras's {@code on_epoch_end}, with the epoch's training and validation metrics and {@code seconds}. */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /**
     * Keras's {@code on_train_end}: after the last epoch, an early stop or an interrupt, and also
     * after a diverged loss (then {@link Training#diverged()} is true and the weights have been put
     * back). Not called when something else throws.
     */
    default void onTrainEnd(Training training) {
    }
}
