package rnnlab.plot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import rnnlab.data.AtomicFiles;
import rnnlab.display.Displayable;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import rnnlab.display.Html;

/**
 * A Tablesaw table shown as an HTML table in a notebook and saved as HTML or CSV: the counterpart of
 * displaying a pandas {@code DataFrame} (its {@code _repr_html_}) and {@code df.to_html()} /
 * {@code df.to_csv()}. Tablesaw 0.44 has no HTML writer, so the (small) HTML is written here.
 * Floating-point cells are shown with a fixed number of decimals; missing cells are empty.
 */
public final class TableView implements Displayable {

    private final Table table;
    private final int decimals;

    /** A view of {@code table} showing floating-point numbers with {@code decimals} decimals (0..12). */
    public TableView(Table table, int decimals) {
        this.table = Objects.requireNonNull(table, "table");
        if (decimals < 0 || decimals > 12) {
            throw new IllegalArgumentException("decimals is " + decimals + "; it must be in [0, 12]");
        }
        this.decimals = decimals;
    }

    /** The table shown. */
    public Table table() {
        return table;
    }

    /** The cell text as shown (numbers formatted, missing values empty). */
    public String cell(int row, int col) {
        Column<?> c = table.column(col);
        if (c.isMissing(row)) {
            return "";
        }
        Object v = c.get(row);
        if (v instanceof Double || v instanceof Float) {
            return String.format(Locale.ROOT, "%." + decimals + "f", ((Number) v).doubleValue());
        }
        return String.valueOf(v);
    }

    /** An HTML {@code <table>} (no page around it), with the table's name as caption. */
    public String toHtml() {
        StringBuilder sb = new StringBuilder("<table class=\"rnnlab-table\" style=\"border-collapse:collapse\">");
        if (table.name() != null && !table.name().isBlank()) {
            sb.append("<caption style=\"font-weight:bold;text-align:left\">")
                    .append(Html.escape(table.name())).append("</caption>");
        }
        sb.append("<thead><tr>");
        for (String n : table.columnNames()) {
            sb.append("<th style=\"border-bottom:1px solid #444;padding:2px 10px;text-align:right\">")
                    .append(Html.escape(n)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < table.rowCount(); r++) {
            sb.append("<tr>");
            for (int c = 0; c < table.columnCount(); c++) {
                boolean numeric = table.column(c).type().name().matches("DOUBLE|FLOAT|INTEGER|LONG|SHORT");
                sb.append("<td style=\"padding:2px 10px;text-align:").append(numeric ? "right" : "left")
                        .append("\">").append(Html.escape(cell(r, c))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</tbody></table>").toString();
    }

    /** {@code text/plain} (Tablesaw's printout) and {@code text/html}. */
    @Override
    public Map<String, String> mimeBundle() {
        return Displayable.textAndHtml(toString(), toHtml());
    }

    /**
     * Saves as {@code .html} (a UTF-8 page holding the table) or {@code .csv} (Tablesaw's CSV writer,
     * unformatted values); returns the path.
     */
    public Path save(Path path) {
        Objects.requireNonNull(path, "path");
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            if (name.endsWith(".html") || name.endsWith(".htm")) {
                AtomicFiles.write(path, ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>"
                        + Html.escape(table.name() == null ? "table" : table.name())
                        + "</title></head><body style=\"font-family:" + Figures.FONT_FAMILY + "\">\n" + toHtml()
                        + "\n</body></html>\n").getBytes(StandardCharsets.UTF_8));
            } else if (name.endsWith(".csv")) {
                table.write().csv(path.toFile());
            } else {
                throw new IllegalArgumentException("cannot save a table as '" + path.getFileName()
                        + "': the extension must be .html, .htm or .csv");
            }
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save table to " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The plain-text view (what a terminal, a log or nbconvert's text output shows): the table's
     * name, then right-aligned columns of the cells as {@link #cell(int, int)} shows them, so the
     * decimals are the same as in the HTML view.
     */
    @Override
    public String toString() {
        int cols = table.columnCount(), rows = table.rowCount();
        int[] width = new int[cols];
        String[][] text = new String[rows + 1][cols];
        for (int c = 0; c < cols; c++) {
            text[0][c] = table.column(c).name();
            for (int r = 0; r < rows; r++) {
                text[r + 1][c] = cell(r, c);
            }
            for (String[] line : text) {
                width[c] = Math.max(width[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        if (table.name() != null && !table.name().isBlank()) {
            sb.append(table.name()).append('\n');
        }
        for (int r = 0; r <= rows; r++) {
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : "  ").append(" ".repeat(width[c] - text[r][c].length())).append(text[r][c]);
            }
            sb.append('\n');
            if (r == 0) {
                for (int c = 0; c < cols; c++) {
                    sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
