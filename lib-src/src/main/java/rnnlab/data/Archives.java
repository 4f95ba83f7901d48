package rnnlab.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

/**
 * Safe extraction of {@code .tar.gz} and {@code .zip} archives (commons-compress): every entry
 * must land inside the target folder (no {@code ..}, no absolute paths, no links), the number
 * of entries and the bytes actually written (not the sizes the headers claim) are capped, and the
 * extraction is all or nothing (a temporary folder moved into place when the whole archive passed).
 * Mirrors Keras's {@code get_file(..., extract=True)} and torchvision's {@code extract_archive},
 * with the path-traversal filter Python 3.12's {@code tarfile} calls {@code data_filter}.
 */
public final class Archives {

    /** Caps for one extraction. */
    public record Limits(long maxTotalBytes, int maxEntries) {
        /** Checks positivity. */
        public Limits {
            if (maxTotalBytes <= 0 || maxEntries <= 0) {
                throw new IllegalArgumentException("limits must be > 0, got " + maxTotalBytes + " bytes, " + maxEntries + " entries");
            }
        }

        /** 4 GB and 200,000 entries: room for aclImdb with unsup (≈ 100k files, 0.5 GB). */
        public static Limits defaults() {
            return new Limits(4L << 30, 200_000);
        }
    }

    private Archives() {
    }

    /**
     * Extracts {@code archive} ({@code .tar.gz}/{@code .tgz} or {@code .zip}) into {@code dest};
     * returns the number of files written. All or nothing: the entries go to a hidden temporary
     * folder inside {@code dest}, and its top-level files and folders are moved into {@code dest}
     * only after the whole archive passed the checks (a refused entry leaves {@code dest} as it
     * was). An archive whose top-level name already exists in {@code dest} is refused before
     * anything is moved.
     */
    public static int extract(Path archive, Path dest, Limits limits) {
        Path target = dest.toAbsolutePath().normalize();
        Path staging;
        try {
            Files.createDirectories(target);
            staging = Files.createTempDirectory(target, ".extract-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create the folder " + target + " to extract " + archive + " into: "
                    + e.getMessage(), e);
        }
        try {
            int files = extractInto(archive, staging, limits);
            List<Path> top;
            try (Stream<Path> s = Files.list(staging)) {
                top = s.toList();
            }
            for (Path p : top) {
                if (Files.exists(target.resolve(p.getFileName()), LinkOption.NOFOLLOW_LINKS)) {
                    throw new BadDataException(archive, "extracting it would replace " + target.resolve(p.getFileName())
                            + ", which already exists; delete it first to extract again");
                }
            }
            for (Path p : top) {
                Files.move(p, target.resolve(p.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            }
            return files;
        } catch (IOException e) {
            throw new BadDataException(archive, "cannot move the extracted files into " + target + ": " + e, e);
        } finally {
            deleteTree(staging);
        }
    }

    /** Deletes a folder and everything in it, not following links; best effort (a leftover is hidden). */
    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // a leftover hidden .extract-* folder is harmless
        }
    }

    private static int extractInto(Path archive, Path root, Limits limits) {
        String name = archive.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16)) {
            ArchiveInputStream in;
            if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
                in = new TarArchiveInputStream(new GZIPInputStream(raw, 1 << 16));
            } else if (name.endsWith(".zip")) {
                in = new ZipArchiveInputStream(raw);
            } else {
                throw new IllegalArgumentException("cannot extract " + archive + ": allowed archive types are .tar.gz, .tgz, .zip");
            }
            try (in) {
                Files.createDirectories(root);
                long total = 0;
                int entries = 0;
                int files = 0;
                ArchiveEntry e;
                byte[] buf = new byte[1 << 16];
                while ((e = in.getNextEntry()) != null) {
                    if (++entries > limits.maxEntries()) {
                        throw new BadDataException(archive, "more than " + limits.maxEntries() + " entries; refusing to extract");
                    }
                    if (e instanceof TarArchiveEntry t && (t.isSymbolicLink() || t.isLink() || t.isCharacterDevice()
                            || t.isBlockDevice() || t.isFIFO())) {
                        throw new BadDataException(archive, "entry '" + e.getName() + "' is a link or device; refusing to extract");
                    }
                    Path target = root.resolve(e.getName()).normalize();
                    if (e.getName().startsWith("/") || !target.startsWith(root) || target.equals(root) && !e.isDirectory()) {
                        throw new BadDataException(archive, "entry '" + e.getName() + "' would be written outside "
                                + root + " (path traversal); refusing to extract");
                    }
                    if (e.isDirectory()) {
                        Files.createDirectories(target);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            total += n;
                            if (total > limits.maxTotalBytes()) {
                                throw new BadDataException(archive, "expands to more than " + limits.maxTotalBytes()
                                        + " bytes; refusing to extract further");
                            }
                            out.write(buf, 0, n);
                        }
                    }
                    files++;
                }
                return files;
            }
        } catch (EOFException e) {
            throw new BadDataException(archive, "truncated archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadDataException(archive, "cannot extract: " + e, e);
        }
    }
}
