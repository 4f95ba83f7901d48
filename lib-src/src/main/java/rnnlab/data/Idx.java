package rnnlab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX files MNIST ships in (LeCun's format: big-endian magic {@code 0x00000803} for
 * unsigned-byte 3-D images, {@code 0x00000801} for 1-D labels, then the dimensions, then the bytes),
 * gzip-compressed or raw (detected from the first two bytes, not the file name). Mirrors
 * torchvision's {@code read_image_file}/{@code read_label_file}; hand-written because the format is
 * a 16-byte header (DL4J's own MNIST fetcher downloads by itself and cannot take a local file).
 *
 * <p>Strict: a wrong magic number, a truncated file or trailing bytes are a {@link BadDataException}.
 */
public final class Idx {

    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    private static final long MAX_BYTES = 1L << 30;

    private Idx() {
    }

    /** Reads an images file ({@code *-images-idx3-ubyte[.gz]}). */
    public static MnistImages readImages(Path file) {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in.readInt(), IMAGES_MAGIC, "images (idx3, unsigned byte)");
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (n < 0 || rows <= 0 || cols <= 0 || (long) n * rows * cols > MAX_BYTES) {
                throw new BadDataException(file, "implausible IDX dimensions " + n + " x " + rows + " x " + cols);
            }
            byte[] pixels = new byte[n * rows * cols];
            in.readFully(pixels);
            checkEnd(file, in);
            return new MnistImages(n, rows, cols, pixels);
        } catch (EOFException e) {
            throw new BadDataException(file, "truncated: the file ends before the data its header announces", e);
        } catch (IOException e) {
            throw new BadDataException(file, "cannot read IDX data: " + e, e);
        }
    }

    /** Reads a labels file ({@code *-labels-idx1-ubyte[.gz]}) as ints 0..255. */
    public static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in.readInt(), LABELS_MAGIC, "labels (idx1, unsigned byte)");
            int n = in.readInt();
            if (n < 0 || n > MAX_BYTES) {
                throw new BadDataException(file, "implausible label count " + n);
            }
            byte[] b = new byte[n];
            in.readFully(b);
            checkEnd(file, in);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = b[i] & 0xff;
            }
            return labels;
        } catch (EOFException e) {
            throw new BadDataException(file, "truncated: the file ends before the data its header announces", e);
        } catch (IOException e) {
            throw new BadDataException(file, "cannot read IDX data: " + e, e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        return new DataInputStream(in);
    }

    private static void checkMagic(Path file, int magic, int expected, String what) {
        if (magic != expected) {
            throw new BadDataException(file, String.format("wrong IDX magic number 0x%08X, expected 0x%08X for %s",
                    magic, expected, what));
        }
    }

    private static void checkEnd(Path file, DataInputStream in) throws IOException {
        if (in.read() != -1) {
            throw new BadDataException(file, "trailing bytes after the data its header announces");
        }
    }
}
