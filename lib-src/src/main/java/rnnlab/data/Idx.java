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
 * <p>Strict: a wrong magic number, a header field outside sane bounds, a file holding fewer bytes
 * than its header announces (checked before anything of that size is allocated) or trailing bytes
 * are a {@link BadDataException} naming the field.
 */
public final class Idx {

    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    private static final long MAX_BYTES = 1L << 30;
    /** Largest image side accepted (MNIST: 28). */
    private static final int MAX_SIDE = 4096;

    private Idx() {
    }

    /** Reads an images file ({@code *-images-idx3-ubyte[.gz]}). */
    public static MnistImages readImages(Path file) {
        try (DataInputStream in = open(file)) {
            checkMagic(file, in.readInt(), IMAGES_MAGIC, "images (idx3, unsigned byte)");
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            checkField(file, "number of images", n, 0, Integer.MAX_VALUE);
            checkField(file, "number of rows", rows, 1, MAX_SIDE);
            checkField(file, "number of columns", cols, 1, MAX_SIDE);
            long announced = (long) n * rows * cols;
            if (announced > MAX_BYTES) {
                throw new BadDataException(file, "IDX header field 'number of images' is " + n + ": " + n + " images of "
                        + rows + " x " + cols + " are " + announced + " bytes, above the limit of " + MAX_BYTES);
            }
            byte[] pixels = readAnnounced(file, in, announced, "number of images", n + " images of " + rows + " x " + cols);            checkEnd(file, in);
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
            checkField(file, "number of labels", n, 0, MAX_BYTES);
            byte[] b = readAnnounced(file, in, n, "number of labels", n + " labels");            checkEnd(file, in);
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

    /** A header field outside [min, max] is a {@link BadDataException} naming it. */
    private static void checkField(Path file, String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new BadDataException(file, "IDX header field '" + field + "' is " + value + ", outside the plausible range ["
                    + min + ", " + max + "]");
        }
    }

    /**
     * Reads the {@code announced} data bytes without trusting the header: the array grows with the
     * bytes actually present (so a lying header costs nothing), then the count is compared.
     */
    private static byte[] readAnnounced(Path file, DataInputStream in, long announced, String field, String what)
            throws IOException {
        byte[] b = in.readNBytes((int) announced);
        if (b.length != announced) {
            throw new BadDataException(file, "truncated: IDX header field '" + field + "' announces " + what + " ("
                    + announced + " bytes of data) but the file holds only " + b.length);
        }
        return b;
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
