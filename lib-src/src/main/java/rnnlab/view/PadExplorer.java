package rnnlab.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.IntFunction;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import rnnlab.display.Displayable;
import rnnlab.display.Html;
import rnnlab.text.PadSequences;
import rnnlab.text.PadView;
import rnnlab.text.Side;

/**
 * {@code pad_sequences} with controls: a {@code maxlen} slider and {@code 'pre'}/{@code 'post'}
 * switches for {@code padding} and {@code truncating} and a choice of {@code value}, updating
 * instantly in the browser with no kernel. Every layout a control can select is computed up front by
 * {@link PadSequences} itself (result and {@link PadSequences.RowPlan}) and embedded as data; the
 * page's script only <em>selects</em> and draws the chosen one, marking cut and padding cells as
 * {@link PadView} does (red struck-through, grey italic). A setting Keras rejects
 * ({@code maxlen=0, truncating='pre'}) shows PadSequences' error message.
 *
 * <p>One panel per group of sequences (numbers, or one review shown as words), each with its own
 * controls. The notebook output is self-contained (no CDN, works offline). Where scripts do not run
 * (an untrusted notebook, a GitHub preview) the static part shows: each panel at its initial setting
 * as plain HTML, with {@code <s>}/{@code <i>} marks and spaces between elements, which survive the
 * sanitising of untrusted notebooks (it removes scripts and inline styles), plus a {@code text/plain} version.
 *
 * <pre>{@code
 * PadExplorer.builder()
 *     .sequences("s (report 003 §2.2)", new int[][]{{1, 2, 3, 9}, {4, 5, 6}, {7, 8}, {}})
 *     .review("IMDB review", ids, id -> wordIndex.word(id - 3))
 *     .build()
 * }</pre>
 */
public final class PadExplorer implements Displayable {

    /** The most layouts one explorer may embed (settings × panels), to keep the notebook small. */
    public static final int MAX_LAYOUTS = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One precomputed layout: the options and either PadSequences' result with the row plans, or
     * the error PadSequences raised for these options.
     *
     * @param options the setting
     * @param result  {@code PadSequences.apply} of the panel's sequences, or null when {@code error} is set
     * @param plans   {@code PadSequences.plan} of each row, or null when {@code error} is set
     * @param error   PadSequences' message for a setting it rejects, else null
     */
    public record Layout(PadSequences options, int[][] result, List<PadSequences.RowPlan> plans, String error) {
    }

    /**
     * One panel: a label, its sequences, how to show an element (null: the number itself), the
     * slider's range and the initial setting.
     */
    public record Panel(String label, int[][] sequences, IntFunction<String> words, int maxlenFrom, int maxlenTo,
            PadSequences initial) {
        /** Checks the range and that the initial setting is one the controls offer. */
        public Panel {
            if (label == null || sequences == null) {
                throw new IllegalArgumentException("a panel needs a label and sequences");
            }
            for (int i = 0; i < sequences.length; i++) {
                if (sequences[i] == null) {
                    throw new IllegalArgumentException("panel '" + label + "': sequences[" + i + "] is null");
                }
            }
            if (maxlenFrom < 0 || maxlenTo < maxlenFrom) {
                throw new IllegalArgumentException("panel '" + label + "': the maxlen slider range [" + maxlenFrom + ", "
                        + maxlenTo + "] must satisfy 0 <= from <= to");
            }
            if (initial == null || initial.maxlen() == null || initial.maxlen() < maxlenFrom || initial.maxlen() > maxlenTo) {
                throw new IllegalArgumentException("panel '" + label + "': the initial setting " + initial
                        + " needs a maxlen within the slider range [" + maxlenFrom + ", " + maxlenTo + "]");
            }
        }
    }

    private final List<Panel> panels;
    private final int[] values;
    private final List<Map<String, Layout>> layouts;

