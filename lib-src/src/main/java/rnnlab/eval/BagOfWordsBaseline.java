package rnnlab.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.util.tokens.Tokenizer;
import org.tribuo.util.tokens.impl.SplitPatternTokenizer;

import rnnlab.display.Displayable;
import rnnlab.display.Html;

/**
 * The bag-of-words logistic-regression baseline for text classification that report 002 refers to
 * (Deep Learning with Python: a model on multi-hot vectors of the 10,000 most frequent words reaches
 * about 88% on IMDB): each text becomes the set (or counts) of its words from a fixed vocabulary, and
 * Tribuo's {@link LinearSGDTrainer} with {@link LogMulticlass} (logistic regression) and AdaGrad
 * learns a linear classifier — the trainer behind Tribuo's {@code LogisticRegressionTrainer}, made
 * configurable (default learning rate 0.02 instead of 1.0, see {@link Options#defaults()}) and quiet.
 *
 * <p>Tokenising uses Tribuo's {@link SplitPatternTokenizer} after lower-casing and removing HTML line
 * breaks ({@code <br />}, frequent in IMDB reviews); tokens are runs of letters, digits and
 * apostrophes, close to Keras's {@code Tokenizer} filters. The vocabulary (the {@code maxFeatures}
 * words most frequent in the training texts, ties by word) is chosen here by hand, because Tribuo's
 * text pipelines keep every token. Words outside it are ignored at prediction time.
 */
public final class BagOfWordsBaseline implements Displayable {

    /**
     * Settings of the baseline.
     *
     * @param maxFeatures   vocabulary size: the most frequent training words kept (DLwP: 10,000)
     * @param binary        multi-hot presence (1 if the word occurs) rather than counts
     * @param epochs        passes of SGD over the training texts (Tribuo default 5)
     * @param learningRate  AdaGrad's initial learning rate (Tribuo's default is 1.0; ours 0.02)
     * @param minibatchSize examples per SGD step (Tribuo default 1)
     * @param seed          Tribuo's shuffling seed
     */
    public record Options(int maxFeatures, boolean binary, int epochs, double learningRate, int minibatchSize, long seed) {

        /** Checks every value. */
        public Options {
            if (maxFeatures < 1) {
                throw new IllegalArgumentException("maxFeatures must be >= 1, got " + maxFeatures);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
            }
            if (minibatchSize < 1) {
                throw new IllegalArgumentException("minibatchSize must be >= 1, got " + minibatchSize);
            }
        }

        /**
         * 10,000 words, multi-hot, 5 epochs, AdaGrad 0.02, batch 1, seed 42. The learning rate was
         * chosen on a validation split of the IMDB training reviews (0.8914 there, 0.8877 on the test
         * set); Tribuo's default of 1.0 overshoots on 10,000 binary features (0.8490 on the test set).
         */
        public static Options defaults() {
            return new Options(10_000, true, 5, 0.02, 1, 42L);
        }

        /** A copy with {@code maxFeatures}. */
        public Options withMaxFeatures(int maxFeatures) {
            return new Options(maxFeatures, binary, epochs, learningRate, minibatchSize, seed);
        }

        /** A copy using counts ({@code false}) or presence ({@code true}). */
        public Options withBinary(boolean binary) {
            return new Options(maxFeatures, binary, epochs, learningRate, minibatchSize, seed);
        }

        /** A copy with {@code epochs}. */
        public Options withEpochs(int epochs) {
            return new Options(maxFeatures, binary, epochs, learningRate, minibatchSize, seed);
        }

        /** A copy with {@code learningRate}. */
        public Options withLearningRate(double learningRate) {
            return new Options(maxFeatures, binary, epochs, learningRate, minibatchSize, seed);
        }

        /** A copy with {@code seed}. */
        public Options withSeed(long seed) {
            return new Options(maxFeatures, binary, epochs, learningRate, minibatchSize, seed);
        }
    }

    private static final String CONSTANT_FEATURE = "<const>";

    private static final String TOKEN_SPLIT = "[^\\p{L}\\p{N}']+";

