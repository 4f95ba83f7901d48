package rnnlab.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The table every report notebook ends with: each number or printout the report gives, beside this
 * run's, with the mode the run was in. Exact values (printed arrays, parameter counts) are marked
 * identical or different; measured values (accuracies, losses) show the difference, since a
 * quick-mode run on samples is not expected to match a full-size run.
 *
 * <pre>{@code
 * Reproduction.of("Report 003 §2.1–2.2")
 *     .exact("pad_sequences(s, padding='post')", "[[1 0 0]\n [2 3 0]\n [4 5 6]]", NdFormat.numpy(a))
 *     .measured("test accuracy", 0.8372, history.get("val_accuracy").last(), "%.4f")
 *     .build()
 * }</pre>
 */
public final class Reproduction implements Displayable {

    /** One compared quantity. */
    public record Row(String quantity, String report, String thisRun, String verdict) {
        public Row {
            Objects.requireNonNull(quantity, "quantity");
        }
    }

    private final String title;
    private final Lab.Mode mode;
    private final List<Row> rows;
    private final List<String> notes;

    private Reproduction(String title, Lab.Mode mode, List<Row> rows, List<String> notes) {
        this.title = title;
        this.mode = mode;
        this.rows = List.copyOf(rows);
        this.notes = List.copyOf(notes);
    }

    /** Starts a table for the named report; the mode is the current {@link Lab#mode()}. */
    public static Builder of(String title) {
        return new Builder(title);
    }

    /** The rows, in the order added. */
    public List<Row> rows() {
        return rows;
    }

    /** How many exact rows differ from the report. */
    public long differences() {
        return rows.stream().filter(r -> r.verdict().startsWith("differs")).count();
    }

    /** The comparison as a Tablesaw table (columns quantity, report, this run, verdict, mode). */
    public Table toTable() {
        Table t = Table.create(title + " — reproduction (" + mode + " mode)");
        t.addColumns(StringColumn.create("quantity"), StringColumn.create("report"),
                StringColumn.create("this run"), StringColumn.create("verdict"), StringColumn.create("mode"));
        for (Row r : rows) {
            t.stringColumn(0).append(r.quantity());
            t.stringColumn(1).append(r.report());
            t.stringColumn(2).append(r.thisRun());
            t.stringColumn(3).append(r.verdict());
            t.stringColumn(4).append(mode.toString());
        }
        return t;
    }

    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/plain", toString());
        StringBuilder b = new StringBuilder();
        b.append("<table style=\"border-collapse:collapse\"><caption style=\"caption-side:top;text-align:left;"
                + "font-weight:bold\">").append(Html.escape(title)).append(" — reproduction (")
                .append(mode).append(" mode)</caption><thead><tr>");
        for (String h : List.of("quantity", "report", "this run", "verdict")) {
            b.append("<th style=\"text-align:left;padding:2px 8px;border-bottom:1px solid #999\">")
                    .append(h).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (Row r : rows) {
            String colour = r.verdict().startsWith("identical") ? "#e6f4ea"
                    : r.verdict().startsWith("differs") ? "#fde8e8" : "transparent";
            b.append("<tr style=\"background:").append(colour).append("\">");
            for (String v : List.of(r.quantity(), r.report(), r.thisRun(), r.verdict())) {
                b.append("<td style=\"padding:2px 8px;vertical-align:top\"><pre style=\"margin:0\">")
                        .append(Html.escape(v)).append("</pre></td>");
            }
            b.append("</tr>");
        }
        b.append("</tbody></table>");
        for (String n : notes) {
            b.append("<p>").append(Html.escape(n)).append("</p>");
        }
        m.put("text/html", b.toString());
        return m;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(title).append(" — reproduction (").append(mode).append(" mode)\n");
        for (Row r : rows) {
            b.append("- ").append(r.quantity()).append(": report ").append(r.report().replace("\n", " "))
                    .append(" | this run ").append(r.thisRun().replace("\n", " ")).append(" | ")
                    .append(r.verdict()).append('\n');
        }
        for (String n : notes) {
            b.append("Note: ").append(n).append('\n');
        }
        return b.toString();
    }

    /** Collects rows; {@link #build()} makes the immutable table. */
    public static final class Builder {
        private final String title;
        private final List<Row> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder(String title) {
            if (title == null || title.isBlank()) {
                throw new IllegalArgumentException("title is empty; name the report, e.g. \"Report 003 §2.1\"");
            }
            this.title = title;
        }

        /** A value that must reproduce exactly (a printout, a parameter count, a shape). */
        public Builder exact(String quantity, String report, String thisRun) {
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(thisRun, "thisRun");
            rows.add(new Row(quantity, report, thisRun, report.equals(thisRun) ? "identical" : "differs"));
            return this;
        }

        /** {@link #exact(String, String, String)} for whole numbers, shown with thousands separators. */
        public Builder exact(String quantity, long report, long thisRun) {
            return exact(quantity, String.format(Locale.ROOT, "%,d", report), String.format(Locale.ROOT, "%,d", thisRun));
        }

        /** A measured value (accuracy, loss, seconds), shown with its difference from the report's. */
        public Builder measured(String quantity, double report, double thisRun, String format) {
            String r = String.format(Locale.ROOT, format, report);
            String t = String.format(Locale.ROOT, format, thisRun);
            String d = String.format(Locale.ROOT, "Δ " + format.replace("%", "%+"), thisRun - report);
            rows.add(new Row(quantity, r, t, d));
            return this;
        }

        /** A row whose comparison is a sentence (for example where the report is ambiguous). */
        public Builder remark(String quantity, String report, String thisRun, String remark) {
            rows.add(new Row(quantity, report, thisRun, remark));
            return this;
        }

        /** A note printed under the table. */
        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public Reproduction build() {
            return new Reproduction(title, Lab.mode(), rows, notes);
        }
    }
}
