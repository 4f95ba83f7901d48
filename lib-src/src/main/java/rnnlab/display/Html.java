package rnnlab.display;

import java.util.Locale;

import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Small HTML helpers for notebook output: escaping, and a Tablesaw {@link Table} as an HTML table
 * in the style of a pandas DataFrame's notebook view (index-free, numbers right-aligned).
 */
public final class Html {

    private Html() {
    }

    /** Escapes text for HTML element content and attribute values. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Text wrapped in a {@code <pre>} block, escaped. */
    public static String pre(String text) {
        return "<pre>" + escape(text) + "</pre>";
    }

    /**
     * A table as HTML: a caption with its name, a header row and at most {@code maxRows} rows (the
     * first and last halves, with an ellipsis row between, as pandas does).
     */
    public static String table(Table t, int maxRows) {
        if (maxRows < 2) {
            throw new IllegalArgumentException("maxRows is " + maxRows + "; it must be at least 2");
        }
        StringBuilder b = new StringBuilder();
        b.append("<table class=\"rnnlab-table\" style=\"border-collapse:collapse\">");
        if (t.name() != null && !t.name().isBlank()) {
            b.append("<caption style=\"caption-side:top;text-align:left;font-weight:bold\">")
                    .append(escape(t.name())).append("</caption>");
        }
        b.append("<thead><tr>");
        for (Column<?> c : t.columns()) {
            b.append("<th style=\"text-align:right;padding:2px 8px;border-bottom:1px solid #999\">")
                    .append(escape(c.name())).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        int n = t.rowCount();
        int head = n <= maxRows ? n : maxRows / 2;
        int tailStart = n <= maxRows ? n : n - (maxRows - head);
        for (int r = 0; r < n; r++) {
            if (r == head && head < tailStart) {
                b.append("<tr><td colspan=\"").append(t.columnCount())
                        .append("\" style=\"text-align:center\">…</td></tr>");
                r = tailStart - 1;
                continue;
            }
            b.append("<tr>");
            for (Column<?> c : t.columns()) {
                boolean numeric = c.type().name().matches("(?i)double|float|integer|long|short");
                b.append("<td style=\"padding:2px 8px;text-align:").append(numeric ? "right" : "left")
                        .append("\">").append(escape(c.getString(r))).append("</td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        if (n > maxRows) {
            b.append(String.format(Locale.ROOT, "<p>%d rows × %d columns</p>", n, t.columnCount()));
        }
        return b.toString();
    }
}
