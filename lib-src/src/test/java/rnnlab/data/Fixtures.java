package rnnlab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tiny data files the tests write themselves. */
final class Fixtures {

    private Fixtures() {
    }

    /** Writes a .tar.gz with the given entry name → content. */
    static void tarGz(Path file, Map<String, String> entries) throws IOException {
        tarGz(file, entries, t -> { });
    }

    /** Writes more entries (links, say) into an open tar after the regular files. */
    interface TarExtra {
        void write(TarArchiveOutputStream t) throws IOException;
    }

    /** {@link #tarGz(Path, Map)}, then {@code extra}'s entries. */
    static void tarGz(Path file, Map<String, String> entries, TarExtra extra) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream o = Files.newOutputStream(file); GZIPOutputStream gz = new GZIPOutputStream(o);
             TarArchiveOutputStream t = new TarArchiveOutputStream(gz)) {
            for (var e : entries.entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(b.length);
                t.putArchiveEntry(te);
                t.write(b);
                t.closeArchiveEntry();
            }
            extra.write(t);
        }
    }

    /** Writes a .zip with the given entry name → content. */
    static void zip(Path file, Map<String, String> entries) throws IOException {
        Files.createDirectories(file.getParent());
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    /** Cuts a file to its first {@code keep} bytes. */
    static void truncate(Path file, int keep) throws IOException {
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, keep));
    }
}
