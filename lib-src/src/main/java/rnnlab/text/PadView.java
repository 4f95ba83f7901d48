package rnnlab.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import rnnlab.display.Displayable;

/**
 * Step-through view of {@code tf.keras.preprocessing.sequence.pad_sequences}: each sequence before
 * and after padding/truncation, side by side, with the elements cut off and the padding cells
 * marked (red strike-through and grey in the notebook; {@code ~x~} and {@code (v)} in plain text),
 * a legend, the options used and the result's shape. Change {@code maxlen}/{@code padding}/
 * {@code truncating} in the cell and re-run to see the effect:
 * <pre>{@code
 * PadView.of(new int[][]{{1, 2, 3, 9}, {4, 5, 6}, {7, 8}}, PadSequences.builder().maxlen(2).build())
 * }</pre>
 * The marking comes from {@link PadSequences#plan}, the same plan {@link PadSequences#apply(int[][])}
 * executes, so the view cannot disagree with the result. Long rows are elided in the middle and
 * only the first {@value #MAX_ROWS} rows are drawn. Hand-written HTML (no library draws this).
 */
public final class PadView implements Displayable {

    /** Rows drawn at most. */
    public static final int MAX_ROWS = 20;
    /** Cells drawn per row at most; longer rows show their head and tail around an ellipsis. */
    public static final int MAX_CELLS = 24;

    private enum Kind { KEPT, CUT, PAD, GAP }

    private record Cell(String text, Kind kind) {
    }

    private final int[][] sequences;
    private final PadSequences options;
    private final int[][] result;
    private final List<PadSequences.RowPlan> plans;

    private PadView(int[][] sequences, PadSequences options) {
        if (options == null) {
            throw new IllegalArgumentException("options must not be null; use PadSequences.defaults() for the Keras defaults");
        }
        this.result = options.apply(sequences); // validates sequences
        this.sequences = sequences;
        this.options = options;
        int m = sequences.length == 0 ? options.maxlen() : result[0].length;
        this.plans = new ArrayList<>();
        for (int i = 0; i < sequences.length; i++) {
            plans.add(options.plan(sequences[i].length, m, i));
        }
    }

    /** The view of {@code pad_sequences(sequences, **options)}. */
    public static PadView of(int[][] sequences, PadSequences options) {
        return new PadView(sequences, options);
    }

    /** The view with the Keras defaults ({@code padding='pre', truncating='pre'}, longest length). */
    public static PadView of(int[][] sequences) {
        return new PadView(sequences, PadSequences.defaults());
    }

    /** The padded result shown on the right, {@code int[n][maxlen]}. */
    public int[][] result() {
        int[][] copy = new int[result.length][];
        for (int i = 0; i < result.length; i++) {
            copy[i] = result[i].clone();
        }
        return copy;
    }

    /** The options shown. */
    public PadSequences options() {
        return options;
    }

    private int width() {
        return result.length == 0 ? options.maxlen() : result[0].length;
    }

    private List<Cell> before(int i) {
        PadSequences.RowPlan p = plans.get(i);
        List<Cell> cells = new ArrayList<>();
        for (int j = 0; j < sequences[i].length; j++) {
            boolean cut = j < p.keepFrom() || j >= p.keepTo();
            cells.add(new Cell(Integer.toString(sequences[i][j]), cut ? Kind.CUT : Kind.KEPT));
        }
        return elide(cells);
    }

    private List<Cell> after(int i) {
        PadSequences.RowPlan p = plans.get(i);
        List<Cell> cells = new ArrayList<>();
        for (int j = 0; j < result[i].length; j++) {
            boolean pad = j < p.padBefore() || j >= result[i].length - p.padAfter();
            cells.add(new Cell(Integer.toString(result[i][j]), pad ? Kind.PAD : Kind.KEPT));
        }
        return elide(cells);
    }

    private static List<Cell> elide(List<Cell> cells) {
        if (cells.size() <= MAX_CELLS) {
            return cells;
        }
        int half = (MAX_CELLS - 1) / 2;
        List<Cell> out = new ArrayList<>(cells.subList(0, half));
        out.add(new Cell("…" + (cells.size() - 2 * half) + "…", Kind.GAP));
        out.addAll(cells.subList(cells.size() - half, cells.size()));
        return out;
    }

    private String title() {
        return options + " → shape (" + result.length + ", " + width() + ")";
    }

    // ------------------------------------------------------------------ plain text

