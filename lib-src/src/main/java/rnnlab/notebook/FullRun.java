package rnnlab.notebook;

import rnnlab.display.Displayable;
import rnnlab.display.Html;
import rnnlab.lab.Lab;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import rnnlab.data.AtomicFiles;

/**
 * The committed record of a notebook's latest full-mode run: what the report's full settings gave on
 * this project, with the date, commit, machine, wall time and figures, so a quick run (and
 * REPRODUCTION.md) can show the real numbers and curves beside its own. Plays the part of the
 * "expected output" a tutorial prints under each cell, but machine-readable and rewritten by the
 * full run itself.
 *
 * <p>One folder per notebook, {@code notebooks/full-run/<notebook>/} (the root can be moved with
 * {@code RNNLAB_FULL_RUN_DIR} / {@code -Drnnlab.fullRunDir}): {@code record.json} and the PNG figures
 * the run saved. {@link Reproduction.Builder#build()} writes it in full mode; {@link #load(String)}
 * reads it; {@link #figures(String)} shows its figures in a notebook.
 *
 * @param notebook       the notebook's file name without {@code .ipynb}, e.g. {@code 05-simplernn-imdb}
 * @param title          the reproduction table's title
 * @param mode           always {@code full}
 * @param date           when the record was written (ISO-8601, UTC)
 * @param commit         the project's git commit ({@code -dirty} when tracked files other than the
 *                       records and REPRODUCTION.md were modified), or {@code unknown}
 * @param machine        the machine it ran on
 * @param seconds        wall time of the notebook: kernel start to the reproduction table
 * @param epochsOverride the {@code RNNLAB_EPOCHS} override the run had (full data, fewer epochs), or {@code null}
 * @param rows           the reproduction table's rows (their {@code recordedFullRun} is {@code null})
 * @param figureFiles    the PNG files in the record's folder
 * @param repeatability  whether a full run repeats bit for bit, in words, or {@code null}
 */
