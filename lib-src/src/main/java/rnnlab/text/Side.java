package rnnlab.text;

import java.util.Locale;

/**
 * Where padding is added or elements are cut: the {@code 'pre'} / {@code 'post'} words of
 * {@code tf.keras.preprocessing.sequence.pad_sequences(padding=..., truncating=...)}.
 */
public enum Side {
    /** At the front of the sequence (Keras {@code 'pre'}, the Keras default for both options). */
    PRE,
    /** At the end of the sequence (Keras {@code 'post'}). */
    POST;

    /** The Keras spelling: {@code "pre"} or {@code "post"}. */
    public String keras() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a Keras word.
     *
     * @param argument the argument name used in the error message ({@code "padding"} or {@code "truncating"})
     * @param word     {@code "pre"} or {@code "post"} (exact, as in Keras)
     * @throws IllegalArgumentException naming the argument and the allowed values otherwise
     */
    public static Side parse(String argument, String word) {
        if ("pre".equals(word)) {
            return PRE;
        }
        if ("post".equals(word)) {
            return POST;
        }
        throw new IllegalArgumentException(argument + " must be 'pre' or 'post' (as in tf.keras pad_sequences), but was "
                + (word == null ? "null" : "'" + word + "'"));
    }

    @Override
    public String toString() {
        return "'" + keras() + "'";
    }
}