    private static String plain(List<Cell> cells) {
        StringBuilder sb = new StringBuilder();
        for (Cell c : cells) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(switch (c.kind()) {
                case CUT -> "~" + c.text() + "~";
                case PAD -> "(" + c.text() + ")";
                default -> c.text();
            });
        }
        return sb.toString();
    }

    /** Plain-text rendering (what {@code text/plain} and {@link #toString()} show). */
    public String toText() {
        int rows = Math.min(sequences.length, MAX_ROWS);
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"row", "len", "before", "after"});
        for (int i = 0; i < rows; i++) {
            lines.add(new String[] {Integer.toString(i), Integer.toString(sequences[i].length), plain(before(i)), plain(after(i))});
        }
        int[] w = new int[4];
        for (String[] l : lines) {
            for (int k = 0; k < 4; k++) {
                w[k] = Math.max(w[k], l[k].length());
            }
        }
        StringBuilder sb = new StringBuilder(title()).append('\n');
        for (int r = 0; r < lines.size(); r++) {
            String[] l = lines.get(r);
            sb.append(pad(l[0], w[0])).append("  ").append(pad(l[1], w[1])).append("  ").append(pad(l[2], w[2]))
                    .append(r == 0 ? "    " : " -> ").append(l[3]).append('\n');
        }
        if (sequences.length > rows) {
            sb.append("... ").append(sequences.length - rows).append(" more rows\n");
        }
        sb.append("legend: ~x~ cut off by truncating=").append(options.truncating()).append("   (v) padding value ")
                .append(options.intValue()).append(" added by padding=").append(options.padding());
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    // ------------------------------------------------------------------ HTML

    private static final String CELL = "padding:2px 6px;border:1px solid #bbb;text-align:right;font-family:monospace;min-width:1.6em;";
    private static final String KEPT_STYLE = CELL + "background:#ffffff;color:#000;";
    private static final String CUT_STYLE = CELL + "background:#f8d7da;color:#a11;text-decoration:line-through;";
    private static final String PAD_STYLE = CELL + "background:#d9d9d9;color:#555;font-style:italic;";
    private static final String GAP_STYLE = CELL + "background:#fff;color:#888;border-style:dashed;";

    /** CSS of a kept cell, for other views that mark cells as this one does (e.g. {@code rnnlab.view.PadExplorer}). */
    public static final String KEPT_CELL_CSS = KEPT_STYLE;
    /** CSS of a cell cut off by truncation (red, struck through). */
    public static final String CUT_CELL_CSS = CUT_STYLE;
    /** CSS of a padding cell (grey, italic). */
    public static final String PAD_CELL_CSS = PAD_STYLE;
    /** CSS of an elision cell. */
    public static final String GAP_CELL_CSS = GAP_STYLE;

    private static String style(Kind k) {
        return switch (k) {
            case KEPT -> KEPT_STYLE;
            case CUT -> CUT_STYLE;
            case PAD -> PAD_STYLE;
            case GAP -> GAP_STYLE;
        };
    }

    private static String cellsHtml(List<Cell> cells) {
        StringBuilder sb = new StringBuilder("<table style=\"border-collapse:collapse;display:inline-table\"><tr>");
        if (cells.isEmpty()) {
            sb.append("<td style=\"").append(GAP_STYLE).append("\">(empty)</td>");
        }
        for (Cell c : cells) {
            sb.append("<td style=\"").append(style(c.kind())).append("\" title=\"").append(c.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .append("\">").append(esc(c.text())).append("</td>");
        }
        return sb.append("</tr></table>").toString();
    }

    /** HTML rendering (what {@code text/html} shows in Jupyter). */
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<div class=\"rnnlab-padview\">");
        sb.append("<div style=\"font-family:monospace;margin-bottom:4px\"><b>").append(esc(title())).append("</b></div>");
        sb.append("<table style=\"border-collapse:collapse\"><thead><tr>")
                .append("<th style=\"padding:2px 8px\">row</th><th style=\"padding:2px 8px\">len</th>")
                .append("<th style=\"padding:2px 8px;text-align:left\">before</th><th></th>")
                .append("<th style=\"padding:2px 8px;text-align:left\">after</th></tr></thead><tbody>");
        int rows = Math.min(sequences.length, MAX_ROWS);
        for (int i = 0; i < rows; i++) {
            sb.append("<tr><td style=\"padding:2px 8px;text-align:right\">").append(i).append("</td>")
                    .append("<td style=\"padding:2px 8px;text-align:right\">").append(sequences[i].length).append("</td>")
                    .append("<td style=\"padding:2px 8px\">").append(cellsHtml(before(i))).append("</td>")
                    .append("<td style=\"padding:2px 4px\">&rarr;</td>")
                    .append("<td style=\"padding:2px 8px\">").append(cellsHtml(after(i))).append("</td></tr>");
        }
        sb.append("</tbody></table>");
        if (sequences.length > rows) {
            sb.append("<div style=\"font-family:monospace\">… ").append(sequences.length - rows).append(" more rows</div>");
        }
        sb.append("<div style=\"margin-top:4px;font-size:90%\">legend: ")
                .append("<span style=\"").append(KEPT_STYLE).append("\">x</span> kept &nbsp; ")
                .append("<span style=\"").append(CUT_STYLE).append("\">x</span> cut off by truncating=")
                .append(esc(options.truncating().toString())).append(" &nbsp; ")
                .append("<span style=\"").append(PAD_STYLE).append("\">").append(options.intValue())
                .append("</span> padding added by padding=").append(esc(options.padding().toString()))
                .append("</div></div>");
        return sb.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    @Override
    public Map<String, String> mimeBundle() {
        return Displayable.textAndHtml(toText(), toHtml());
    }

    @Override
    public String toString() {
        return toText();
    }
}
