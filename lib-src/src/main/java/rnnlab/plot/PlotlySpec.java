package rnnlab.plot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@link Figure} from a hand-built Plotly specification — plotly.py's
 * {@code go.Figure(data=[...], layout={...})} — for figures {@link Figures} does not draw (e.g. the
 * step-through views of {@code rnnlab.view}). The result renders, saves and exports to PNG exactly as
 * {@link Figures}' own figures do; its font list is {@link Figures#FONT_FAMILY} unless the layout sets one.
 */
public final class PlotlySpec {

    private PlotlySpec() {
    }

    /** A new, empty JSON object for a trace or a layout. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A new, empty JSON array for the traces. */
    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * The figure drawing {@code data} (an array of Plotly traces) with {@code layout}, {@code width} ×
     * {@code height} CSS pixels (each in [100, 4000]); both are copied.
     *
     * @throws IllegalArgumentException if a trace is not an object with a {@code type}, or a size is out of range
     */
    public static Figure figure(String title, int width, int height, ArrayNode data, ObjectNode layout) {
        if (data == null || layout == null) {
            throw new IllegalArgumentException("data and layout must not be null; use PlotlySpec.array() and PlotlySpec.object()");
        }
        for (int i = 0; i < data.size(); i++) {
            if (!data.get(i).isObject() || !data.get(i).path("type").isTextual()) {
                throw new IllegalArgumentException("trace " + i + " must be a JSON object with a \"type\" (e.g. \"scatter\", "
                        + "\"heatmap\"), but was " + data.get(i));
            }
        }
        ObjectNode l = layout.deepCopy();
        if (!l.path("font").has("family")) {
            l.with("font").put("family", Figures.FONT_FAMILY);
        }
        return Figure.fromSpec(title, width, height, data, l);
    }
}
