package rnnlab.notebook;

import rnnlab.display.Displayable;
import rnnlab.display.Html;
import rnnlab.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The table every report notebook ends with: each number, printout and conclusion of the report,
 * beside the recorded full-mode run of the notebook and this run. Exact values (printed arrays,
 * parameter counts) are marked identical or differs; measured values show their difference from the
 * report's; conclusions (the report's qualitative findings) hold or fail on this run's evidence.
 *
 * <pre>{@code
 * Reproduction.of("05-simplernn-imdb", "Report 002")
 *     .exact("Total params", 322_113, model.countParams())
 *     .measured("best val_acc", 0.8558, history.best("val_accuracy"), "%.4f")
 *     .conclusion("the SimpleRNN learns", "val_acc 0.86 (chance 0.50)",
 *                 String.format("best val_acc %.3f", best), best > 0.6)
 *     .build()
 * }</pre>
 *
 * <p>{@link Builder#build()} also leaves the run's rows for the notebook runner (in
 * {@code $RNNLAB_RUN_DIR/<notebook>.rows.json}, when the runner sets that variable) and, in full
 * mode, records the run as the notebook's full-run record ({@link FullRun}) that later quick runs
 * show in their "recorded full run" column.
 */
public final class Reproduction implements Displayable {

    /** What a row compares, which decides its verdict. JSON names are the lower-case names. */
    public enum Kind {
        /** A value that must reproduce exactly: verdict {@code identical} or {@code differs}. */
        EXACT,
        /** A measured number: the verdict is its difference from the report's ({@code Δ +0.0123}). */
        NUMBER,
        /** One of the report's qualitative findings: verdict {@code holds} or {@code fails}. */
        CONCLUSION,
        /** A value compared in words (the verdict is a sentence). */
        REMARK;

