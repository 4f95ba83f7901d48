package rnnlab.notebook;

import rnnlab.lab.Lab;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FullRunTest {

    static final String NB = "07-mnist-rnn-lstm-lenet";

    @TempDir
    Path tmp;

    @BeforeEach
    void dirs() {
        System.setProperty("rnnlab.fullRunDir", tmp.resolve("full-run").toString());
        System.setProperty("rnnlab.figures", tmp.resolve("figures").toString());
    }

    @AfterEach
    void clear() {
        for (String p : List.of("rnnlab.mode", "rnnlab.fullRunDir", "rnnlab.figures", "rnnlab.epochs", "rnnlab.seed")) {
            System.clearProperty(p);
        }
    }

    private static FullRun run(String commit, String value) {
        return new FullRun(NB, "Report 001", "full", "2026-12-07T21:30:00Z", commit,
                new FullRun.Machine(2, "Intel Xeon Processor", 24.0, "Linux", "OpenJDK 17"), 1161.4, null,
                List.of(new Reproduction.Row("LeNet test accuracy (%)", Reproduction.Kind.NUMBER, "99.08", null, value, "Δ -0.09"),
                        new Reproduction.Row("ranking", Reproduction.Kind.CONCLUSION, "LeNet > LSTM > RNN", null, "LeNet > LSTM > RNN", "holds")),
                List.of("training-curves.png"), null);
    }

    @Test
    void noRecordIsEmptyAndTheFiguresSaySoWithTheCommand() {
        assertEquals(Optional.empty(), FullRun.load(NB));
        Map<String, String> bundle = FullRun.figures(NB).mimeBundle();
        assertTrue(bundle.get("text/plain").contains("No full run of " + NB + " is recorded yet")
                && bundle.get("text/plain").contains("RNNLAB_MODE=full environment/lab run 07"), bundle.toString());
        assertTrue(bundle.get("text/html").startsWith("<p>"), bundle.toString());
    }

    @Test
    void recordReadsBackAndFiguresShowInlineWithCaption() throws IOException {
        FullRun r = run("0123456789abcdef0123456789abcdef01234567", "98.99");
        Path folder = FullRun.folder(NB);
        Files.createDirectories(folder);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3};
        Files.write(folder.resolve("training-curves.png"), png);
        FullRun.writeAtomically(FullRun.recordFile(NB), FullRun.JSON.writeValueAsBytes(r.toJson()));
        FullRun back = FullRun.load(NB).orElseThrow();
        assertEquals(r, back);
        assertEquals("0123456", back.shortCommit());
        assertEquals("2026-12-07 21:30 UTC", back.dateText());

        Map<String, String> bundle = FullRun.figures(NB).mimeBundle();
        assertEquals(List.of("text/plain", "text/html"), List.copyOf(bundle.keySet()));
        String caption = "Recorded full run of 2026-12-07 21:30 UTC, commit 0123456, 2 cores, 1161 s — regenerate: "
                + "RNNLAB_MODE=full environment/lab run 07";
        assertTrue(bundle.get("text/plain").startsWith(caption), bundle.get("text/plain"));
        String html = bundle.get("text/html");
        assertTrue(html.contains(caption), html);
        assertTrue(html.contains("<img") && html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\""), html);

        Files.delete(folder.resolve("training-curves.png"));
        String missing = FullRun.figures(NB).mimeBundle().get("text/plain");
        assertTrue(missing.contains("training-curves.png: listed in the record but not readable"), missing);
    }

    @Test
    void malformedRecordIsAnErrorNamingTheFileAndTheWayOut() throws IOException {
        Path file = FullRun.recordFile(NB);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"notebook\": \"" + NB + "\",\n \"rows\": [", StandardCharsets.UTF_8);
        FullRun.BadRecordException e = assertThrows(FullRun.BadRecordException.class, () -> FullRun.load(NB));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not valid JSON")
                && e.getMessage().contains("line 2") && e.getMessage().contains("RNNLAB_MODE=full environment/lab run 07"), e.getMessage());
        assertEquals(file, e.file());

        FullRun r = run("unknown", "98.99");
        String json = FullRun.JSON.writeValueAsString(r.toJson());
        Files.writeString(file, json.replace("\"commit\":\"unknown\",", ""));
        e = assertThrows(FullRun.BadRecordException.class, () -> FullRun.load(NB));
        assertTrue(e.getMessage().contains("\"commit\" is missing"), e.getMessage());

        Files.writeString(file, json.replace("\"kind\":\"number\"", "\"kind\":\"measured\""));
        e = assertThrows(FullRun.BadRecordException.class, () -> FullRun.load(NB));
        assertTrue(e.getMessage().contains("row 1: row kind is 'measured'"), e.getMessage());

        Files.writeString(file, json.replace("training-curves.png", "../../etc/passwd.png"));
        e = assertThrows(FullRun.BadRecordException.class, () -> FullRun.load(NB));
        assertTrue(e.getMessage().contains("\"figures\" lists"), e.getMessage());

        Files.writeString(file, json.replace("\"notebook\":\"" + NB + "\"", "\"notebook\":\"05-simplernn-imdb\""));
        e = assertThrows(FullRun.BadRecordException.class, () -> FullRun.load(NB));
        assertTrue(e.getMessage().contains("it is the record of notebook '05-simplernn-imdb'"), e.getMessage());
    }

    @Test
    void atomicWriteLeavesNoTemporaryFileEvenWhenItFails() throws IOException {
        Path target = tmp.resolve("a").resolve("record.json");
        FullRun.writeAtomically(target, "{}".getBytes(StandardCharsets.UTF_8));
        FullRun.writeAtomically(target, "{\"x\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"x\":1}", Files.readString(target));
        Path blocked = tmp.resolve("a").resolve("blocked");
        Files.createDirectories(blocked.resolve("inside"));   // a non-empty folder cannot be replaced by a file
        assertThrows(IOException.class, () -> FullRun.writeAtomically(blocked, new byte[] {1}));
        try (Stream<Path> s = Files.list(tmp.resolve("a"))) {
            assertEquals(List.of("blocked", "record.json"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void repeatabilityComparesOnlyRunsOfTheSameCommitOnTheSameMachine() {
        String c = "0123456789abcdef0123456789abcdef01234567";
        FullRun previous = run(c, "98.99");
        FullRun.Machine same = previous.machine();
        assertTrue(FullRun.compare(previous, c, same, run(c, "98.99").rows()).startsWith("Repeats bit for bit: all 2 rows equal"));
        String differs = FullRun.compare(previous, c, same, run(c, "98.97").rows());
        assertTrue(differs.startsWith("Not bit for bit: 1 of 2 rows differ") && differs.contains("LeNet test accuracy (%)"), differs);
        assertNull(FullRun.compare(previous, c + "-dirty", same, run(c, "98.99").rows()));
        assertNull(FullRun.compare(previous, "fedcba9876543210fedcba9876543210fedcba98", same, run(c, "98.99").rows()));
        assertNull(FullRun.compare(previous, c, new FullRun.Machine(4, "AMD EPYC", 24, "Linux", "OpenJDK 17"), run(c, "98.99").rows()));
        // another commit with the same library and notebook compares too; a different one does not
        String other = "fedcba9876543210fedcba9876543210fedcba98";
        assertTrue(FullRun.compare(previous, other, same, run(other, "98.99").rows(), true).startsWith("Repeats bit for bit: all 2 rows equal"));
        assertNull(FullRun.compare(previous, other, same, run(other, "98.99").rows(), false));
    }

    @Test
    void commandAndNamesAreChecked() {
        assertEquals("RNNLAB_MODE=full environment/lab run 05", FullRun.command("05-simplernn-imdb"));
        assertThrows(IllegalArgumentException.class, () -> FullRun.folder("../etc"));
        assertTrue(FullRun.commit(Lab.projectDir()).matches("[0-9a-f]{40}(-dirty)?|unknown"));
    }
}