    private PadExplorer(List<Panel> panels, int[] values) {
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a PadExplorer needs at least one panel: builder().sequences(...) or .review(...)");
        }
        this.panels = List.copyOf(panels);
        this.values = values.clone();
        long total = 0;
        for (Panel p : panels) {
            total += (long) (p.maxlenTo() - p.maxlenFrom() + 1) * 4 * values.length;
        }
        if (total > MAX_LAYOUTS) {
            throw new IllegalArgumentException("these panels and values need " + total + " layouts, more than " + MAX_LAYOUTS
                    + "; narrow the maxlen ranges or offer fewer values");
        }
        List<Map<String, Layout>> all = new ArrayList<>();
        for (Panel p : panels) {
            for (int v : values) {
                if (v == (int) p.initial().value()) {
                    break;
                }
                if (v == values[values.length - 1]) {
                    throw new IllegalArgumentException("panel '" + p.label() + "': the initial value " + (int) p.initial().value()
                            + " is not among the offered values " + java.util.Arrays.toString(values));
                }
            }
            Map<String, Layout> m = new LinkedHashMap<>();
            for (int maxlen = p.maxlenFrom(); maxlen <= p.maxlenTo(); maxlen++) {
                for (Side pad : Side.values()) {
                    for (Side trunc : Side.values()) {
                        for (int v : values) {
                            PadSequences o = new PadSequences(maxlen, pad, trunc, v);
                            m.put(key(o), compute(p.sequences(), o));
                        }
                    }
                }
            }
            all.add(m);
        }
        this.layouts = all;
    }

    private static Layout compute(int[][] sequences, PadSequences o) {
        try {
            int[][] result = o.apply(sequences);
            List<PadSequences.RowPlan> plans = new ArrayList<>();
            for (int i = 0; i < sequences.length; i++) {
                plans.add(o.plan(sequences[i].length, o.maxlen(), i));
            }
            return new Layout(o, result, List.copyOf(plans), null);
        } catch (IllegalArgumentException e) {
            return new Layout(o, null, null, e.getMessage());
        }
    }

    /** The data key of a setting: {@code maxlen|padding|truncating|value}, e.g. {@code 3|post|pre|0}. */
    public static String key(PadSequences o) {
        return o.maxlen() + "|" + o.padding().keras() + "|" + o.truncating().keras() + "|" + (int) o.value();
    }

    /** An explorer of {@code sequences} with the slider over [0, longest + 2] and the Keras defaults at maxlen = longest. */
    public static PadExplorer of(int[][] sequences) {
        return builder().sequences("sequences", sequences).build();
    }

    /** A builder; panels appear in the order added. */
    public static Builder builder() {
        return new Builder();
    }

    /** The panels. */
    public List<Panel> panels() {
        return panels;
    }

    /** The padding values offered. */
    public int[] values() {
        return values.clone();
    }

    /** Every layout of panel {@code panel}, keyed by {@link #key(PadSequences)}. */
    public Map<String, Layout> layouts(int panel) {
        return layouts.get(panel);
    }

    // ------------------------------------------------------------------ the embedded data

    /** The data the page's script selects from (JSON): per panel its elements, controls and every layout. */
    public String dataJson() {
        ArrayNode ps = JSON.createArrayNode();
        for (int k = 0; k < panels.size(); k++) {
            Panel p = panels.get(k);
            ObjectNode n = ps.addObject();
            n.put("label", p.label());
            ArrayNode seqs = n.putArray("sequences");
            for (int[] s : p.sequences()) {
                ArrayNode a = seqs.addArray();
                for (int v : s) {
                    a.add(v);
                }
            }
            if (p.words() != null) {
                ObjectNode w = n.putObject("words");
                Map<Integer, String> sorted = new TreeMap<>();
                for (int[] s : p.sequences()) {
                    for (int v : s) {
                        String word = p.words().apply(v);
                        sorted.put(v, word == null ? Integer.toString(v) : word);
                    }
                }
                sorted.forEach((id, word) -> w.put(Integer.toString(id), word));
            }
            n.put("maxlenFrom", p.maxlenFrom()).put("maxlenTo", p.maxlenTo());
            ArrayNode vs = n.putArray("values");
            for (int v : values) {
                vs.add(v);
            }
            n.put("initial", key(p.initial()));
            ObjectNode lay = n.putObject("layouts");
            for (var e : layouts.get(k).entrySet()) {
                Layout l = e.getValue();
                ObjectNode o = lay.putObject(e.getKey());
                if (l.error() != null) {
                    o.put("error", l.error());
                    continue;
                }
                ArrayNode r = o.putArray("result");
                for (int[] row : l.result()) {
                    ArrayNode a = r.addArray();
                    for (int v : row) {
                        a.add(v);
                    }
                }
                ArrayNode pl = o.putArray("plans");
                for (PadSequences.RowPlan rp : l.plans()) {
                    pl.addArray().add(rp.keepFrom()).add(rp.keepTo()).add(rp.padBefore()).add(rp.padAfter());
                }
            }
        }
        ObjectNode root = JSON.createObjectNode();
        root.set("panels", ps);
        ObjectNode css = root.putObject("css");
        css.put("kept", PadView.KEPT_CELL_CSS).put("cut", PadView.CUT_CELL_CSS).put("pad", PadView.PAD_CELL_CSS)
                .put("gap", PadView.GAP_CELL_CSS);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ static rendering (fallback)

    private static String word(Panel p, int v) {
        if (p.words() == null) {
            return Integer.toString(v);
        }
        String w = p.words().apply(v);
        return w == null ? Integer.toString(v) : w;
    }

    private static String cellHtml(String text, String kind) {
        String css = switch (kind) {
            case "cut" -> PadView.CUT_CELL_CSS;
            case "pad" -> PadView.PAD_CELL_CSS;
            default -> PadView.KEPT_CELL_CSS;
        };
        String t = Html.escape(text);
        String marked = switch (kind) {
            case "cut" -> "<s>" + t + "</s>";
            case "pad" -> "<i>" + t + "</i>";
            default -> t;
        };
        return "<span title=\"" + kind + "\" style=\"display:inline-block;margin:1px;" + css + "\">" + marked + "</span>";
    }

    /** One layout as static HTML: per row the sequence before (cuts marked) and after (padding marked). */
    static String layoutHtml(Panel p, Layout l) {
        StringBuilder sb = new StringBuilder();
        sb.append("<div style=\"font-family:monospace;margin:4px 0\"><b>").append(Html.escape(l.options().toString()));
        if (l.error() != null) {
            return sb.append("</b></div><div style=\"color:#a11;font-family:monospace\">").append(Html.escape(l.error()))
                    .append("</div>").toString();
        }
        int width = l.result().length == 0 ? l.options().maxlen() : l.result()[0].length;
        sb.append(" → shape (").append(l.result().length).append(", ").append(width).append(")</b></div>");
        sb.append("<table style=\"border-collapse:collapse\">");
        for (int i = 0; i < p.sequences().length; i++) {
            PadSequences.RowPlan rp = l.plans().get(i);
            int[] s = p.sequences()[i];
            sb.append("<tr><td style=\"padding:2px 6px;vertical-align:top;text-align:left;color:#666\">").append(i).append("</td>")
                    .append("<td style=\"padding:2px 6px;vertical-align:top;text-align:left\"><b>before</b><br>");
            for (int j = 0; j < s.length; j++) {
                sb.append(cellHtml(word(p, s[j]), j < rp.keepFrom() || j >= rp.keepTo() ? "cut" : "kept")).append(' ');
            }
            if (s.length == 0) {
                sb.append("<span style=\"color:#888\">(empty)</span>");
            }
            sb.append(p.words() == null ? "</td>" : "</td></tr><tr><td></td>"); // words: 'after' below 'before'
            sb.append("<td style=\"padding:2px 6px;vertical-align:top;text-align:left\"><b>after</b><br>");
            int[] r = l.result()[i];
            for (int j = 0; j < r.length; j++) {
                boolean pad = j < rp.padBefore() || j >= r.length - rp.padAfter();
                sb.append(cellHtml(pad ? Integer.toString(r[j]) : word(p, r[j]), pad ? "pad" : "kept")).append(' ');
            }
            sb.append("</td></tr>");
        }
        return sb.append("</table>").toString();
    }

    private static String legendHtml() {
        return "<div style=\"font-size:90%;margin-top:4px\">legend: " + cellHtml("x", "kept") + " kept &nbsp; "
                + cellHtml("x", "cut") + " cut off by truncating &nbsp; " + cellHtml("0", "pad") + " padding value</div>";
    }

    /** The static fallback: every panel at its initial setting, as plain HTML (no script needed). */
    public String staticHtml() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < panels.size(); k++) {
            Panel p = panels.get(k);
            sb.append("<div style=\"margin:6px 0 12px 0\"><div style=\"font-weight:bold\">").append(Html.escape(p.label()))
                    .append("</div>").append(layoutHtml(p, layouts.get(k).get(key(p.initial())))).append("</div>");
        }
        return sb.append(legendHtml()).append("<div style=\"color:#666;font-size:85%\">Static view of the initial setting; "
                + "with scripts allowed (a trusted notebook, the HTML export) sliders and switches appear here.</div>").toString();
    }

    /** Plain text: every panel at its initial setting, cuts as {@code ~x~} and padding as {@code (v)}, as {@link PadView}. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < panels.size(); k++) {
            Panel p = panels.get(k);
            Layout l = layouts.get(k).get(key(p.initial()));
            sb.append(p.label()).append(": ").append(l.options()).append('\n');
            if (l.error() != null) {
                sb.append("  error: ").append(l.error()).append('\n');
                continue;
            }
            for (int i = 0; i < p.sequences().length; i++) {
                PadSequences.RowPlan rp = l.plans().get(i);
                StringBuilder before = new StringBuilder();
                int[] s = p.sequences()[i];
                for (int j = 0; j < s.length; j++) {
                    String w = word(p, s[j]);
                    before.append(j == 0 ? "" : " ").append(j < rp.keepFrom() || j >= rp.keepTo() ? "~" + w + "~" : w);
                }
                StringBuilder after = new StringBuilder();
                int[] r = l.result()[i];
                for (int j = 0; j < r.length; j++) {
                    boolean pad = j < rp.padBefore() || j >= r.length - rp.padAfter();
                    after.append(j == 0 ? "" : " ").append(pad ? "(" + r[j] + ")" : word(p, r[j]));
                }
                sb.append("  ").append(i).append(": ").append(before).append(" -> ").append(after).append('\n');
            }
        }
        return sb.append("legend: ~x~ cut off by truncating   (v) padding value").toString();
    }

    // ------------------------------------------------------------------ the interactive page

    /**
     * The notebook's {@code text/html}: the static fallback, replaced by the controls when the
     * script runs; the data and the script are inline (nothing is fetched).
     */
    public String toHtml() {
        String id = "rnnlab-pad-" + UUID.randomUUID().toString().substring(0, 13);
        String data = dataJson().replace("</", "<\\/");
        return "<div id=\"" + id + "\" class=\"rnnlab-padexplorer\">"
                + "<div class=\"rnnlab-static\">" + staticHtml() + "</div>"
                + "<div class=\"rnnlab-live\"></div></div>\n"
                + "<script>\n(function(){\nvar root = document.getElementById(" + jsString(id) + ");\n"
                + "if (!root) return;\nvar DATA = " + data + ";\n" + SCRIPT + "\n})();\n</script>";
    }

    /** A complete offline HTML page holding the explorer (for saving next to the figures, or a browser check). */
    public String toPage(String title) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
                + "style-src 'unsafe-inline'\">\n<title>" + Html.escape(title) + "</title></head>\n"
                + "<body style=\"font-family:sans-serif;margin:16px\">\n" + toHtml() + "\n</body></html>\n";
    }

    private static String jsString(String s) {
        try {
            return JSON.writeValueAsString(s).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The page's script: builds the controls and, on every change, looks up the chosen layout in
     * {@code DATA} and draws it. It computes no padding itself.
     */
    static final String SCRIPT = String.join("\n",
            "function el(tag, css, text){ var e = document.createElement(tag); if (css) e.style.cssText = css;",
            "  if (text !== undefined) e.textContent = text; return e; }",
            "function cell(text, kind){ var s = el('span', 'display:inline-block;margin:1px;' + DATA.css[kind]);",
            "  s.title = kind; var inner = el(kind === 'cut' ? 's' : kind === 'pad' ? 'i' : 'span', '', text);",
            "  s.appendChild(inner); s.className = 'rnnlab-cell rnnlab-' + kind; return s; }",
            "function word(p, v){ return p.words && p.words[String(v)] !== undefined ? p.words[String(v)] : String(v); }",
            "function radio(name, options, checked, onchange){ var box = el('span', 'margin-right:14px;white-space:nowrap');",
            "  options.forEach(function(o){ var lab = el('label', 'margin-right:6px'); var r = el('input');",
            "    r.type = 'radio'; r.style.cssText = 'display:inline-block;margin:0 2px'; r.name = name; r.value = String(o);",
            "    r.checked = String(o) === String(checked);",
            "    r.addEventListener('change', onchange); lab.appendChild(r); lab.appendChild(document.createTextNode(\" \" + (typeof o === 'string' ? \"'\" + o + \"'\" : o)));",
            "    box.appendChild(lab); }); return box; }",
            "function chosen(box, name){ var rs = box.querySelectorAll('input[name=\"' + name + '\"]');",
            "  for (var i = 0; i < rs.length; i++) if (rs[i].checked) return rs[i].value; return null; }",
            "var live = root.querySelector('.rnnlab-live');",
            "DATA.panels.forEach(function(p, k){",
            "  var init = p.initial.split('|');",
            "  var box = el('div', 'margin:6px 0 14px 0;padding:6px;border:1px solid #ddd;border-radius:4px');",
            "  box.className = 'rnnlab-panel'; box.appendChild(el('div', 'font-weight:bold;margin-bottom:4px', p.label));",
            "  var ctl = el('div', 'margin-bottom:6px;font-family:monospace');",
            "  var uid = root.id + '-' + k;",
            "  ctl.appendChild(el('span', '', 'maxlen '));",
            "  var slider = el('input', 'display:inline-block;vertical-align:middle;width:220px;margin:0'); slider.type = 'range';",
            "  slider.min = p.maxlenFrom; slider.max = p.maxlenTo; slider.step = 1; slider.value = init[0];",
            "  slider.className = 'rnnlab-maxlen';",
            "  var shown = el('b', 'display:inline-block;min-width:2.5em;margin:0 12px 0 4px', init[0]);",
            "  var group = el('span', 'white-space:nowrap'); group.appendChild(slider); group.appendChild(shown); ctl.appendChild(group);",
            "  ctl.appendChild(el('span', '', 'padding '));",
            "  ctl.appendChild(radio(uid + '-padding', ['pre', 'post'], init[1], draw));",
            "  ctl.appendChild(el('span', '', 'truncating '));",
            "  ctl.appendChild(radio(uid + '-truncating', ['pre', 'post'], init[2], draw));",
            "  ctl.appendChild(el('span', '', 'value '));",
            "  ctl.appendChild(radio(uid + '-value', p.values, init[3], draw));",
            "  slider.addEventListener('input', draw);",
            "  box.appendChild(ctl);",
            "  var out = el('div'); out.className = 'rnnlab-layout'; box.appendChild(out);",
            "  live.appendChild(box);",
            "  function draw(){",
            "    shown.textContent = slider.value;",
            "    var key = slider.value + '|' + chosen(ctl, uid + '-padding') + '|' + chosen(ctl, uid + '-truncating') + '|'",
            "      + chosen(ctl, uid + '-value');",
            "    var parts = key.split('|'); var lay = p.layouts[key]; out.innerHTML = '';",
            "    var call = \"pad_sequences(maxlen=\" + parts[0] + \", padding='\" + parts[1] + \"', truncating='\" + parts[2]",
            "      + \"', value=\" + parts[3] + \")\";",
            "    out.setAttribute('data-key', key);",
            "    if (!lay) { out.appendChild(el('div', 'color:#a11', 'no precomputed layout for ' + key)); return; }",
            "    if (lay.error) { out.appendChild(el('div', 'font-family:monospace;font-weight:bold', call));",
            "      out.appendChild(el('div', 'color:#a11;font-family:monospace', lay.error)); return; }",
            "    var width = lay.result.length ? lay.result[0].length : Number(parts[0]);",
            "    out.appendChild(el('div', 'font-family:monospace;font-weight:bold;margin:4px 0',",
            "      call + ' \\u2192 shape (' + lay.result.length + ', ' + width + ')'));",
            "    var tab = el('table', 'border-collapse:collapse');",
            "    p.sequences.forEach(function(s, i){",
            "      var plan = lay.plans[i], row = lay.result[i], tr = el('tr');",
            "      tr.appendChild(el('td', 'padding:2px 6px;vertical-align:top;text-align:left;color:#666', String(i)));",
            "      var b = el('td', 'padding:2px 6px;vertical-align:top;text-align:left'); b.appendChild(el('b', '', 'before')); b.appendChild(el('br'));",
            "      s.forEach(function(v, j){ b.appendChild(cell(word(p, v), j < plan[0] || j >= plan[1] ? 'cut' : 'kept')); });",
            "      if (!s.length) b.appendChild(el('span', 'color:#888', '(empty)'));",
            "      var a = el('td', 'padding:2px 6px;vertical-align:top;text-align:left'); a.appendChild(el('b', '', 'after')); a.appendChild(el('br'));",
            "      row.forEach(function(v, j){ var pad = j < plan[2] || j >= row.length - plan[3];",
            "        a.appendChild(cell(pad ? String(v) : word(p, v), pad ? 'pad' : 'kept')); });",
            "      tr.appendChild(b); tab.appendChild(tr);",
            "      if (p.words) { tr = el('tr'); tr.appendChild(el('td')); tab.appendChild(tr); }   // words: 'after' below 'before'",
            "      tr.appendChild(a); });",
            "    out.appendChild(tab);",
            "  }",
            "  draw();",
            "});",
            "var legend = el('div', 'font-size:90%;margin-top:4px'); legend.appendChild(document.createTextNode('legend: '));",
            "legend.appendChild(cell('x', 'kept')); legend.appendChild(document.createTextNode(' kept   '));",
            "legend.appendChild(cell('x', 'cut')); legend.appendChild(document.createTextNode(' cut off by truncating   '));",
            "legend.appendChild(cell('0', 'pad')); legend.appendChild(document.createTextNode(' padding value (all settings computed by rnnlab.text.PadSequences)'));",
            "live.appendChild(legend);",
            "root.querySelector('.rnnlab-static').style.display = 'none';");

    @Override
    public Map<String, String> mimeBundle() {
        return Displayable.textAndHtml(toText(), toHtml());
    }

    @Override
    public String toString() {
        return toText();
    }

    /** Panels in Keras vocabulary; values offered default to {@code 0} and {@code -1} (the report's example). */
    public static final class Builder {
        private final List<Panel> panels = new ArrayList<>();
        private int[] values = {0, -1};

        private Builder() {
        }

        /**
         * A panel of integer sequences (shown as numbers), slider over [0, longest + 2], starting at the
         * Keras defaults with maxlen = longest.
         */
        public Builder sequences(String label, int[][] sequences) {
            int longest = longest(label, sequences);
            return panel(new Panel(label, copy(sequences), null, 0, longest + 2,
                    PadSequences.builder().maxlen(longest).build()));
        }

        /** A panel of integer sequences with an explicit slider range and initial setting (its maxlen must be in range). */
        public Builder sequences(String label, int[][] sequences, int maxlenFrom, int maxlenTo, PadSequences initial) {
            longest(label, sequences);
            return panel(new Panel(label, copy(sequences), null, maxlenFrom, maxlenTo, initial));
        }

        /**
         * One review shown as words ({@code words.apply(id)}, e.g. {@code id -> wordIndex.word(id - 3)};
         * {@code null} shows the id), slider over [1, length + 10] starting at the Keras defaults with
         * maxlen = half its length, so both cuts and padding are one slide away.
         */
        public Builder review(String label, int[] review, IntFunction<String> words) {
            if (review == null || review.length == 0) {
                throw new IllegalArgumentException("review '" + label + "' must be a non-empty sequence of token ids");
            }
            if (words == null) {
                throw new IllegalArgumentException("review '" + label + "': words must not be null (use i -> null to show ids)");
            }
            return panel(new Panel(label, new int[][] {review.clone()}, words, 1, review.length + 10,
                    PadSequences.builder().maxlen(Math.max(1, review.length / 2)).build()));
        }

        /** One sequence shown as words, with an explicit slider range and initial setting (its maxlen must be in range). */
        public Builder review(String label, int[] review, IntFunction<String> words, int maxlenFrom, int maxlenTo,
                PadSequences initial) {
            if (review == null || words == null) {
                throw new IllegalArgumentException("review '" + label + "' needs the token ids and a words function");
            }
            return panel(new Panel(label, new int[][] {review.clone()}, words, maxlenFrom, maxlenTo, initial));
        }

        /** Any panel. */
        public Builder panel(Panel panel) {
            panels.add(panel);
            return this;
        }

        /** The padding values offered (at least one; each panel's initial value must be among them). */
        public Builder values(int... values) {
            if (values == null || values.length == 0) {
                throw new IllegalArgumentException("offer at least one padding value, e.g. values(0, -1)");
            }
            this.values = values.clone();
            return this;
        }

        /** Computes every layout with PadSequences. */
        public PadExplorer build() {
            return new PadExplorer(panels, values);
        }

        private static int longest(String label, int[][] sequences) {
            if (sequences == null) {
                throw new IllegalArgumentException("panel '" + label + "': sequences must not be null");
            }
            int m = 0;
            for (int i = 0; i < sequences.length; i++) {
                if (sequences[i] == null) {
                    throw new IllegalArgumentException("panel '" + label + "': sequences[" + i + "] is null");
                }
                m = Math.max(m, sequences[i].length);
            }
            return m;
        }

        private static int[][] copy(int[][] s) {
            int[][] c = new int[s.length][];
            for (int i = 0; i < s.length; i++) {
                c[i] = s[i].clone();
            }
            return c;
        }
    }
}
