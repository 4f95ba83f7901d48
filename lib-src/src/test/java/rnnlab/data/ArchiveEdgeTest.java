package rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18 item 7: links, entries outside the layout, symlinks out of the folder, partial extraction. */
class ArchiveEdgeTest {

    @TempDir
    Path tmp;

    private static Map<String, String> reviews() {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("aclImdb/train/pos/0_8.txt", "The film");
        e.put("aclImdb/train/neg/0_1.txt", "the bad");
        e.put("aclImdb/test/pos/0_10.txt", "good good");
        e.put("aclImdb/test/neg/0_3.txt", "bad");
        return e;
    }

    /** A .tar.gz with the reviews and one more entry of type {@code linkFlag} (a link to a review). */
    private static void tarWithLink(Path file, String name, byte linkFlag) throws IOException {
        Fixtures.tarGz(file, reviews(), t -> {
            TarArchiveEntry link = new TarArchiveEntry(name, linkFlag);
            link.setLinkName("aclImdb/train/pos/0_8.txt");
            t.putArchiveEntry(link);
            t.closeArchiveEntry();
        });
    }

    @Test
    void linkEntriesInTheTarAreNamedAsLinks() throws IOException {
        for (byte flag : new byte[] {TarConstants.LF_LINK, TarConstants.LF_SYMLINK}) {
            tarWithLink(tmp.resolve("imdb/aclImdb_v1.tar.gz"), "aclImdb/train/pos/7_7.txt", flag);
            BadDataException e = assertThrows(BadDataException.class, () -> Imdb.loadText(DataSource.of(tmp)));
            assertTrue(e.getMessage().contains("7_7.txt") && e.getMessage().contains("link entry, not a file"), e.getMessage());
        }
    }

    @Test
    void entriesOutsideTheLayoutAreRejected() throws IOException {
        for (String evil : new String[] {"../aclImdb/train/pos/5_9.txt", "x/../../aclImdb/train/pos/5_9.txt", "imdb/aclImdb/test/neg/1_1.txt"}) {
            Map<String, String> e = reviews();
            e.put(evil, "sneaky");
            Fixtures.tarGz(tmp.resolve("imdb/aclImdb_v1.tar.gz"), e);
            BadDataException ex = assertThrows(BadDataException.class, () -> Imdb.loadText(DataSource.of(tmp)));
            assertTrue(ex.getMessage().contains(evil) && ex.getMessage().contains("outside the expected layout"), ex.getMessage());
        }
    }

    @Test
    void theExtractedFolderReaderDoesNotFollowLinksOutOfTheFolder() throws IOException {
        Path root = tmp.resolve("data/imdb/aclImdb");
        for (var e : reviews().entrySet()) {
            Path f = root.resolve(e.getKey().substring("aclImdb/".length()));
            Files.createDirectories(f.getParent());
            Files.writeString(f, e.getValue());
        }
        assertEquals(1, Imdb.loadText(DataSource.of(tmp.resolve("data"))).train().labels().length - 1);
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "the contents of some private file");
        Files.createSymbolicLink(root.resolve("train/pos/9_9.txt"), secret);
        BadDataException e = assertThrows(BadDataException.class, () -> Imdb.loadText(DataSource.of(tmp.resolve("data"))));
        assertTrue(e.getMessage().contains("9_9.txt") && e.getMessage().contains("outside"), e.getMessage());
        Files.delete(root.resolve("train/pos/9_9.txt"));
        // a linked folder is the same escape
        Path elsewhere = tmp.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        Files.writeString(elsewhere.resolve("3_3.txt"), "not from here");
        Path neg = root.resolve("test/neg");
        Files.move(neg, tmp.resolve("neg-away"));
        Files.createSymbolicLink(neg, elsewhere);
        e = assertThrows(BadDataException.class, () -> Imdb.loadText(DataSource.of(tmp.resolve("data"))));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void theNamesFolderReaderDoesNotFollowLinksOutOfTheFolder() throws IOException {
        Path dir = tmp.resolve("names/data/names");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("English.txt"), "Smith\nJones\n");
        Files.writeString(tmp.resolve("private.txt"), "Secret\n");
        Files.createSymbolicLink(dir.resolve("Welsh.txt"), tmp.resolve("private.txt"));
        BadDataException e = assertThrows(BadDataException.class, () -> Names.fromDirectory(dir));
        assertTrue(e.getMessage().contains("Welsh.txt") && e.getMessage().contains("outside"), e.getMessage());
    }

    @Test
    void extractWritesNothingWhenALaterEntryIsRefused() throws IOException {
        Map<String, String> e = reviews();
        e.put("../escape.txt", "evil");
        Path tar = tmp.resolve("a.tar.gz");
        Fixtures.tarGz(tar, e);
        Path dest = tmp.resolve("out");
        BadDataException ex = assertThrows(BadDataException.class, () -> Archives.extract(tar, dest, Archives.Limits.defaults()));
        assertTrue(ex.getMessage().contains("path traversal"), ex.getMessage());
        assertFalse(Files.exists(tmp.resolve("escape.txt")));
        assertTrue(!Files.exists(dest) || isEmpty(dest), "nothing of the refused archive is left in " + dest);

        // the same archive without the bad entry lands in place, next to what the folder held
        Files.createDirectories(dest);
        Files.writeString(dest.resolve("keep.txt"), "mine");
        e.remove("../escape.txt");
        Fixtures.tarGz(tar, e);
        assertEquals(4, Archives.extract(tar, dest, Archives.Limits.defaults()));
        assertEquals("bad", Files.readString(dest.resolve("aclImdb/test/neg/0_3.txt")));
        assertEquals("mine", Files.readString(dest.resolve("keep.txt")));
        try (Stream<Path> s = Files.list(dest)) {
            assertEquals(2, s.count(), "no temporary folder left");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
