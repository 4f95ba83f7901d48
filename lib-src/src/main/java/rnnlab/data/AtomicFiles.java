package rnnlab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that it is either the complete new content or the previous file, never a
 * truncated mix: the bytes go to a hidden temporary file in the same folder, which is flushed to
 * disk ({@link FileChannel#force}) and then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. A writer that throws leaves the old file untouched and
 * no temporary file behind; a process killed mid-write leaves the old file and one hidden
 * {@code .NAME.*.tmp} file. What {@code os.replace} after {@code fsync} does in Python (and what
 * Keras's and PyTorch's {@code save} do not do).
 *
 * <p>Used for every file a user would miss: saved models and checkpoints, downloads, figures.
 */
public final class AtomicFiles {

    /** Writes the content of a file into the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the whole content to {@code tmp} (an existing empty file). */
        void write(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Creates {@code target}'s folder if needed, lets {@code writer} fill a temporary file next to
     * it, forces it to disk and renames it over {@code target} atomically. If anything throws, the
     * temporary file is deleted and {@code target} is as it was.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            forceFolder(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** {@link #write(Path, Writer)} of a stream's content. */
    public static void writeStream(Path target, StreamWriter writer) throws IOException {
        write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
        });
    }

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    public interface StreamWriter {
        /** Writes the whole content to {@code out} (closed by the caller). */
        void write(OutputStream out) throws IOException;
    }

    /** {@link #write(Path, Writer)} of bytes. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    /** {@link #write(Path, Writer)} of UTF-8 text, as an unchecked call for notebook-facing code. */
    public static void writeString(Path target, String text) {
        try {
            write(target, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Makes the rename itself durable (the folder entry); not every file system allows it, which is harmless. */
    private static void forceFolder(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // e.g. a folder on a file system that cannot be opened for reading: the data itself is on disk
        }
    }
}