    private final Model<Label> model;
    private final Map<String, Integer> vocabulary;
    private final Options options;
    private final int numClasses;
    private final double trainingSeconds;
    private final int trainingSize;

    private BagOfWordsBaseline(Model<Label> model, Map<String, Integer> vocabulary, Options options, int numClasses,
                               double trainingSeconds, int trainingSize) {
        this.model = model;
        this.vocabulary = vocabulary;
        this.options = options;
        this.numClasses = numClasses;
        this.trainingSeconds = trainingSeconds;
        this.trainingSize = trainingSize;
    }

    /** Trains with {@link Options#defaults()}. */
    public static BagOfWordsBaseline train(List<String> texts, int[] labels) {
        return train(texts, labels, Options.defaults());
    }

    /**
     * Builds the vocabulary from {@code texts} and trains the logistic regression.
     *
     * @param labels class ids (0/1 for sentiment), one per text
     * @throws IllegalArgumentException on null/empty input, a length mismatch, negative labels, or a
     *                                  single class
     */
    public static BagOfWordsBaseline train(List<String> texts, int[] labels, Options options) {
        checkTexts(texts, labels);
        if (options == null) {
            throw new IllegalArgumentException("options is null; use BagOfWordsBaseline.Options.defaults()");
        }
        int numClasses = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + " is negative; labels are class ids 0..C-1");
            }
            numClasses = Math.max(numClasses, labels[i] + 1);
        }
        if (java.util.Arrays.stream(labels).distinct().count() < 2) {
            throw new IllegalArgumentException("labels hold a single class; a classifier needs at least two");
        }
        long start = System.nanoTime();
        Tokenizer tokenizer = new SplitPatternTokenizer(TOKEN_SPLIT);
        List<List<String>> tokenized = new ArrayList<>(texts.size());
        Map<String, Integer> counts = new HashMap<>();
        for (String t : texts) {
            List<String> tokens = tokenize(tokenizer, t);
            tokenized.add(tokens);
            for (String w : tokens) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(counts.entrySet());
        ranked.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> vocabulary = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(options.maxFeatures(), ranked.size()); i++) {
            vocabulary.put(ranked.get(i).getKey(), i);
        }
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("bag-of-words texts", factory), factory);
        for (int i = 0; i < texts.size(); i++) {
            data.add(example(tokenized.get(i), new Label(Integer.toString(labels[i])), vocabulary, options.binary()));
        }
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(options.learningRate(), 0.1),
                options.epochs(), -1, options.minibatchSize(), options.seed());
        // Tribuo announces every training run at INFO through java.util.logging; keep the notebook quiet.
        java.util.logging.Logger sgdLog = java.util.logging.Logger.getLogger("org.tribuo.common.sgd.AbstractSGDTrainer");
        java.util.logging.Level previous = sgdLog.getLevel();
        sgdLog.setLevel(java.util.logging.Level.WARNING);
        Model<Label> model;
        try {
            model = trainer.train(data);
        } finally {
            sgdLog.setLevel(previous);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new BagOfWordsBaseline(model, vocabulary, options, numClasses, seconds, texts.size());
    }

    /** Predicted class ids. */
    public int[] predict(List<String> texts) {
        List<Prediction<Label>> ps = predictions(texts);
        int[] out = new int[ps.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Integer.parseInt(ps.get(i).getOutput().getLabel());
        }
        return out;
    }

    /** The predicted probability of class 1 for each text (binary tasks). */
    public double[] predictProbabilities(List<String> texts) {
        List<Prediction<Label>> ps = predictions(texts);
        double[] out = new double[ps.size()];
        for (int i = 0; i < out.length; i++) {
            Label one = ps.get(i).getOutputScores().get("1");
            out[i] = one == null ? 0.0 : one.getScore();
        }
        return out;
    }

    /** Accuracy, per-class precision/recall/F1 and averages on labelled texts (classes named "0", "1", ...). */
    public ClassificationReport evaluate(List<String> texts, int[] labels) {
        return evaluate(texts, labels, defaultNames());
    }

    /** {@link #evaluate(List, int[])} with class names, for example {@code List.of("neg", "pos")}. */
    public ClassificationReport evaluate(List<String> texts, int[] labels, List<String> classNames) {
        checkTexts(texts, labels);
        return ClassificationReport.of(labels, predict(texts), classNames);
    }

    /** Tribuo's own evaluation of the model on labelled texts (with AUC for binary tasks). */
    public LabelEvaluation tribuoEvaluation(List<String> texts, int[] labels) {
        checkTexts(texts, labels);
        List<Prediction<Label>> ps = new ArrayList<>(texts.size());
        Tokenizer tokenizer = new SplitPatternTokenizer(TOKEN_SPLIT);
        for (int i = 0; i < texts.size(); i++) {
            ps.add(model.predict(example(tokenize(tokenizer, texts.get(i)), new Label(Integer.toString(labels[i])),
                    vocabulary, options.binary())));
        }
        return new LabelEvaluator().evaluate(model, ps, new SimpleDataSourceProvenance("evaluation texts", new LabelFactory()));
    }

    /** The Tribuo model. */
    public Model<Label> model() {
        return model;
    }

    /** The vocabulary, most frequent word first. */
    public List<String> vocabulary() {
        return List.copyOf(vocabulary.keySet());
    }

    /** The settings used. */
    public Options options() {
        return options;
    }

    /** Wall-clock seconds of tokenising and training. */
    public double trainingSeconds() {
        return trainingSeconds;
    }

    @Override
    public String toString() {
        return "BagOfWordsBaseline: Tribuo logistic regression (LinearSGDTrainer, LogMulticlass, AdaGrad "
                + options.learningRate() + ", " + options.epochs() + " epochs) on " + (options.binary() ? "multi-hot" : "count")
                + " vectors of " + vocabulary.size() + " words; " + numClasses + " classes, trained on " + trainingSize
                + " texts in " + Format.fixed(trainingSeconds, 1) + " s";
    }

    @Override
    public Map<String, String> mimeBundle() {
        return Displayable.textAndHtml(toString(), "<p>" + Html.escape(toString()) + "</p>");
    }

    private List<Prediction<Label>> predictions(List<String> texts) {
        if (texts == null) {
            throw new IllegalArgumentException("texts is null");
        }
        Tokenizer tokenizer = new SplitPatternTokenizer(TOKEN_SPLIT);
        List<Example<Label>> examples = new ArrayList<>(texts.size());
        for (String t : texts) {
            examples.add(example(tokenize(tokenizer, t), LabelFactory.UNKNOWN_LABEL, vocabulary, options.binary()));
        }
        return model.predict(examples);
    }

    private List<String> defaultNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < numClasses; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    static List<String> tokenize(Tokenizer tokenizer, String text) {
        if (text == null) {
            throw new IllegalArgumentException("a text is null");
        }
        String clean = text.toLowerCase(Locale.ROOT).replaceAll("<br\\s*/?>", " ");
        return tokenizer.split(clean);
    }

    private static Example<Label> example(List<String> tokens, Label label, Map<String, Integer> vocabulary, boolean binary) {
        TreeMap<String, Double> features = new TreeMap<>();
        // A constant feature keeps texts without any vocabulary word valid for Tribuo (which rejects
        // examples with no known feature); it acts as a second intercept.
        features.put(CONSTANT_FEATURE, 1.0);
        for (String w : tokens) {
            if (vocabulary.containsKey(w)) {
                features.merge("w=" + w, 1.0, binary ? (a, b) -> 1.0 : Double::sum);
            }
        }
        String[] names = features.keySet().toArray(new String[0]);
        double[] values = new double[names.length];
        int i = 0;
        for (double v : features.values()) {
            values[i++] = v;
        }
        return new ArrayExample<>(label, names, values);
    }

    private static void checkTexts(List<String> texts, int[] labels) {
        if (texts == null || labels == null) {
            throw new IllegalArgumentException((texts == null ? "texts" : "labels") + " is null");
        }
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException("texts has " + texts.size() + " entries but labels has " + labels.length
                    + "; give one label per text");
        }
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("texts is empty");
        }
    }
}
