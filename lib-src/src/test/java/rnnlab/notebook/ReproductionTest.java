package rnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class ReproductionTest {

    static final String NB = "05-simplernn-imdb";

    @TempDir
    Path tmp;
    Path fullRuns;
    Path runDir;
    Path figures;

    @BeforeEach
    void dirs() {
        fullRuns = tmp.resolve("full-run");
        runDir = tmp.resolve("run");
        figures = tmp.resolve("figures");
        System.setProperty("rnnlab.fullRunDir", fullRuns.toString());
        System.setProperty("rnnlab.figures", figures.toString());
    }

    @AfterEach
    void clear() {
        for (String p : List.of("rnnlab.mode", "rnnlab.fullRunDir", "rnnlab.runDir", "rnnlab.figures", "rnnlab.seed",
                "rnnlab.epochs", "rnnlab.notebook")) {
            System.clearProperty(p);
        }
    }

    /** The table the tests build: one row of every kind, with the given evidence. */
    static Reproduction.Builder table(String notebook, double valAcc, boolean learns) {
        return Reproduction.of(notebook, "Report 002")
                .exact("Total params", 322_113, 322_113)
                .exact("padded", "[[1 0]]", "[[0 1]]")
                .measured("val accuracy", 0.85, valAcc, "%.4f")
                .remark("seconds per epoch", "52–59 (Keras)", "8.1", "DL4J on this machine")
                .conclusion("the SimpleRNN learns", "val_acc 0.86 (chance 0.50)", String.format("best val_acc %.3f", valAcc), learns)
                .note("quick mode uses 2,000 reviews");
    }

    static void png(Path file, int size) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
    }

    @Test
    void rowsHaveKindsAndVerdicts() {
        Reproduction r = table(NB, 0.8123, false).build();
        List<Reproduction.Row> rows = r.rows();
        assertEquals(Reproduction.Kind.EXACT, rows.get(0).kind());
        assertEquals("identical", rows.get(0).verdict());
        assertEquals("322,113", rows.get(0).report());
        assertEquals("differs", rows.get(1).verdict());
        assertEquals(Reproduction.Kind.NUMBER, rows.get(2).kind());
        assertEquals("Δ -0.0377", rows.get(2).verdict());
        assertEquals(Reproduction.Kind.REMARK, rows.get(3).kind());
        assertEquals(Reproduction.Kind.CONCLUSION, rows.get(4).kind());
        assertEquals("fails", rows.get(4).verdict());
        assertEquals("holds", table(NB, 0.8123, true).build().rows().get(4).verdict());
        assertEquals(1, r.differences());
        assertEquals(List.of("padded", "the SimpleRNN learns"), r.failures().stream().map(Reproduction.Row::quantity).toList());
        assertEquals(5, r.toTable().rowCount());
        assertEquals("conclusion", Reproduction.Kind.CONCLUSION.json());
        assertEquals(Reproduction.Kind.NUMBER, Reproduction.Kind.parse("number"));
        assertThrows(IllegalArgumentException.class, () -> Reproduction.Kind.parse("measured"));
    }

    @Test
    void tableShowsReportRecordedAndThisRunAndColoursFailures() {
        Reproduction r = table(NB, 0.8123, false).build();
        String html = r.mimeBundle().get("text/html");
        assertTrue(html.indexOf(">report<") < html.indexOf(">recorded full run<")
                && html.indexOf(">recorded full run<") < html.indexOf(">this run (quick)<"), html);
        assertTrue(html.contains("[[1 0]]") && html.contains("quick mode uses 2,000 reviews"), html);
        // the failing conclusion and the differing exact row are red, the identical row green, the remark plain
        assertEquals(2, html.split("background:#fde8e8", -1).length - 1, html);
        assertEquals(1, html.split("background:#e6f4ea", -1).length - 1, html);
        assertTrue(html.contains("conclusion: the SimpleRNN learns"), html);
        assertTrue(html.contains("No recorded full run yet: `RNNLAB_MODE=full environment/lab run 05` records one."), html);
        String text = r.mimeBundle().get("text/plain");
        assertTrue(text.contains("- Total params: report 322,113 | this run 322,113 | identical | recorded full run —"), text);
        assertTrue(text.contains("- conclusion: the SimpleRNN learns: report val_acc 0.86 (chance 0.50) | this run best val_acc 0.812 | fails"), text);
        r.rows().forEach(row -> assertNull(row.recordedFullRun()));
    }

    @Test
    void quickRunLeavesRowsForTheRunnerAndNoRecord() throws IOException {
        System.setProperty("rnnlab.runDir", runDir.toString());
        table(NB, 0.8123, true).build();
        Path file = runDir.resolve(NB + ".rows.json");
        JsonNode o = FullRun.JSON.readTree(file.toFile());
        assertEquals("quick", o.get("mode").asText());
        assertEquals(NB, o.get("notebook").asText());
        JsonNode rows = o.get("rows");
        assertEquals(5, rows.size());
        assertEquals(List.of("quantity", "kind", "report", "recorded_full_run", "this_run", "verdict"),
                iterable(rows.get(0).fieldNames()));
        assertEquals("exact", rows.get(1).get("kind").asText());
        assertEquals("differs", rows.get(1).get("verdict").asText());
        assertTrue(rows.get(0).get("recorded_full_run").isNull());
        assertEquals("conclusion", rows.get(4).get("kind").asText());
        assertEquals("holds", rows.get(4).get("verdict").asText());
        try (Stream<Path> s = Files.list(runDir)) {
            assertEquals(List.of(file), s.toList(), "the atomic write leaves no temporary file");
        }
        assertFalse(Files.exists(fullRuns), "quick mode writes no full-run record");
    }

    @Test
    void notebookComesFromTheRunnersVariableWhenNotGiven() {
        System.setProperty("rnnlab.runDir", runDir.toString());
        System.setProperty("rnnlab.notebook", "07-mnist-rnn-lstm-lenet");
        Reproduction r = Reproduction.of("Report 001").exact("x", "1", "1").build();
        assertEquals("07-mnist-rnn-lstm-lenet", r.notebook().orElseThrow());
        assertTrue(Files.exists(runDir.resolve("07-mnist-rnn-lstm-lenet.rows.json")));
        System.clearProperty("rnnlab.notebook");
        Reproduction none = Reproduction.of("Report 001").exact("x", "1", "1").build();
        assertTrue(none.notebook().isEmpty());
        assertTrue(none.notes().get(0).contains("not tied to a notebook"), none.notes().toString());
    }

    @Test
    void fullRunWritesTheRecordWithItsFiguresAndQuickRunsShowIt() throws IOException {
        Path figDir = figures.resolve(NB);
        png(figDir.resolve("accuracy.png"), 4);
        png(figDir.resolve("loss.png"), 5);
        Files.writeString(figDir.resolve("accuracy.html"), "<html></html>");
        png(figDir.resolve("stale.png"), 3);
        Files.setLastModifiedTime(figDir.resolve("stale.png"), FileTime.fromMillis(0));   // from before this JVM
        png(fullRuns.resolve(NB).resolve("old-record-figure.png"), 2);

        System.setProperty("rnnlab.mode", "full");
        Reproduction full = table(NB, 0.8444, true).build();
        assertTrue(full.notes().stream().anyMatch(n -> n.startsWith("This run is now the recorded full run")), full.notes().toString());

        Path folder = fullRuns.resolve(NB);
        try (Stream<Path> s = Files.list(folder)) {
            assertEquals(List.of("accuracy.png", "loss.png", "record.json"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(),
                    "this run's PNGs and the record; no HTML, no stale or old PNG, no temporary file");
        }
        assertEquals(-1L, Files.mismatch(figDir.resolve("loss.png"), folder.resolve("loss.png")));

        JsonNode o = FullRun.JSON.readTree(folder.resolve("record.json").toFile());
        assertEquals("full", o.get("mode").asText());
        assertEquals(NB, o.get("notebook").asText());
        assertTrue(o.get("epochs_override").isNull());
        assertTrue(o.get("commit").asText().matches("[0-9a-f]{40}(-dirty)?|unknown"), o.get("commit").asText());
        assertTrue(o.get("machine").get("cores").asInt() >= 1);
        assertTrue(o.get("seconds").asDouble() > 0);
        assertEquals(5, o.get("rows").size());
        assertFalse(o.get("rows").get(0).has("recorded_full_run"));

        FullRun run = FullRun.load(NB).orElseThrow();
        assertEquals(List.of("accuracy.png", "loss.png"), run.figureFiles());
        assertEquals(Reproduction.Kind.CONCLUSION, run.rows().get(4).kind());
        assertEquals("0.8444", run.recordedValue("val accuracy").orElseThrow());
        assertEquals("best val_acc 0.844 (holds)", run.recordedValue("the SimpleRNN learns").orElseThrow());

        System.setProperty("rnnlab.mode", "quick");
        Reproduction quick = table(NB, 0.61, true).remark("a row the record lacks", "x", "y", "z").build();
        assertEquals("0.8444", quick.rows().get(2).recordedFullRun());
        assertEquals("322,113", quick.rows().get(0).recordedFullRun());
        assertNull(quick.rows().get(5).recordedFullRun());
        String html = quick.mimeBundle().get("text/html");
        assertTrue(html.contains(">0.8444<") && html.contains(">—<"), html);
        String note = quick.notes().get(quick.notes().size() - 1);
        assertTrue(note.startsWith("Recorded full run: " + run.dateText() + ", commit " + run.shortCommit()), note);
        assertTrue(note.contains("RNNLAB_MODE=full environment/lab run 05"), note);
        assertEquals(run, FullRun.load(NB).orElseThrow(), "a quick run leaves the record alone");
    }

    @Test
    void fullRunWithFewerEpochsIsRecordedAndSaysSo() throws IOException {
        System.setProperty("rnnlab.mode", "full");
        System.setProperty("rnnlab.epochs", "3");
        Reproduction r = table(NB, 0.8, true).build();
        FullRun run = FullRun.load(NB).orElseThrow();
        assertEquals(3, run.epochsOverride());
        String caveat = "full data, 3 epochs instead of the report's (RNNLAB_EPOCHS)";
        assertTrue(run.describe().contains(caveat) && run.caption().contains(caveat), run.describe());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains(caveat)), r.notes().toString());
        assertEquals(3, FullRun.JSON.readTree(FullRun.recordFile(NB).toFile()).get("epochs_override").asInt());
    }

    @Test
    void fullRunWithAnotherSeedIsNotRecorded() {
        System.setProperty("rnnlab.mode", "full");
        System.setProperty("rnnlab.seed", "7");
        Reproduction r = table(NB, 0.8, true).build();
        assertFalse(Files.exists(FullRun.recordFile(NB)));
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("RNNLAB_SEED is set, so this full run is not recorded")),
                r.notes().toString());
    }

    @Test
    void brokenRecordFailsAQuickRunAndIsReplacedByAFullRun() throws IOException {
        Path file = FullRun.recordFile(NB);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{not json");
        FullRun.BadRecordException e = assertThrows(FullRun.BadRecordException.class, () -> table(NB, 0.8, true).build());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        System.setProperty("rnnlab.mode", "full");
        Reproduction r = table(NB, 0.8, true).build();
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("The previous full-run record could not be read")), r.notes().toString());
        assertEquals("0.8000", FullRun.load(NB).orElseThrow().recordedValue("val accuracy").orElseThrow());
    }

    @Test
    void emptyTitleOrNotebookIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Reproduction.of(" "));
        assertThrows(IllegalArgumentException.class, () -> Reproduction.of("", "Report 002"));
        assertThrows(IllegalArgumentException.class, () -> Reproduction.of(NB, "x").conclusion(" ", "a", "b", true));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> l = new java.util.ArrayList<>();
        it.forEachRemaining(l::add);
        return l;
    }
}