public record FullRun(String notebook, String title, String mode, String date, String commit, Machine machine,
                      double seconds, Integer epochsOverride, List<Reproduction.Row> rows, List<String> figureFiles,
                      String repeatability) {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The file name of the record in a notebook's folder. */
    public static final String RECORD = "record.json";

    /** The machine a run was made on (cores the JVM saw, CPU model, memory, OS, Java). */
    public record Machine(int cores, String cpu, double memoryGb, String os, String java) {
        public Machine {
            Objects.requireNonNull(cpu, "cpu");
            Objects.requireNonNull(os, "os");
            Objects.requireNonNull(java, "java");
        }

        /** This machine. */
        public static Machine current() {
            double gb = Double.NaN;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                gb = Math.round(os.getTotalMemorySize() / 1e9 * 10) / 10.0;
            }
            return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(), gb,
                    System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        }

        @Override
        public String toString() {
            return cores + " cores (" + cpu + "), " + (Double.isNaN(memoryGb) ? "?" : String.format(Locale.ROOT, "%.1f", memoryGb)) + " GB, " + os + ", " + java;
        }
    }

    /** A record file that exists but cannot be read: names the file, the reason and the way out. */
    public static final class BadRecordException extends IllegalArgumentException {
        private final transient Path file;

        BadRecordException(Path file, String notebook, String reason, Throwable cause) {
            super("bad full-run record " + file + ": " + reason + "; regenerate it with `" + command(notebook)
                    + "` or restore the committed one with `git checkout -- " + file + "`", cause);
            this.file = file;
        }

        /** The rejected file. */
        public Path file() {
            return file;
        }
    }

    /** Checks the record's fields and copies its lists. */
    public FullRun {
        Objects.requireNonNull(notebook, "notebook");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(machine, "machine");
        if (epochsOverride != null && epochsOverride < 1) {
            throw new IllegalArgumentException("epochsOverride must be >= 1 or null, got " + epochsOverride);
        }
        rows = List.copyOf(rows);
        figureFiles = List.copyOf(figureFiles);
    }

    // ---------------------------------------------------------------- where records live

    /** The folder holding every notebook's record: {@code RNNLAB_FULL_RUN_DIR}, default {@code <project>/notebooks/full-run}. */
    public static Path root() {
        String v = Lab.setting("rnnlab.fullRunDir", "RNNLAB_FULL_RUN_DIR");
        return (v != null ? Path.of(v) : Lab.projectDir().resolve("notebooks").resolve("full-run")).toAbsolutePath().normalize();
    }

    /** One notebook's record folder. */
    public static Path folder(String notebook) {
        return root().resolve(checkName(notebook));
    }

    /** One notebook's {@code record.json}. */
    public static Path recordFile(String notebook) {
        return folder(notebook).resolve(RECORD);
    }

    /** The command that (re)makes a notebook's record: {@code RNNLAB_MODE=full environment/lab run 05}. */
    public static String command(String notebook) {
        String n = notebook == null ? "NN" : notebook;
        int dash = n.indexOf('-');
        return "RNNLAB_MODE=full environment/lab run " + (dash > 0 ? n.substring(0, dash) : n);
    }

    /** How every display states an epochs override. */
    static String epochsCaveat(int epochs) {
        return "full data, " + epochs + " epochs instead of the report's (RNNLAB_EPOCHS)";
    }

    private static String checkName(String notebook) {
        if (notebook == null || notebook.isBlank() || notebook.contains("/") || notebook.contains("\\")
                || notebook.startsWith(".")) {
            throw new IllegalArgumentException("notebook name is '" + notebook
                    + "'; give the notebook's file name without .ipynb, e.g. \"05-simplernn-imdb\"");
        }
        return notebook;
    }

    // ---------------------------------------------------------------- reading

    /** The notebook's record, or empty when none is recorded yet. */
    public static Optional<FullRun> load(String notebook) {
        Path file = recordFile(notebook);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        FullRun run = read(file, notebook);
        if (!run.notebook().equals(notebook)) {
            throw new BadRecordException(file, notebook, "it is the record of notebook '" + run.notebook()
                    + "', not of '" + notebook + "'", null);
        }
        return Optional.of(run);
    }

    /** Reads a record file. */
    public static FullRun read(Path file) {
        return read(file, file.getParent() == null ? null : String.valueOf(file.getParent().getFileName()));
    }

    private static FullRun read(Path file, String notebook) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new BadRecordException(file, notebook, "not valid JSON (" + e.getOriginalMessage()
                    + (e.getLocation() != null ? " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() : "") + ")", e);
        } catch (IOException e) {
            throw new BadRecordException(file, notebook, "cannot be read (" + e.getMessage() + ")", e);
        }
        try {
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("the file is not a JSON object");
            }
            String mode = text(root, "mode");
            if (!mode.equals("full")) {
                throw new IllegalArgumentException("\"mode\" is '" + mode + "'; a full-run record has \"mode\": \"full\"");
            }
            String date = text(root, "date");
            try {
                Instant.parse(date);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"date\" is '" + date + "'; expected an ISO-8601 UTC time like 2026-12-07T21:30:00Z");
            }
            JsonNode m = field(root, "machine");
            if (!m.isObject()) {
                throw new IllegalArgumentException("\"machine\" is not an object");
            }
            Machine machine = new Machine(integer(m, "cores"), text(m, "cpu"),
                    m.path("memory_gb").isNumber() ? m.get("memory_gb").asDouble() : Double.NaN, text(m, "os"), text(m, "java"));
            JsonNode override = root.get("epochs_override");
            Integer epochs = override == null || override.isNull() ? null : integer(root, "epochs_override");
            List<Reproduction.Row> rows = new ArrayList<>();
            JsonNode rs = field(root, "rows");
            if (!rs.isArray()) {
                throw new IllegalArgumentException("\"rows\" is not an array");
            }
            for (int i = 0; i < rs.size(); i++) {
                JsonNode r = rs.get(i);
                try {
                    rows.add(new Reproduction.Row(text(r, "quantity"), Reproduction.Kind.parse(text(r, "kind")),
                            text(r, "report"), null, text(r, "this_run"), text(r, "verdict")));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("row " + (i + 1) + ": " + e.getMessage());
                }
            }
            List<String> figures = new ArrayList<>();
            JsonNode fs = root.get("figures");
            if (fs != null && !fs.isNull()) {
                if (!fs.isArray()) {
                    throw new IllegalArgumentException("\"figures\" is not an array");
                }
                for (JsonNode f : fs) {
                    String name = f.asText();
                    if (!f.isTextual() || !name.endsWith(".png") || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                        throw new IllegalArgumentException("\"figures\" lists '" + f + "'; expected PNG file names in the record's folder");
                    }
                    figures.add(name);
                }
            }
            JsonNode rep = root.get("repeatability");
            JsonNode secs = field(root, "seconds");
            if (!secs.isNumber() || secs.asDouble() < 0) {
                throw new IllegalArgumentException("\"seconds\" is " + secs + "; expected a number of seconds >= 0");
            }
            return new FullRun(text(root, "notebook"), text(root, "title"), mode, date, text(root, "commit"), machine,
                    secs.asDouble(), epochs, rows, figures, rep == null || rep.isNull() ? null : rep.asText());
        } catch (IllegalArgumentException e) {
            throw new BadRecordException(file, notebook, e.getMessage(), e);
        }
    }

    private static JsonNode field(JsonNode o, String name) {
        JsonNode v = o == null ? null : o.get(name);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("\"" + name + "\" is missing");
        }
        return v;
    }

    private static String text(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("\"" + name + "\" is " + v + ", not a string");
        }
        return v.asText();
    }

    private static int integer(JsonNode o, String name) {
        JsonNode v = field(o, name);
        if (!v.isIntegralNumber() || v.asInt() < 1) {
            throw new IllegalArgumentException("\"" + name + "\" is " + v + "; expected a whole number >= 1");
        }
        return v.asInt();
    }

    // ---------------------------------------------------------------- what a record says

    /**
     * The recorded value of the row named {@code quantity}: its "this run" value, and for a conclusion
     * also its verdict ({@code "0.84 vs 0.50 (holds)"}); empty when the record has no such row.
     */
    public Optional<String> recordedValue(String quantity) {
        return rows.stream().filter(r -> r.quantity().equals(quantity)).findFirst()
                .map(r -> r.kind() == Reproduction.Kind.CONCLUSION ? r.thisRun() + " (" + r.verdict() + ")" : r.thisRun());
    }

    /** The commit shortened to 7 characters, keeping a {@code -dirty} mark. */
    public String shortCommit() {
        boolean dirty = commit.endsWith("-dirty");
        String c = dirty ? commit.substring(0, commit.length() - "-dirty".length()) : commit;
        return (c.length() > 7 && c.matches("[0-9a-f]+") ? c.substring(0, 7) : c) + (dirty ? "-dirty" : "");
    }

    /** The date as {@code 2026-12-07 21:30 UTC}. */
    public String dateText() {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC)
                .format(Instant.parse(date));
    }

    /** The seconds, rounded: {@code 115 s}. */
    public String secondsText() {
        return String.format(Locale.ROOT, "%.0f s", seconds);
    }

    /** One line: date, commit, machine, wall time and any epochs override. */
    public String describe() {
        return dateText() + ", commit " + shortCommit() + ", " + machine.cores() + " cores (" + machine.cpu() + "), "
                + secondsText() + " from kernel start to the reproduction table"
                + (epochsOverride != null ? ", " + epochsCaveat(epochsOverride) : "")
                + "; regenerate: " + command(notebook);
    }

    /** The caption of the recorded figures. */
    public String caption() {
        return "Recorded full run of " + dateText() + ", commit " + shortCommit() + ", " + machine.cores() + " cores, "
                + secondsText() + (epochsOverride != null ? " (" + epochsCaveat(epochsOverride) + ")" : "")
                + " — regenerate: " + command(notebook);
    }

    // ---------------------------------------------------------------- showing the figures

    /**
     * The recorded full run's figures of a notebook, inline (PNG in HTML, captioned as recorded with
     * date, commit, machine and the command that regenerates them); a short text when none is recorded.
     */
    public static Displayable figures(String notebook) {
        Optional<FullRun> run = load(notebook);
        if (run.isEmpty()) {
            String text = "No full run of " + notebook + " is recorded yet: `" + command(notebook)
                    + "` records one, and its figures then show here.";
            return () -> Displayable.textAndHtml(text, "<p><em>" + Html.escape(text) + "</em></p>");
        }
        FullRun r = run.get();
        Path dir = folder(notebook);
        StringBuilder text = new StringBuilder(r.caption()).append('\n');
        StringBuilder html = new StringBuilder("<div class=\"rnnlab-full-run\"><p style=\"font-weight:bold\">")
                .append(Html.escape(r.caption())).append("</p>");
        if (r.figureFiles().isEmpty()) {
            text.append("(the record has no figures)\n");
            html.append("<p><em>The record has no figures.</em></p>");
        }
        for (String f : r.figureFiles()) {
            Path p = dir.resolve(f);
            byte[] png;
            try {
                png = Files.readAllBytes(p);
            } catch (IOException e) {
                String missing = f + ": listed in the record but not readable in " + dir + " (" + e.getMessage() + ")";
                text.append("- ").append(missing).append('\n');
                html.append("<p><em>").append(Html.escape(missing)).append("</em></p>");
                continue;
            }
            text.append("- ").append(p).append('\n');
            html.append("<figure style=\"margin:0 0 12px 0\"><img alt=\"").append(Html.escape(f))
                    .append(" (recorded full run)\" style=\"max-width:100%\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption style=\"font-size:90%;color:#555\">")
                    .append(Html.escape(f)).append(" — recorded full run of ").append(Html.escape(r.dateText()))
                    .append("</figcaption></figure>");
        }
        html.append("</div>");
        Map<String, String> bundle = Displayable.textAndHtml(text.toString(), html.toString());
        return () -> new LinkedHashMap<>(bundle);
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes the notebook's record from a full run's rows: copies the PNGs this run saved in
     * {@link Lab#figuresDir(String)} (files older than the JVM are left out: they are from an earlier
     * run), then {@code record.json}, each atomically; then removes PNGs of an older record.
     */
    static FullRun write(String notebook, String title, List<Reproduction.Row> rows, Optional<FullRun> previous,
                         String repeatability) throws IOException {
        Path dir = folder(notebook);
        Files.createDirectories(dir);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        List<String> figures = new ArrayList<>();
        Path figDir = Lab.figuresDir(notebook);
        try (DirectoryStream<Path> pngs = Files.newDirectoryStream(figDir, "*.png")) {
            for (Path p : pngs) {
                if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toMillis() >= jvmStart - 1000) {
                    figures.add(p.getFileName().toString());
                }
            }
        }
        figures.sort(null);
        for (String f : figures) {
            writeAtomically(dir.resolve(f), Files.readAllBytes(figDir.resolve(f)));
        }
        List<Reproduction.Row> recorded = rows.stream().map(r -> r.withRecorded(null)).toList();
        String commit = commit(Lab.projectDir());
        Machine machine = Machine.current();
        String repeat = repeatability != null ? repeatability
                : previous.map(p -> compare(p, commit, machine, recorded,
                        sameCode(Lab.projectDir(), p.commit(), commit, notebook))).orElse(null);
        double seconds = Math.round(ManagementFactory.getRuntimeMXBean().getUptime() / 100.0) / 10.0;
        FullRun run = new FullRun(notebook, title, "full", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                commit, machine, seconds, Lab.epochsOverride(), recorded, figures, repeat);
        writeAtomically(dir.resolve(RECORD), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(run.toJson()));
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "*.png")) {
            for (Path p : old) {
                if (!figures.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return run;
    }

    /** Whether this run repeats the previous record bit for bit, when both are of the same code on the same machine. */
    static String compare(FullRun previous, String commit, Machine machine, List<Reproduction.Row> rows) {
        return compare(previous, commit, machine, rows, previous.commit().equals(commit));
    }

    /**
     * Whether this run repeats the previous record: only when both ran the same code (the same clean
     * commit, or commits between which neither the library, the data samples nor this notebook
     * changed) on the same machine. Rows that are timings (their quantity names seconds or a time)
     * are expected to differ and are listed apart.
     */
    static String compare(FullRun previous, String commit, Machine machine, List<Reproduction.Row> rows, boolean sameCode) {
        if (!sameCode || commit.endsWith("-dirty") || commit.equals("unknown") || previous.commit().endsWith("-dirty")
                || previous.machine().cores() != machine.cores() || !previous.machine().cpu().equals(machine.cpu())) {
            return null;
        }
        List<String> differ = new ArrayList<>();
        List<String> timings = new ArrayList<>();
        int compared = 0;
        for (Reproduction.Row r : rows) {
            Optional<Reproduction.Row> p = previous.rows().stream().filter(q -> q.quantity().equals(r.quantity())).findFirst();
            if (p.isPresent()) {
                boolean timing = r.quantity().toLowerCase(Locale.ROOT).matches(".*(second|time).*");
                if (timing) {
                    timings.add(r.quantity());
                } else {
                    compared++;
                    if (!p.get().thisRun().equals(r.thisRun())) {
                        differ.add(r.quantity());
                    }
                }
            }
        }
        String base = "the previous full run (" + previous.dateText() + (previous.commit().equals(commit)
                ? ") at the same commit" : ", commit " + previous.shortCommit() + ", the same library and notebook)")
                + " on the same machine";
        String aside = timings.isEmpty() ? "" : " (timings aside: " + String.join("; ", timings) + ")";
        return differ.isEmpty()
                ? "Repeats bit for bit: all " + compared + " rows equal " + base + aside + "."
                : "Not bit for bit: " + differ.size() + " of " + compared + " rows differ from " + base + ": "
                + String.join("; ", differ.subList(0, Math.min(8, differ.size()))) + (differ.size() > 8 ? "; …" : "") + aside + ".";
    }

    /** True when the two commits are equal, or git shows no change between them to the library, the samples or the notebook. */
    static boolean sameCode(Path project, String previous, String commit, String notebook) {
        if (previous.equals(commit)) {
            return true;
        }
        if (!previous.matches("[0-9a-f]{40}") || !commit.matches("[0-9a-f]{40}")) {
            return false;
        }
        String changed = git(project, "diff", "--name-only", previous, commit, "--", "lib-src", "pom.xml", "data",
                "notebooks/" + notebook + ".ipynb");
        return changed != null && changed.isBlank();
    }

    /** The record as JSON (the format {@link #read(Path)} reads). */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("notebook", notebook);
        o.put("title", title);
        o.put("mode", mode);
        o.put("date", date);
        o.put("commit", commit);
        ObjectNode m = o.putObject("machine");
        m.put("cores", machine.cores());
        m.put("cpu", machine.cpu());
        if (Double.isNaN(machine.memoryGb())) {
            m.putNull("memory_gb");
        } else {
            m.put("memory_gb", machine.memoryGb());
        }
        m.put("os", machine.os());
        m.put("java", machine.java());
        o.put("seconds", seconds);
        o.put("seconds_means", "wall time of the notebook: kernel start to the reproduction table");
        if (epochsOverride == null) {
            o.putNull("epochs_override");
        } else {
            o.put("epochs_override", epochsOverride);
        }
        o.set("rows", Reproduction.rowsJson(rows, false));
        ArrayNode f = o.putArray("figures");
        figureFiles.forEach(f::add);
        if (repeatability != null) {
            o.put("repeatability", repeatability);
        }
        return o;
    }

    /**
     * Writes {@code bytes} to {@code target} so that a reader sees the old file or the new one, never a
     * half-written one: a temporary file in the same folder, renamed over the target.
     */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        AtomicFiles.write(target, bytes);   // temporary file in the same folder, forced to disk, renamed over the target
    }

    /**
     * The project's git commit, or "unknown"; {@code -dirty} when tracked files are modified, except
     * the records themselves and REPRODUCTION.md (which the full runs rewrite, so that a series of
     * full runs from one commit does not mark all but the first as dirty).
     */
    static String commit(Path project) {
        String head = git(project, "rev-parse", "HEAD");
        if (head == null || !head.matches("[0-9a-f]{40}")) {
            return "unknown";
        }
        String status = git(project, "status", "--porcelain", "--untracked-files=no", "--", ".",
                ":(exclude)notebooks/full-run", ":(exclude)REPRODUCTION.md");
        return head + (status != null && !status.isBlank() ? "-dirty" : "");
    }

    /** Runs git with a 10-second limit; its output, or {@code null} when git is missing, fails or hangs. */
    private static String git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        Path out = null;
        try {
            out = Files.createTempFile("rnnlab-git", ".txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (NoSuchFileException e) {
            // not Linux: fall through
        } catch (IOException e) {
            // unreadable: fall through
        }
        return System.getProperty("os.arch");
    }
}
