package rnnlab.display;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something that knows how to show itself in a notebook: the analogue of IPython's
 * {@code _repr_mimebundle_}. The Java kernel renders any {@code Displayable} returned by a cell (or
 * passed to {@code display(...)}) through {@link #mimeBundle()}; outside Jupyter {@link #toString()}
 * is the plain-text view.
 */
public interface Displayable {

    /**
     * The MIME bundle: keys are MIME types ({@code text/plain}, {@code text/html}, {@code image/png}
     * as base64, ...), values the data. Implementations return an ordered map, richest type last
     * is not required: Jupyter picks the richest type it can show.
     */
    Map<String, String> mimeBundle();

    /**
     * The common bundle: a plain-text view and an HTML view, in that order (what IPython's
     * {@code _repr_html_} plus {@code __repr__} give).
     */
    static Map<String, String> textAndHtml(String text, String html) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/plain", text);
        m.put("text/html", html);
        return m;
    }
}
