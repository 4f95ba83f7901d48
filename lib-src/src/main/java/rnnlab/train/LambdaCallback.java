package rnnlab.train;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Mirrors Keras's {@code tf.keras.callbacks.LambdaCallback(on_epoch_begin, on_epoch_end,
 * on_batch_begin, on_batch_end, on_train_begin, on_train_end)}: a {@link Callback} made of lambdas,
 * for one-off hooks in a notebook cell. Hooks not given do nothing.
 *
 * <pre>{@code
 * FitOptions.builder().epochs(5).callbacks(LambdaCallback.builder()
 *         .onEpochEnd((epoch, logs) -> System.out.println(epoch + ": " + logs.get("val_loss")))
 *         .build()).build();
 * }</pre>
 *
 * To stop training from a lambda, take the {@link Training} in {@code onTrainBegin} and call
 * {@link Training#stopTraining()} on it later (Keras's {@code model.stop_training = True}).
 */
public final class LambdaCallback implements Callback {

    /** {@code on_epoch_end(epoch, logs)} / {@code on_batch_end(batch, logs)} as a Java lambda. */
    @FunctionalInterface
    public interface WithLogs {
        /** Called with the 1-based epoch or batch and the read-only logs. */
        void accept(int index, Map<String, Double> logs);
    }

    private static final Consumer<Training> NO_TRAINING = t -> { };
    private static final IntConsumer NO_INDEX = i -> { };
    private static final WithLogs NO_LOGS = (i, logs) -> { };

    private final Consumer<Training> trainBegin;
    private final IntConsumer epochBegin;
    private final WithLogs epochEnd;
    private final IntConsumer batchBegin;
    private final WithLogs batchEnd;
    private final Consumer<Training> trainEnd;

    private LambdaCallback(Builder b) {
        trainBegin = b.trainBegin;
        epochBegin = b.epochBegin;
        epochEnd = b.epochEnd;
        batchBegin = b.batchBegin;
        batchEnd = b.batchEnd;
        trainEnd = b.trainEnd;
    }

    /** A builder with every hook doing nothing. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onTrainBegin(Training training) {
        trainBegin.accept(training);
    }

    @Override
    public void onEpochBegin(int epoch) {
        epochBegin.accept(epoch);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        epochEnd.accept(epoch, logs);
    }

    @Override
    public void onBatchBegin(int batch) {
        batchBegin.accept(batch);
    }

    @Override
    public void onBatchEnd(int batch, Map<String, Double> logs) {
        batchEnd.accept(batch, logs);
    }

    @Override
    public void onTrainEnd(Training training) {
        trainEnd.accept(training);
    }

    /** Sets the hooks; each setter refuses {@code null} and returns the builder. */
    public static final class Builder {
        private Consumer<Training> trainBegin = NO_TRAINING;
        private IntConsumer epochBegin = NO_INDEX;
        private WithLogs epochEnd = NO_LOGS;
        private IntConsumer batchBegin = NO_INDEX;
        private WithLogs batchEnd = NO_LOGS;
        private Consumer<Training> trainEnd = NO_TRAINING;

        private Builder() {
        }

        private static <T> T given(T hook, String name) {
            if (hook == null) {
                throw new IllegalArgumentException("LambdaCallback " + name + " is null; leave it out to do nothing there");
            }
            return hook;
        }

        /** Keras's {@code on_train_begin}; receives the running {@link Training}. */
        public Builder onTrainBegin(Consumer<Training> hook) {
            trainBegin = given(hook, "onTrainBegin");
            return this;
        }

        /** Keras's {@code on_epoch_begin(epoch)}. */
        public Builder onEpochBegin(IntConsumer hook) {
            epochBegin = given(hook, "onEpochBegin");
            return this;
        }

        /** Keras's {@code on_epoch_end(epoch, logs)}. */
        public Builder onEpochEnd(WithLogs hook) {
            epochEnd = given(hook, "onEpochEnd");
            return this;
        }

        /** Keras's {@code on_batch_begin(batch)}. */
        public Builder onBatchBegin(IntConsumer hook) {
            batchBegin = given(hook, "onBatchBegin");
            return this;
        }

        /** Keras's {@code on_batch_end(batch, logs)}. */
        public Builder onBatchEnd(WithLogs hook) {
            batchEnd = given(hook, "onBatchEnd");
            return this;
        }

        /** Keras's {@code on_train_end}; receives the {@link Training} that ended. */
        public Builder onTrainEnd(Consumer<Training> hook) {
            trainEnd = given(hook, "onTrainEnd");
            return this;
        }

        /** The callback. */
        public LambdaCallback build() {
            return new LambdaCallback(this);
        }
    }
}
