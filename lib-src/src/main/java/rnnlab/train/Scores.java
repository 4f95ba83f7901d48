package rnnlab.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import rnnlab.eval.Format;
import rnnlab.display.Displayable;
import rnnlab.display.Html;

/**
 * What {@link Trainer#evaluate} returns: Keras's {@code model.evaluate(x, y, return_dict=True)} —
 * {@code loss} and {@code accuracy}, plus {@code precision}, {@code recall} and {@code f1} for a
 * binary (one sigmoid output) model. Immutable.
 *
 * @param values the metrics by name, in the order Keras prints them
 */
public record Scores(Map<String, Double> values) implements Displayable {

    /** Copies the map (keeping its order) and makes it unmodifiable. */
    public Scores {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The metric {@code name}; throws naming the available ones if absent. */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "'; available: " + String.join(", ", values.keySet()));
        }
        return v;
    }

    /** The loss, computed like Keras over all samples. */
    public double loss() {
        return get("loss");
    }

    /** The accuracy. */
    public double accuracy() {
        return get("accuracy");
    }

    /** Keras's printout: {@code loss: 0.3012 - accuracy: 0.8760}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            b.append(b.length() == 0 ? "" : " - ").append(e.getKey()).append(": ").append(Format.kerasValue(e.getValue()));
        }
        return b.toString();
    }

    @Override
    public Map<String, String> mimeBundle() {
        StringBuilder h = new StringBuilder("<table class=\"rnnlab-scores\"><tr>");
        values.keySet().forEach(k -> h.append("<th>").append(Html.escape(k)).append("</th>"));
        h.append("</tr><tr>");
        values.values().forEach(v -> h.append("<td>").append(Format.fixed(v, 4)).append("</td>"));
        h.append("</tr></table>");
        return Displayable.textAndHtml(toString(), h.toString());
    }
}
