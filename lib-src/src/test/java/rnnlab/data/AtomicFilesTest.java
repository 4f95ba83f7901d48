package rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18 item 1: a failed write leaves the previous file and no temporary file. */
class AtomicFilesTest {

    @Test
    void aWriterThatFailsLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("model.zip");
        Files.writeString(target, "the good model");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half of a new mod");
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("the good model", Files.readString(target));
        assertEquals(List.of(target), list(dir));
    }

    @Test
    void aWriteReplacesTheFileAndCreatesItsFolder(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("sub/folder/f.txt");
        AtomicFiles.writeString(target, "one");
        AtomicFiles.writeString(target, "two");
        assertEquals("two", Files.readString(target));
        assertEquals(List.of(target), list(target.getParent()));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
