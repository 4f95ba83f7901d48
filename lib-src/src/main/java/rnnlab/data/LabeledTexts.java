package rnnlab.data;

import java.util.List;
import java.util.Objects;

/**
 * One split of a raw-text dataset: review texts and their 0/1 labels. The Java shape of the
 * (texts, labels) lists that report 001 experiment 2 builds from {@code aclImdb} before its own
 * tokenisation and vocabulary.
 *
 * @param texts the raw texts, unmodified (HTML {@code <br />} included)
 * @param labels labels, same length as {@code texts}
 */
public record LabeledTexts(List<String> texts, int[] labels) {

    /** Copies the list and checks the lengths agree. */
    public LabeledTexts {
        texts = List.copyOf(Objects.requireNonNull(texts, "texts"));
        Objects.requireNonNull(labels, "labels");
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
        }
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    @Override
    public String toString() {
        long pos = 0;
        for (int v : labels) {
            pos += v;
        }
        return "LabeledTexts[" + labels.length + " texts, " + pos + " labelled 1]";
    }
}
