package rnnlab.plot;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import rnnlab.display.Displayable;
import rnnlab.display.Html;

/**
 * One Plotly figure, shown inline in a notebook and saved offline: the counterpart of a matplotlib
 * {@code Figure} (or a plotly.py {@code go.Figure}). Immutable; {@link #withTitle} and
 * {@link #withSize} return copies.
 *
 * <p>A figure is either one of rnnlab's own multi-subplot figures ({@link Figures} builds them as
 * Plotly data + layout) or a wrapped tablesaw-jsplot figure ({@link #of}), e.g. from
 * {@code LinePlot.create(...)}.
 *
 * <p>In a notebook the {@link #mimeBundle()} carries a static PNG ({@code image/png}, rendered by
 * headless {@link Chromium}) so exported HTML, GitHub previews and untrusted notebooks show it, and an
 * interactive {@code text/html} version: the PNG inside a {@code <div>} that a script replaces with the
 * live Plotly chart when scripts may run. plotly.js is inlined from the local webjar by the first
 * figure of the kernel session; later figures reuse {@code window.Plotly} (see
 * {@link Figures#resetNotebookSession()}).
 */
public final class Figure implements Displayable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TYPE = Pattern.compile("\\btype: '([a-z0-9]+)'");
    private static final Pattern WIDTH = Pattern.compile("\\bwidth: (\\d+),");
    private static final Pattern HEIGHT = Pattern.compile("\\bheight: (\\d+),");

    private final String title;
    private final int width;
    private final int height;
    /** rnnlab figures: Plotly data array and layout object (never exposed, copied on change). */
    private final ArrayNode data;
    private final ObjectNode layout;
    /** Wrapped tablesaw-jsplot figure, or null. */
    private final tech.tablesaw.plotly.components.Figure tablesaw;
    /** Layout changes applied to a tablesaw figure after it is drawn (title, size), or null. */
    private final ObjectNode relayout;
    private Map<String, String> bundleCache;

    private Figure(String title, int width, int height, ArrayNode data, ObjectNode layout,
                   tech.tablesaw.plotly.components.Figure tablesaw, ObjectNode relayout) {
        checkSize(width, height);
        this.title = title == null ? "" : title;
        this.width = width;
        this.height = height;
        this.data = data;
        this.layout = layout;
        this.tablesaw = tablesaw;
        this.relayout = relayout;
    }

    /** An rnnlab figure from Plotly {@code data} and {@code layout} (width/height are set in the layout). */
    static Figure fromSpec(String title, int width, int height, ArrayNode data, ObjectNode layout) {
        ObjectNode l = layout.deepCopy();
        l.put("width", width);
        l.put("height", height);
        return new Figure(title, width, height, data.deepCopy(), l, null, null);
    }

    /**
     * Wraps a tablesaw-jsplot figure (e.g. {@code LinePlot.create("loss", table, "epoch", "loss")});
     * its size is read from its layout (tablesaw's default is 800 × 600).
     */
    public static Figure of(tech.tablesaw.plotly.components.Figure figure) {
        Objects.requireNonNull(figure, "figure");
        String layoutJs = figure.getLayout() == null ? "" : figure.getLayout().asJavascript();
        int w = find(WIDTH, layoutJs, 800);
        int h = find(HEIGHT, layoutJs, 600);
        String t = figure.getLayout() == null || figure.getLayout().getTitle() == null ? ""
                : figure.getLayout().getTitle();
        ObjectNode relayout = JSON.createObjectNode();
        relayout.put("font.family", Figures.FONT_FAMILY); // Chinese text renders with Noto Sans CJK
        return new Figure(t, w, h, null, null, figure, relayout);
    }

    /** The title (may be empty). */
    public String title() {
        return title;
    }

    /** Width in CSS pixels (the PNG is this wide at scale 1). */
    public int width() {
        return width;
    }

    /** Height in CSS pixels. */
    public int height() {
        return height;
    }

    /** A copy with another overall title (Chinese is fine: the layout's fonts include Noto Sans CJK). */
    public Figure withTitle(String newTitle) {
        Objects.requireNonNull(newTitle, "newTitle");
        if (tablesaw != null) {
            ObjectNode r = relayout.deepCopy();
            r.put("title.text", newTitle);
            return new Figure(newTitle, width, height, null, null, tablesaw, r);
        }
        ObjectNode l = layout.deepCopy();
        l.putObject("title").put("text", newTitle).put("x", 0.5).put("xanchor", "center");
        ObjectNode margin = l.with("margin");
        margin.put("t", Math.max(margin.path("t").asInt(40), 70));
        return new Figure(newTitle, width, height, data.deepCopy(), l, null, null);
    }

    /** A copy drawn at another size in CSS pixels (each at least 100 and at most 4000). */
    public Figure withSize(int newWidth, int newHeight) {
        checkSize(newWidth, newHeight);
        if (tablesaw != null) {
            ObjectNode r = relayout.deepCopy();
            r.put("width", newWidth);
            r.put("height", newHeight);
            return new Figure(title, newWidth, newHeight, null, null, tablesaw, r);
        }
        return fromSpec(title, newWidth, newHeight, data, layout);
    }

    /** The Plotly trace types the figure uses (e.g. scatter, heatmap). */
    public Set<String> traceTypes() {
        Set<String> types = new LinkedHashSet<>();
        if (tablesaw != null) {
            Matcher m = TYPE.matcher(tablesaw.asJavascript("probe"));
            while (m.find()) {
                types.add(m.group(1));
            }
        } else {
            for (JsonNode t : data) {
                types.add(t.path("type").asText("scatter"));
            }
        }
        return types;
    }

    /** The smallest plotly.js bundle that can draw this figure. */
    PlotlyJs.Bundle bundle() {
        return PlotlyJs.Bundle.forTraceTypes(traceTypes());
    }

    /**
     * JavaScript statements that draw the figure into the element with id {@code divId}, with
     * {@code Plotly} already loaded. With {@code returnPromise} the statements end by returning
     * Plotly's promise (for static export).
     */
    String plotScript(String divId, boolean returnPromise) {
        String ret = returnPromise ? "return " : "";
        if (tablesaw != null) {
            String js = tablesaw.asJavascript(divId).strip();
            js = js.replaceFirst("^<script>", "").replaceFirst("</script>$", "");
            // tablesaw names the element variable target_<div id>, not a valid identifier for ids with '-'
            String target = "rnnlabTarget";
            js = js.replace("target_" + divId, target);
            String after = ret + "Plotly.relayout(" + target + ", " + json(relayout) + ");";
            return js + "\n" + after;
        }
        return ret + "Plotly.newPlot(document.getElementById(" + jsString(divId) + "), " + json(data) + ", "
                + json(layout) + ", {displaylogo: false, responsive: false});";
    }

    /**
     * A self-contained HTML page: plotly.js inlined, no remote URL, and a Content-Security-Policy
     * that forbids loading anything, so the file opens the same with no network.
     */
    public String toHtml() {
        String div = "rnnlab-figure";
        return "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                + "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:\">\n"
                + "<title>" + Html.escape(title.isEmpty() ? "figure" : title) + "</title>\n"
                + "<style>body{margin:0;background:#fff}</style>\n"
                + PlotlyJs.scriptElement(bundle()) + "\n</head><body>\n"
                + "<div id=\"" + div + "\" style=\"width:" + width + "px;height:" + height + "px\"></div>\n"
                + "<script>\n(function(){\n" + plotScript(div, false) + "\n})();\n</script>\n</body></html>\n";
    }

    /** The figure as PNG at scale 1 ({@link #width()} × {@link #height()} pixels), via headless Chromium. */
    public byte[] toPng() {
        return toPng(1);
    }

    /** The figure as PNG, {@code scale} times {@link #width()} × {@link #height()} pixels (2 for print). */
    public byte[] toPng(double scale) {
        return Chromium.render(java.util.List.of(this), Chromium.Format.PNG, scale).get(0);
    }

    /** The figure as SVG text, via headless Chromium. */
    public String toSvg() {
        return new String(Chromium.render(java.util.List.of(this), Chromium.Format.SVG, 1).get(0),
                StandardCharsets.UTF_8);
    }

    /**
     * {@code text/plain}, {@code image/png} (when Chromium is available) and, unless
     * {@link Figures#setInteractive(boolean)} turned it off, {@code text/html}. Computed once per
     * figure and cached.
     */
    @Override
    public synchronized Map<String, String> mimeBundle() {
        if (bundleCache != null) {
            return bundleCache;
        }
        Map<String, String> b = new LinkedHashMap<>();
        b.put("text/plain", toString());
        String png = null;
        if (Chromium.available()) {
            try {
                png = Base64.getEncoder().encodeToString(toPng());
                b.put("image/png", png);
            } catch (RuntimeException e) {
                System.err.println("rnnlab.plot: could not render '" + title + "' to PNG (" + e.getMessage()
                        + "); showing the interactive HTML only.");
            }
        } else {
            Chromium.warnMissingOnce();
        }
        if (Figures.interactive() || png == null) {
            b.put("text/html", notebookHtml(png));
        }
        bundleCache = java.util.Collections.unmodifiableMap(b);
        return bundleCache;
    }

    /** The notebook's text/html: the PNG as fallback content, replaced by the live chart when scripts run. */
    String notebookHtml(String pngBase64) {
        String id = "rnnlab-" + UUID.randomUUID().toString().substring(0, 13);
        StringBuilder sb = new StringBuilder();
        sb.append("<div id=\"").append(id).append("\" style=\"width:").append(width).append("px;height:")
                .append(height).append("px\">");
        if (pngBase64 != null) {
            sb.append("<img src=\"data:image/png;base64,").append(pngBase64).append("\" width=\"").append(width)
                    .append("\" height=\"").append(height).append("\" alt=\"").append(Html.escape(title)).append("\">");
        }
        sb.append("</div>\n");
        sb.append(NotebookSession.plotlyFor(bundle()));
        sb.append("<script>\n(function(){\n  var n = 0;\n  function draw(){\n")
                .append("    var gd = document.getElementById(").append(jsString(id)).append(");\n")
                .append("    if (!gd) return;\n")
                .append("    if (!window.Plotly) { if (n++ < 100) setTimeout(draw, 100); return; }\n")
                .append("    gd.innerHTML = '';\n    (function(){\n").append(plotScript(id, false))
                .append("\n    })();\n  }\n  draw();\n})();\n</script>");
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Figure[" + (title.isEmpty() ? "untitled" : title) + ", " + width + "×" + height
                + ", traces " + traceTypes() + "]";
    }

    /** A copy of an rnnlab figure's Plotly layout ({@code null} for a wrapped tablesaw figure); for tests. */
    ObjectNode layoutSpec() {
        return layout == null ? null : layout.deepCopy();
    }

    /** A copy of an rnnlab figure's Plotly data array ({@code null} for a wrapped tablesaw figure); for tests. */
    ArrayNode dataSpec() {
        return data == null ? null : data.deepCopy();
    }

    private static void checkSize(int w, int h) {
        if (w < 100 || w > 4000 || h < 100 || h > 4000) {
            throw new IllegalArgumentException("figure size is " + w + "×" + h
                    + " px; width and height must each be in [100, 4000]");
        }
    }

    private static int find(Pattern p, String s, int dflt) {
        Matcher m = p.matcher(s);
        return m.find() ? Integer.parseInt(m.group(1)) : dflt;
    }

    /** JSON text safe to embed in a script element. */
    static String json(JsonNode node) {
        try {
            return JSON.writeValueAsString(node).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String jsString(String s) {
        return json(JSON.getNodeFactory().textNode(s));
    }

    /** Which plotly.js bundle this kernel session has already sent to the notebook front end. */
    static final class NotebookSession {
        private static PlotlyJs.Bundle shipped;

        private NotebookSession() {
        }

        /** The plotly.js script element if the front end does not have a covering bundle yet, else "". */
        static synchronized String plotlyFor(PlotlyJs.Bundle needed) {
            if (shipped != null && shipped.covers(needed)) {
                return "";
            }
            shipped = needed;
            return PlotlyJs.scriptElement(needed) + "\n";
        }

        static synchronized void reset() {
            shipped = null;
        }

        static synchronized PlotlyJs.Bundle shipped() {
            return shipped;
        }
    }
}
