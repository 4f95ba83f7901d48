package rnnlab.charrnn;

import java.util.Locale;

/**
 * One line of the tutorial's {@code predict(input_line, n_predictions)}: a category and its
 * log-probability; {@link #toString()} prints it as the tutorial does, {@code (-0.52) Russian}.
 *
 * @param category the category's name
 * @param index    the category's index (output unit)
 * @param logProb  the network's LogSoftmax score
 */
public record Prediction(String category, int index, double logProb) {

    /** The probability {@code exp(logProb)}. */
    public double probability() {
        return Math.exp(logProb);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "(%.2f) %s", logProb, category);
    }
}
