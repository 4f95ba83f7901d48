package rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 6: a size read from a file decides nothing before it is checked against the bytes
 * present; each lie is a {@link BadDataException} naming the file and the field.
 */
class SizeBoundsTest {

    /** Bytes this thread allocated while running {@code r} (HotSpot's per-thread counter). */
    private static long allocated(Runnable r) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        r.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    private static void idx(Path file, int magic, int[] dims, int dataBytes, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
             OutputStream o = gzip ? new GZIPOutputStream(raw) : raw;
             DataOutputStream out = new DataOutputStream(o)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(new byte[dataBytes]);
        }
    }

    @Test
    void anIdxHeaderAnnouncingMoreImagesThanTheFileHoldsAllocatesNothingBig(@TempDir Path dir) throws IOException {
        for (boolean gzip : new boolean[] {true, false}) {
            Path f = dir.resolve(gzip ? "big-images.gz" : "big-images");
            idx(f, Idx.IMAGES_MAGIC, new int[] {1_300_000, 28, 28}, 10 * 784, gzip);
            BadDataException[] e = new BadDataException[1];
            long bytes = allocated(() -> e[0] = assertThrows(BadDataException.class, () -> Idx.readImages(f)));
            assertTrue(bytes < 64L << 20, "allocated " + bytes + " bytes for a file of " + Files.size(f));
            assertTrue(e[0].getMessage().contains(f.toString()) && e[0].getMessage().contains("number of images")
                    && e[0].getMessage().contains("1300000"), e[0].getMessage());
        }
    }

    @Test
    void anIdxLabelCountAboveTheBytesPresentIsNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("labels");
        idx(f, Idx.LABELS_MAGIC, new int[] {1_000_000_000}, 5, false);
        BadDataException[] e = new BadDataException[1];
        long bytes = allocated(() -> e[0] = assertThrows(BadDataException.class, () -> Idx.readLabels(f)));
        assertTrue(bytes < 64L << 20, "allocated " + bytes);
        assertTrue(e[0].getMessage().contains("number of labels"), e[0].getMessage());
    }

    @Test
    void anIdxImageSizeOutsideSaneBoundsIsNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("wide");
        idx(f, Idx.IMAGES_MAGIC, new int[] {1, 1, 200_000}, 200_000, false);
        BadDataException e = assertThrows(BadDataException.class, () -> Idx.readImages(f));
        assertTrue(e.getMessage().contains("number of columns"), e.getMessage());
    }

    @Test
    void hugeWordIndexRanksAreRefusedNamingTheWord(@TempDir Path dir) throws IOException {
        for (String rank : new String[] {"2000000000", "2147483647"}) {
            Path f = dir.resolve("wi.json");
            Files.writeString(f, "{\"the\": 1, \"film\": " + rank + "}");
            BadDataException[] e = new BadDataException[1];
            long bytes = allocated(() -> e[0] = assertThrows(BadDataException.class, () -> WordIndex.read(f)));
            assertTrue(bytes < 64L << 20, "allocated " + bytes);
            assertTrue(e[0].getMessage().contains("wi.json") && e[0].getMessage().contains("rank of 'film'")
                    && e[0].getMessage().contains(rank), e[0].getMessage());
        }
        // sparse ranks given in code are fine and cost nothing
        assertEquals("b", new WordIndex(java.util.Map.of("a", 1, "b", 1_000_000_000)).word(1_000_000_000));
    }
}
