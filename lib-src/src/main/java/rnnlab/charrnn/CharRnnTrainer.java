package rnnlab.charrnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The training loop of the PyTorch tutorial "Classifying Names with a Character-Level RNN", as
 * report 004 runs it for its three networks: each iteration draws one (name, language) example, runs
 * {@code train(category_tensor, line_tensor)} (zero_grad, forward letter by letter, {@code NLLLoss} of
 * the last output, backward, {@code p -= lr * grad}), adds the loss to {@code current_loss}, every
 * {@code plotEvery} iterations appends {@code current_loss / plotEvery} to {@code all_losses}, and every
 * {@code printEvery} iterations prints the tutorial's line
 * <pre>
 * 5000 5% (0m 2s) 2.1763 Ahn / Chinese ✗ (Korean)
 * </pre>
 * (iteration, percent done, time since start, this iteration's loss, name / guess, ✓ or ✗ (correct)).
 * Report 004 also measures accuracy on a held-out set, every {@code validateEvery} iterations.
 *
 * <p>Defaults are the tutorial's: 100,000 iterations, learning rate 0.005, print every 5,000, plot
 * every 1,000; and its sampling, {@link Sampling#RANDOM_CATEGORY} ({@code randomTrainingExample}: a
 * uniformly random language, then a uniformly random name of it). Report 004 does not state its
 * learning rate; its curves run to 100,000 (RNN) and 300,000 iterations (RNN, LSTM, GRU).
 * Interrupting the thread stops the loop after the current iteration and returns the history so far.
 * Build with {@link #builder()}.
 */
public final class CharRnnTrainer {

    /** How each iteration picks its example. */
    public enum Sampling {
        /** The tutorial's {@code randomTrainingExample}: a random category, then a random name of it. */
        RANDOM_CATEGORY,
        /** A uniformly random example of the training set (categories weighted by their size). */
        RANDOM_EXAMPLE
    }

    private final int iterations;
    private final float learningRate;
    private final int printEvery;
    private final int plotEvery;
    private final int validateEvery;
    private final long seed;
    private final Sampling sampling;
    private final Consumer<String> log;

    private CharRnnTrainer(Builder b) {
        this.iterations = b.iterations;
        this.learningRate = b.learningRate;
        this.printEvery = b.printEvery;
        this.plotEvery = b.plotEvery;
        this.validateEvery = b.validateEvery;
        this.seed = b.seed;
        this.sampling = b.sampling;
        this.log = b.log;
    }

    /** A builder with the tutorial's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains {@code clf}'s network in place.
     *
     * @param clf        network, category names and letter encoding
     * @param names      training names
     * @param labels     their category indices
     * @param valNames   held-out names for validation accuracy, or {@code null} for none
     * @param valLabels  their category indices, or {@code null}
     * @return the losses and validation accuracies
     */
    public TrainingHistory train(NameClassifier clf, List<String> names, int[] labels,
                                 List<String> valNames, int[] valLabels) {
        if (names == null || labels == null || names.size() != labels.length || names.isEmpty()) {
            throw new IllegalArgumentException("train: names and labels must be non-empty and of equal length, got "
                    + (names == null ? "null" : names.size()) + " names and " + (labels == null ? "null" : labels.length) + " labels");
        }
        if ((valNames == null) != (valLabels == null)) {
            throw new IllegalArgumentException("train: give both valNames and valLabels, or neither");
        }
        CharRnnModel model = clf.model();
        int nCat = model.nCategories();
        int[][] x = clf.encodeAll(names);
        int[][] byCategory = groupByCategory(labels, nCat);
        int[] nonEmpty = java.util.stream.IntStream.range(0, nCat).filter(k -> byCategory[k].length > 0).toArray();
        int[][] vx = valNames == null ? null : clf.encodeAll(valNames);
        if (vx != null && vx.length != valLabels.length) {
            throw new IllegalArgumentException("train: valNames has " + vx.length + " names but valLabels has " + valLabels.length);
        }

        Random rnd = new Random(seed);
        List<Double> losses = new ArrayList<>();
        List<Integer> valIt = new ArrayList<>();
        List<Double> valAcc = new ArrayList<>();
        long start = System.nanoTime();
        long validationNanos = 0;
        double currentLoss = 0;
        int done = 0;
        for (int iter = 1; iter <= iterations; iter++) {
            int i;
            if (sampling == Sampling.RANDOM_CATEGORY) {
                int[] members = byCategory[nonEmpty[rnd.nextInt(nonEmpty.length)]];
                i = members[rnd.nextInt(members.length)];
            } else {
                i = rnd.nextInt(x.length);
            }
            float loss = model.trainStep(x[i], labels[i], learningRate);
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("iteration " + iter + ": loss became " + loss + " on name \""
                        + names.get(i) + "\"; the learning rate " + learningRate + " is too large for this network");
            }
            currentLoss += loss;
            done = iter;
            if (iter % printEvery == 0) {
                int guess = model.lastArgmax();
                String correct = guess == labels[i] ? "✓" : "✗ (" + clf.categories().get(labels[i]) + ")";
                log.accept(String.format(Locale.ROOT, "%d %d%% (%s) %.4f %s / %s %s", iter,
                        (long) ((double) iter / iterations * 100), timeSince(start), loss, names.get(i),
                        clf.categories().get(guess), correct));
            }
            if (iter % plotEvery == 0) {
                losses.add(currentLoss / plotEvery);
                currentLoss = 0;
            }
            if (vx != null && iter % validateEvery == 0) {
                long v0 = System.nanoTime();
                valIt.add(iter);
                valAcc.add(clf.accuracy(vx, valLabels));
                validationNanos += System.nanoTime() - v0;
            }
            if (rnnlab.lab.Interrupt.requested()) {
                log.accept("interrupted after iteration " + iter + "; returning the history so far");
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new TrainingHistory(model.cell(), done, plotEvery, losses, valIt, valAcc, seconds,
                seconds - validationNanos / 1e9);
    }

    private static int[][] groupByCategory(int[] labels, int nCat) {
        int[] counts = new int[nCat];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= nCat) {
                throw new IllegalArgumentException("train: labels[" + i + "] = " + labels[i] + " is outside [0, " + nCat + ")");
            }
            counts[labels[i]]++;
        }
        int[][] out = new int[nCat][];
        for (int k = 0; k < nCat; k++) {
            out[k] = new int[counts[k]];
            counts[k] = 0;
        }
        for (int i = 0; i < labels.length; i++) {
            out[labels[i]][counts[labels[i]]++] = i;
        }
        return out;
    }

    /** The tutorial's {@code timeSince}: {@code '%dm %ds'}. */
    static String timeSince(long startNanos) {
        double s = (System.nanoTime() - startNanos) / 1e9;
        long m = (long) Math.floor(s / 60);
        s -= m * 60;
        return m + "m " + (long) s + "s";
    }

    /** Builder for {@link CharRnnTrainer}; every setter checks its argument. */
    public static final class Builder {
        private int iterations = 100_000;
        private float learningRate = 0.005f;
        private int printEvery = 5_000;
        private int plotEvery = 1_000;
        private int validateEvery = 5_000;
        private long seed = 0;
        private Sampling sampling = Sampling.RANDOM_CATEGORY;
        private Consumer<String> log = System.out::println;

        private Builder() {
        }

        /** {@code n_iters} (default 100,000). */
        public Builder iterations(int n) {
            this.iterations = positive("iterations", n);
            return this;
        }

        /** SGD learning rate (default 0.005, the tutorial's). */
        public Builder learningRate(double lr) {
            if (!(lr > 0) || Double.isInfinite(lr)) {
                throw new IllegalArgumentException("learningRate must be finite and > 0 (the tutorial uses 0.005), got " + lr);
            }
            this.learningRate = (float) lr;
            return this;
        }

        /** {@code print_every} (default 5,000). */
        public Builder printEvery(int n) {
            this.printEvery = positive("printEvery", n);
            return this;
        }

        /** {@code plot_every} (default 1,000). */
        public Builder plotEvery(int n) {
            this.plotEvery = positive("plotEvery", n);
            return this;
        }

        /** Iterations between validation-accuracy measurements (default 5,000). */
        public Builder validateEvery(int n) {
            this.validateEvery = positive("validateEvery", n);
            return this;
        }

        /** Seed for the example sampling (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How examples are drawn (default {@link Sampling#RANDOM_CATEGORY}, the tutorial's). */
        public Builder sampling(Sampling sampling) {
            if (sampling == null) {
                throw new IllegalArgumentException("sampling must be one of " + List.of(Sampling.values()) + ", got null");
            }
            this.sampling = sampling;
            return this;
        }

        /** Where the progress lines go (default {@code System.out::println}; {@code s -> {}} for silence). */
        public Builder log(Consumer<String> log) {
            if (log == null) {
                throw new IllegalArgumentException("log must not be null; use s -> {} to silence the progress lines");
            }
            this.log = log;
            return this;
        }

        /** The trainer. */
        public CharRnnTrainer build() {
            return new CharRnnTrainer(this);
        }

        private static int positive(String what, int n) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + n);
            }
            return n;
        }
    }
}