        /** The JSON name: {@code exact}, {@code number}, {@code conclusion}, {@code remark}. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a JSON name (any case); anything else is an error naming the four. */
        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.json().equalsIgnoreCase(text == null ? "" : text.trim())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("row kind is '" + text + "'; allowed: exact, number, conclusion, remark");
        }
    }

    /**
     * One compared quantity: the report's value, the recorded full run's ({@code null} when the record
     * has no row of this quantity or there is no record; shown as "—"), this run's and the verdict.
     */
    public record Row(String quantity, Kind kind, String report, String recordedFullRun, String thisRun, String verdict) {
        public Row {
            Objects.requireNonNull(quantity, "quantity");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(thisRun, "thisRun");
            Objects.requireNonNull(verdict, "verdict");
        }

        /** This row with the recorded full run's value. */
        Row withRecorded(String recorded) {
            return new Row(quantity, kind, report, recorded, thisRun, verdict);
        }

        /** The recorded full run's value, or "—" when there is none. */
        public String recordedOrDash() {
            return recordedFullRun == null ? "—" : recordedFullRun;
        }

        /** True for an exact row that differs or a conclusion that fails: what fails a quick-mode run. */
        public boolean failed() {
            return kind == Kind.EXACT && verdict.equals("differs") || kind == Kind.CONCLUSION && verdict.equals("fails");
        }

        /** True for an exact row that is identical or a conclusion that holds. */
        public boolean passed() {
            return kind == Kind.EXACT && verdict.equals("identical") || kind == Kind.CONCLUSION && verdict.equals("holds");
        }
    }

    private static final String GREEN = "#e6f4ea";
    private static final String RED = "#fde8e8";

    private final String notebook;
    private final String title;
    private final Lab.Mode mode;
    private final List<Row> rows;
    private final List<String> notes;

    private Reproduction(String notebook, String title, Lab.Mode mode, List<Row> rows, List<String> notes) {
        this.notebook = notebook;
        this.title = title;
        this.mode = mode;
        this.rows = List.copyOf(rows);
        this.notes = List.copyOf(notes);
    }

    /**
     * Starts the table of the named notebook ({@code "05-simplernn-imdb"}: its recorded full run is
     * read from, and in full mode written to, {@code notebooks/full-run/05-simplernn-imdb/}).
     */
    public static Builder of(String notebook, String title) {
        if (notebook == null || notebook.isBlank()) {
            throw new IllegalArgumentException("notebook is empty; give the notebook's file name without .ipynb, "
                    + "e.g. \"05-simplernn-imdb\"");
        }
        return new Builder(notebook.trim(), title);
    }

    /**
     * Starts a table for the named report; the notebook is the one the runner names in
     * {@code RNNLAB_NOTEBOOK}, or none (then there is no recorded full run and nothing is written).
     */
    public static Builder of(String title) {
        return new Builder(Lab.setting("rnnlab.notebook", "RNNLAB_NOTEBOOK"), title);
    }

    /** The notebook this table belongs to, if known. */
    public Optional<String> notebook() {
        return Optional.ofNullable(notebook);
    }

    /** The report's name given to {@link #of}. */
    public String title() {
        return title;
    }

    /** The mode of the run that built this table. */
    public Lab.Mode mode() {
        return mode;
    }

    /** The rows, in the order added. */
    public List<Row> rows() {
        return rows;
    }

    /** The notes printed under the table (given ones, then the record's). */
    public List<String> notes() {
        return notes;
    }

    /** How many exact rows differ from the report. */
    public long differences() {
        return rows.stream().filter(r -> r.kind() == Kind.EXACT && r.verdict().equals("differs")).count();
    }

    /** The rows that fail a quick-mode run: exact rows that differ and conclusions that fail. */
    public List<Row> failures() {
        return rows.stream().filter(Row::failed).toList();
    }

    /** The comparison as a Tablesaw table (quantity, kind, report, recorded full run, this run, verdict). */
    public Table toTable() {
        Table t = Table.create(caption());
        t.addColumns(StringColumn.create("quantity"), StringColumn.create("kind"), StringColumn.create("report"),
                StringColumn.create("recorded full run"), StringColumn.create("this run"), StringColumn.create("verdict"));
        for (Row r : rows) {
            t.stringColumn(0).append(r.quantity());
            t.stringColumn(1).append(r.kind().json());
            t.stringColumn(2).append(r.report());
            t.stringColumn(3).append(r.recordedOrDash());
            t.stringColumn(4).append(r.thisRun());
            t.stringColumn(5).append(r.verdict());
        }
        return t;
    }

    private String caption() {
        return title + " — reproduction (" + mode + " mode)";
    }

    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/plain", toString());
        StringBuilder b = new StringBuilder();
        b.append("<table style=\"border-collapse:collapse\"><caption style=\"caption-side:top;text-align:left;"
                + "font-weight:bold\">").append(Html.escape(caption())).append("</caption><thead><tr>");
        for (String h : List.of("quantity", "report", "recorded full run", "this run (" + mode + ")", "verdict")) {
            b.append("<th style=\"text-align:left;padding:2px 8px;border-bottom:1px solid #999\">")
                    .append(Html.escape(h)).append("</th>");
        }
        b.append("</tr></thead><tbody>");
        for (Row r : rows) {
            String colour = r.passed() ? GREEN : r.failed() ? RED : "transparent";
            b.append("<tr style=\"background:").append(colour).append("\">");
            String quantity = r.kind() == Kind.CONCLUSION ? "conclusion: " + r.quantity() : r.quantity();
            for (String v : List.of(quantity, r.report(), r.recordedOrDash(), r.thisRun(), r.verdict())) {
                b.append("<td style=\"padding:2px 8px;vertical-align:top\"><pre style=\"margin:0;white-space:pre-wrap\">")
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

    /**
     * One line per row: {@code - quantity: report R | this run T | verdict | recorded full run F}
     * (conclusions start {@code - conclusion: }), then the notes.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(caption()).append('\n');
        for (Row r : rows) {
            b.append("- ").append(r.kind() == Kind.CONCLUSION ? "conclusion: " : "").append(r.quantity())
                    .append(": report ").append(oneLine(r.report()))
                    .append(" | this run ").append(oneLine(r.thisRun())).append(" | ").append(r.verdict())
                    .append(" | recorded full run ").append(oneLine(r.recordedOrDash())).append('\n');
        }
        for (String n : notes) {
            b.append("Note: ").append(n).append('\n');
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return s.replace("\n", " ");
    }

    /** The rows as the JSON the runner reads (quantity, kind, report, recorded_full_run, this_run, verdict). */
    static ArrayNode rowsJson(List<Row> rows, boolean withRecorded) {
        ArrayNode a = FullRun.JSON.createArrayNode();
        for (Row r : rows) {
            ObjectNode o = a.addObject();
            o.put("quantity", r.quantity());
            o.put("kind", r.kind().json());
            o.put("report", r.report());
            if (withRecorded) {
                o.put("recorded_full_run", r.recordedFullRun());
            }
            o.put("this_run", r.thisRun());
            o.put("verdict", r.verdict());
        }
        return a;
    }

    /** Collects rows; {@link #build()} makes the immutable table and writes the run's records. */
    public static final class Builder {
        private final String notebook;
        private final String title;
        private final List<Row> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private String repeatability;

        private Builder(String notebook, String title) {
            if (title == null || title.isBlank()) {
                throw new IllegalArgumentException("title is empty; name the report, e.g. \"Report 003 §2.1\"");
            }
            this.notebook = notebook == null || notebook.isBlank() ? null : notebook.trim();
            this.title = title;
        }

        /** A value that must reproduce exactly (a printout, a parameter count, a shape). */
        public Builder exact(String quantity, String report, String thisRun) {
            Objects.requireNonNull(report, "report");
            Objects.requireNonNull(thisRun, "thisRun");
            rows.add(new Row(quantity, Kind.EXACT, report, null, thisRun, report.equals(thisRun) ? "identical" : "differs"));
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
            rows.add(new Row(quantity, Kind.NUMBER, r, null, t, d));
            return this;
        }

        /** A row whose comparison is a sentence (for example where the report is ambiguous). */
        public Builder remark(String quantity, String report, String thisRun, String remark) {
            rows.add(new Row(quantity, Kind.REMARK, Objects.requireNonNull(report, "report"), null,
                    Objects.requireNonNull(thisRun, "thisRun"), Objects.requireNonNull(remark, "remark")));
            return this;
        }

        /**
         * One of the report's findings, checked on this run: {@code finding} states it ("LSTM beats the
         * RNN on test accuracy"), {@code reportSays} gives the report's evidence ("0.885 vs 0.655"),
         * {@code thisRunEvidence} this run's ("0.812 vs 0.604, margin 0.21 ≥ 0.05"), and {@code holds}
         * is the check, with a margin rather than a coin flip. A failing conclusion fails a quick-mode run.
         */
        public Builder conclusion(String finding, String reportSays, String thisRunEvidence, boolean holds) {
            if (finding == null || finding.isBlank()) {
                throw new IllegalArgumentException("finding is empty; state the report's conclusion, "
                        + "e.g. \"the LSTM beats the RNN on test accuracy\"");
            }
            rows.add(new Row(finding, Kind.CONCLUSION, Objects.requireNonNull(reportSays, "reportSays"), null,
                    Objects.requireNonNull(thisRunEvidence, "thisRunEvidence"), holds ? "holds" : "fails"));
            return this;
        }

        /** A note printed under the table. */
        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        /**
         * Says, in the full-run record, whether a full run repeats bit for bit (for example after two
         * full runs at the same commit). Without it the record compares itself with the previous
         * record when that one was made at the same commit on the same kind of machine.
         */
        public Builder repeatability(String text) {
            this.repeatability = text;
            return this;
        }

        /**
         * The table, with the recorded full run's values beside this run's. Also writes, atomically:
         * the rows for the runner ({@code $RNNLAB_RUN_DIR/<notebook>.rows.json}) when that variable is
         * set, and in full mode the notebook's full-run record (not when {@code RNNLAB_SEED} is set).
         * A notebook has one table: building a second one replaces the first's rows and record.
         *
         * @throws UncheckedIOException if a record cannot be written (the table's values are in the message's notebook)
         */
        public Reproduction build() {
            Lab.Mode mode = Lab.mode();
            List<String> allNotes = new ArrayList<>(notes);
            Optional<FullRun> record;
            try {
                record = notebook == null ? Optional.empty() : FullRun.load(notebook);
            } catch (FullRun.BadRecordException e) {
                if (mode != Lab.Mode.FULL) {
                    throw e;
                }
                record = Optional.empty();   // a full run replaces a broken record
                allNotes.add("The previous full-run record could not be read and is replaced by this run: " + e.getMessage());
            }
            List<Row> withRecord = new ArrayList<>();
            for (Row r : rows) {
                withRecord.add(r.withRecorded(record.flatMap(f -> f.recordedValue(r.quantity())).orElse(null)));
            }
            if (notebook == null) {
                allNotes.add("No recorded full run: this table is not tied to a notebook "
                        + "(name it with Reproduction.of(notebook, title)).");
            } else if (record.isEmpty()) {
                allNotes.add("No recorded full run yet: `" + FullRun.command(notebook) + "` records one.");
            } else {
                allNotes.add("Recorded full run: " + record.get().describe() + ".");
            }
            if (notebook != null && mode == Lab.Mode.FULL) {
                if (Lab.setting("rnnlab.seed", "RNNLAB_SEED") != null) {
                    allNotes.add("RNNLAB_SEED is set, so this full run is not recorded as the notebook's full-run record "
                            + "(that record is of the notebook's own seed).");
                } else {
                    try {
                        FullRun written = FullRun.write(notebook, title, withRecord, record, repeatability);
                        allNotes.add("This run is now the recorded full run (" + FullRun.recordFile(notebook)
                                + (written.epochsOverride() != null ? "; " + FullRun.epochsCaveat(written.epochsOverride()) : "")
                                + ").");
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write the full-run record of " + notebook + " in "
                                + FullRun.folder(notebook) + ": " + e.getMessage()
                                + "; set RNNLAB_FULL_RUN_DIR to a writable folder and run the notebook again", e);
                    }
                }
            }
            Reproduction table = new Reproduction(notebook, title, mode, withRecord, allNotes);
            String runDir = Lab.setting("rnnlab.runDir", "RNNLAB_RUN_DIR");
            if (runDir != null && notebook != null) {
                Path file = Path.of(runDir).resolve(notebook + ".rows.json");
                ObjectNode o = FullRun.JSON.createObjectNode();
                o.put("notebook", notebook);
                o.put("title", title);
                o.put("mode", mode.toString());
                o.set("rows", rowsJson(withRecord, true));
                try {
                    FullRun.writeAtomically(file, FullRun.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write the reproduction rows for the runner to " + file + ": "
                            + e.getMessage() + " (RNNLAB_RUN_DIR is set by environment/run_notebooks.py)", e);
                }
            }
            return table;
        }
    }
}
