package rnnlab.charrnn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A report-004 network together with its category names and letter encoding: the tutorial's
 * {@code lineToTensor}, {@code evaluate}, {@code predict(input_line, n_predictions)} and the confusion
 * matrix of its last section, over plain {@code String} names.
 *
 * <p>The letter encoding is a {@code ToIntFunction<Character>} returning the one-hot index of a
 * character (the tutorial's {@code letterToIndex}, i.e. {@code all_letters.find(letter)} over the
 * 57 letters {@code string.ascii_letters + " .,;'"}); a negative or too-large index is rejected with a
 * message naming the name and the character. Loading and ASCII-folding the names corpus is not done
 * here (see the data package); names passed in must already be in the model's alphabet.
 */
public final class NameClassifier {

    private final CharRnnModel model;
    private final List<String> categories;
    private final ToIntFunction<Character> letterIndex;

    /**
     * @param model       the network; its {@code nCategories} must equal {@code categories.size()}
     * @param categories  category names in output-unit order (the tutorial's {@code all_categories})
     * @param letterIndex character → one-hot index in {@code [0, model.nLetters())}
     */
    public NameClassifier(CharRnnModel model, List<String> categories, ToIntFunction<Character> letterIndex) {
        if (model == null || categories == null || letterIndex == null) {
            throw new IllegalArgumentException("NameClassifier: model, categories and letterIndex must not be null");
        }
        if (categories.size() != model.nCategories()) {
            throw new IllegalArgumentException("NameClassifier: categories has " + categories.size()
                    + " names but the model has " + model.nCategories() + " outputs; pass one name per output unit");
        }
        this.model = model;
        this.categories = List.copyOf(categories);
        this.letterIndex = letterIndex;
    }

    /** The network. */
    public CharRnnModel model() {
        return model;
    }

    /** Category names in output order. */
    public List<String> categories() {
        return categories;
    }

    /** The tutorial's {@code lineToTensor} as indices: one letter index per character of {@code name}. */
    public int[] encode(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("name must be a non-empty string, got " + (name == null ? "null" : "\"\""));
        }
        int[] out = new int[name.length()];
        for (int i = 0; i < out.length; i++) {
            char ch = name.charAt(i);
            int k = letterIndex.applyAsInt(ch);
            if (k < 0 || k >= model.nLetters()) {
                throw new IllegalArgumentException("name \"" + name + "\": character '" + ch + "' (U+"
                        + String.format("%04X", (int) ch) + ") at position " + i + " maps to letter index " + k
                        + ", outside [0, " + model.nLetters() + "); fold names to the model's alphabet first "
                        + "(the tutorial's unicodeToAscii)");
            }
            out[i] = k;
        }
        return out;
    }

    /** Encodes a list of names. */
    public int[][] encodeAll(List<String> names) {
        int[][] out = new int[names.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(names.get(i));
        }
        return out;
    }

    /** The tutorial's {@code evaluate(lineToTensor(name))}: LogSoftmax scores of the last letter. */
    public float[] logProbabilities(String name) {
        return model.forward(encode(name));
    }

    /** The most likely language of {@code name}. */
    public String predictLabel(String name) {
        return categories.get(model.predictIndex(encode(name)));
    }

    /**
     * The tutorial's {@code predict(input_line, n_predictions)}: the {@code topN} most likely
     * categories, best first.
     */
    public List<Prediction> predict(String name, int topN) {
        if (topN < 1 || topN > categories.size()) {
            throw new IllegalArgumentException("topN must be in [1, " + categories.size() + "], got " + topN);
        }
        float[] lp = logProbabilities(name);
        boolean[] used = new boolean[lp.length];
        List<Prediction> out = new ArrayList<>(topN);
        for (int n = 0; n < topN; n++) {
            int best = -1;
            for (int k = 0; k < lp.length; k++) {
                if (!used[k] && (best < 0 || lp[k] > lp[best])) {
                    best = k;
                }
            }
            used[best] = true;
            out.add(new Prediction(categories.get(best), best, lp[best]));
        }
        return out;
    }

    /** Fraction of {@code names} whose predicted category equals {@code labels}. */
    public double accuracy(List<String> names, int[] labels) {
        return accuracy(encodeAll(checkSet(names, labels)), labels);
    }

    /** Accuracy over already encoded names. */
    public double accuracy(int[][] letters, int[] labels) {
        int[][] cm = confusionMatrix(letters, labels);
        long correct = 0;
        for (int k = 0; k < cm.length; k++) {
            correct += cm[k][k];
        }
        return letters.length == 0 ? Double.NaN : (double) correct / letters.length;
    }

    /**
     * Confusion counts {@code [true][predicted]} ({@code nCategories × nCategories}), the tutorial's
     * {@code confusion} before normalisation.
     */
    public int[][] confusionMatrix(List<String> names, int[] labels) {
        return confusionMatrix(encodeAll(checkSet(names, labels)), labels);
    }

    /** Confusion counts over already encoded names. */
    public int[][] confusionMatrix(int[][] letters, int[] labels) {
        if (letters == null || labels == null || letters.length != labels.length) {
            throw new IllegalArgumentException("letters and labels must be non-null and of equal length, got "
                    + (letters == null ? "null" : letters.length) + " and " + (labels == null ? "null" : labels.length));
        }
        int n = categories.size();
        int[][] cm = new int[n][n];
        for (int i = 0; i < letters.length; i++) {
            int y = labels[i];
            if (y < 0 || y >= n) {
                throw new IllegalArgumentException("labels[" + i + "] = " + y + " is outside [0, " + n + ") (categories " + categories + ")");
            }
            cm[y][model.predictIndex(letters[i])]++;
        }
        return cm;
    }

    /**
     * Row-normalised confusion matrix, as the tutorial's {@code confusion[i] / confusion[i].sum()}:
     * row {@code i} holds, for names of category {@code i}, the fraction predicted as each category
     * (all zeros for a category without names).
     */
    public static double[][] normalize(int[][] confusion) {
        double[][] out = new double[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            long sum = 0;
            for (int v : confusion[i]) {
                sum += v;
            }
            out[i] = new double[confusion[i].length];
            for (int j = 0; j < confusion[i].length; j++) {
                out[i][j] = sum == 0 ? 0.0 : (double) confusion[i][j] / sum;
            }
        }
        return out;
    }

    private static List<String> checkSet(List<String> names, int[] labels) {
        if (names == null || labels == null || names.size() != labels.length) {
            throw new IllegalArgumentException("names and labels must be non-null and of equal length, got "
                    + (names == null ? "null" : names.size()) + " and " + (labels == null ? "null" : labels.length));
        }
        return names;
    }

    @Override
    public String toString() {
        return model + "\ncategories=" + categories;
    }
}
