package rnnlab.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The arguments of Keras's {@code model.fit(x, y, batch_size, epochs, verbose, callbacks,
 * validation_split, validation_data, shuffle)} with Keras's defaults (1 epoch, batch 32, verbose 1,
 * shuffle on, no validation), plus a {@code seed} for repeatable runs. Build with {@link #builder()}:
 *
 * <pre>{@code
 * FitOptions o = FitOptions.builder().epochs(10).batchSize(128).validationSplit(0.2).seed(42).build();
 * }</pre>
 *
 * @param epochs          passes over the training data ({@code epochs}), >= 1
 * @param batchSize       samples per gradient step ({@code batch_size}), >= 1; the last batch may be smaller
 * @param validationSplit fraction in [0, 1) held out for validation, taken from the END of x and y before
 *                        shuffling ({@code validation_split})
 * @param validationX     separate validation inputs ({@code validation_data}), or {@code null}
 * @param validationY     their labels (same conventions as {@code y} in {@link Trainer#fit}), or {@code null}
 * @param shuffle         shuffle the training samples before every epoch ({@code shuffle})
 * @param verbose         0 silent, 1 progress bar, 2 one line per epoch ({@code verbose})
 * @param seed            seeds the shuffling and ND4J's random generator (dropout); {@code null} picks
 *                        one from the clock, which the History records
 * @param earlyStopping   an {@link EarlyStopping} callback, or {@code null}
 * @param checkpoint      a {@link ModelCheckpoint} callback, or {@code null}
 * @param out             where progress goes; {@code null} means {@code System.out} at the time of the call
 * @param metrics         the metrics the training log prints besides the loss, as Keras's
 *                        {@code compile(metrics=[...])} decides what {@code fit} prints: default
 *                        {@code ["accuracy"]}; {@code "acc"} prints accuracy under Keras's short names
 *                        {@code acc} / {@code val_acc}; {@code "precision"}, {@code "recall"}, {@code "f1"}
 *                        (binary tasks) only when asked for; empty prints the loss alone. The
 *                        {@link History} records every metric whatever the log prints.
 * @param callbacks       the user's {@link Callback}s ({@code callbacks=[...]}), called after the
 *                        progress bar, {@code checkpoint} and {@code earlyStopping}, in this order
 * @param initialEpoch    Keras's {@code initial_epoch}: the epochs already done (0 by default); the fit
 *                        runs epochs {@code initialEpoch + 1 .. epochs}, shuffled as an uninterrupted
 *                        run with the same seed would shuffle them (see {@link Builder#initialEpoch})
 */
public record FitOptions(int epochs, int batchSize, double validationSplit, INDArray validationX, INDArray validationY,
                         boolean shuffle, int verbose, Long seed, EarlyStopping earlyStopping,
                         ModelCheckpoint checkpoint, PrintStream out, List<String> metrics, List<Callback> callbacks,
                         int initialEpoch) {

    /** The names {@link Builder#metrics(String...)} accepts. */
    public static final Set<String> LOG_METRICS = Set.of("acc", "accuracy", "precision", "recall", "f1");

    /** Checks every argument and names the bad one. */
    public FitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1), got " + validationSplit
                    + " (Keras's validation_split: the fraction of the data held out for validation)");
        }
        if ((validationX == null) != (validationY == null)) {
            throw new IllegalArgumentException("validationData needs both x and y; got "
                    + (validationX == null ? "validationX = null" : "validationY = null"));
        }
        if (validationX != null && validationSplit > 0) {
            throw new IllegalArgumentException("give either validationSplit (" + validationSplit
                    + ") or validationData, not both (Keras silently ignores validation_split then)");
        }
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got " + verbose);
        }
        if (metrics == null) {
            throw new IllegalArgumentException("metrics is null; give the metrics the log prints, e.g. metrics(\"accuracy\"), "
                    + "or metrics() for the loss alone");
        }
        for (String m : metrics) {
            if (m == null || !LOG_METRICS.contains(m)) {
                throw new IllegalArgumentException("metrics: '" + m + "' is not a metric the training log can print; "
                        + "allowed: acc, accuracy, precision, recall, f1 (Keras's compile(metrics=[...]) names)");
            }
        }
        if (metrics.contains("acc") && metrics.contains("accuracy")) {
            throw new IllegalArgumentException("metrics: give 'acc' or 'accuracy', not both (they are the same metric "
                    + "under Keras's short and long name)");
        }
        if (metrics.stream().distinct().count() != metrics.size()) {
            throw new IllegalArgumentException("metrics: " + metrics + " names a metric twice");
        }
        metrics = List.copyOf(metrics);
        if (callbacks == null || callbacks.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("callbacks: " + (callbacks == null ? "the list is null" : "one is null")
                    + "; give Callback objects (e.g. LambdaCallback.builder()...build()), or none");
        }
        callbacks = List.copyOf(callbacks);
        if (initialEpoch < 0 || initialEpoch >= epochs) {
            throw new IllegalArgumentException("initialEpoch is " + initialEpoch + " with epochs " + epochs + "; allowed: 0 to "
                    + (epochs - 1) + " (Keras's initial_epoch counts the epochs already done; epochs is the index of the "
                    + "last epoch, so resuming after epoch 4 of 10 is initialEpoch(4).epochs(10))");
        }
    }

    /** Keras's defaults: 1 epoch, batch 32, no validation, shuffle, verbose 1, random seed. */
    public static FitOptions defaults() {
        return builder().build();
    }

    /** A builder starting from Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.validationSplit = validationSplit;
        b.validationX = validationX;
        b.validationY = validationY;
        b.shuffle = shuffle;
        b.verbose = verbose;
        b.seed = seed;
        b.earlyStopping = earlyStopping;
        b.checkpoint = checkpoint;
        b.out = out;
        b.metrics = metrics;
        b.callbacks = callbacks;
        b.initialEpoch = initialEpoch;
        return b;
    }

    /** True if validation data is given or split off. */
    public boolean hasValidation() {
        return validationX != null || validationSplit > 0;
    }

    /** Builds {@link FitOptions}; every setter returns the builder. */
    public static final class Builder {
        private int epochs = 1;
        private int batchSize = 32;
        private double validationSplit;
        private INDArray validationX;
        private INDArray validationY;
        private boolean shuffle = true;
        private int verbose = 1;
        private Long seed;
        private EarlyStopping earlyStopping;
        private ModelCheckpoint checkpoint;
        private PrintStream out;
        private List<String> metrics = List.of("accuracy");
        private List<Callback> callbacks = List.of();
        private int initialEpoch;

        private Builder() {
        }

        /** Passes over the training data (Keras default 1). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Samples per step (Keras default 32). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Hold out the LAST {@code fraction} of the samples for validation, before any shuffling. */
        public Builder validationSplit(double fraction) {
            this.validationSplit = fraction;
            return this;
        }

        /** Validate on separate data; labels as for {@code y} in {@link Trainer#fit}. */
        public Builder validationData(INDArray x, INDArray y) {
            this.validationX = x;
            this.validationY = y;
            return this;
        }

        /** Validate on separate data with int labels (0/1 for a sigmoid output, class ids for softmax). */
        public Builder validationData(INDArray x, int[] y) {
            this.validationX = x;
            this.validationY = y == null ? null : Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(y.length, 1);
            return this;
        }

        /** Validate on separate data with long labels (class ids, or 0/1). */
        public Builder validationData(INDArray x, long[] y) {
            this.validationX = x;
            this.validationY = y == null ? null : Nd4j.createFromArray(y).castTo(DataType.DOUBLE).reshape(y.length, 1);
            return this;
        }

        /** Shuffle before every epoch (Keras default true). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** 0 silent, 1 progress bar (default), 2 one line per epoch. */
        public Builder verbose(int verbose) {
            this.verbose = verbose;
            return this;
        }

        /** Seed for shuffling and dropout: the same seed and initial weights give the same History. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Stop early as configured (see {@link EarlyStopping}). */
        public Builder earlyStopping(EarlyStopping earlyStopping) {
            this.earlyStopping = earlyStopping;
            return this;
        }

        /** Keep (and optionally save or restore) the best epoch (see {@link ModelCheckpoint}). */
        public Builder checkpoint(ModelCheckpoint checkpoint) {
            this.checkpoint = checkpoint;
            return this;
        }

        /**
         * Report 001's best-validation checkpoint: keep the parameters of the epoch with the highest
         * {@code val_accuracy} and put them back at the end. Same as
         * {@code checkpoint(ModelCheckpoint.best("val_accuracy"))}; {@code false} removes the checkpoint.
         */
        public Builder restoreBest(boolean restore) {
            this.checkpoint = restore ? ModelCheckpoint.best("val_accuracy") : null;
            return this;
        }

        /** Where progress is printed (default {@code System.out} at the time of the call). */
        public Builder out(PrintStream out) {
            this.out = out;
            return this;
        }

        /**
         * The metrics the training log prints besides the loss, like Keras's
         * {@code compile(metrics=['acc'])}: {@code metrics("acc")} prints {@code loss - acc - val_loss -
         * val_acc}; {@code metrics("accuracy", "precision", "recall", "f1")} adds the binary metrics;
         * the default is {@code metrics("accuracy")}.
         */
        public Builder metrics(String... names) {
            this.metrics = names == null ? null : new ArrayList<>(java.util.Arrays.asList(names));
            return this;
        }

        /**
         * Keras's {@code fit(..., callbacks=[...])}: hooks called around every epoch and batch, after
         * the built-in ones (see {@link Callback}); replaces any given before.
         */
        public Builder callbacks(Callback... callbacks) {
            this.callbacks = callbacks == null ? null : java.util.Arrays.asList(callbacks);
            return this;
        }

        /**
         * Keras's {@code initial_epoch}: continue a run whose first {@code epochs} epochs are done, e.g.
         * after {@code Model.load} of a {@link ModelCheckpoint#everyEpoch} file (weights and optimizer
         * state). With the same seed the shuffles of the skipped epochs are replayed, so epoch
         * {@code initialEpoch + 1} sees the batches an uninterrupted run would; dropout masks are drawn
         * afresh unless a {@link BackupAndRestore} put back the random generator too. The History holds
         * the epochs this fit runs.
         */
        public Builder initialEpoch(int epochs) {
            this.initialEpoch = epochs;
            return this;
        }

        /** The options; throws {@link IllegalArgumentException} naming any bad value. */
        public FitOptions build() {
            return new FitOptions(epochs, batchSize, validationSplit, validationX, validationY, shuffle, verbose, seed,
                    earlyStopping, checkpoint, out, metrics, callbacks, initialEpoch);
        }
    }
}
