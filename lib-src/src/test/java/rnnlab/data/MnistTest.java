package rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import rnnlab.lab.Lab;

class MnistTest {

    @TempDir
    Path tmp;

    private static int[] synthetic() {
        int[] a = new int[28 * 28];
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                a[r * 28 + c] = (r * 28 + c) * 37 % 256;
            }
        }
        return a;
    }

    @Test
    void pilBilinearMatchesPillowBitForBit() {
        // Pillow 9.4: Image.fromarray(a, 'L').resize((32, 32), Image.BILINEAR)
        int[] b = MnistTransform.pilResize(synthetic(), 28, 28, 32, 32);
        long sum = 0;
        long weighted = 0;
        for (int i = 0; i < b.length; i++) {
            sum += b[i];
            weighted += (long) (i + 1) * b[i];
        }
        assertEquals(129826, sum);
        assertEquals(66761752L, weighted);
        assertArrayEquals(new int[] {0, 30, 62, 95, 127, 160}, java.util.Arrays.copyOf(b, 6));
        assertArrayEquals(new int[] {204, 157, 13, 43}, java.util.Arrays.copyOfRange(b, 1020, 1024));
    }

    @Test
    void tensorBilinearMatchesTorch() {
        int[] a = synthetic();
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = a[i] / 255f;
        }
        float[] o = MnistTransform.tensorResize(f, 28, 28, 32, 32);
        double sum = 0;
        for (float v : o) {
            sum += v;
        }
        assertEquals(509.12158203125, sum, 1e-3);
        assertEquals(0.11789216101169586, o[1], 1e-6);
        assertEquals(0.37181374430656433, o[3], 1e-6);
        assertEquals(0.8267157077789307, o[17 * 32 + 9], 1e-6);
    }

    @Test
    void idxRoundTripTransformSplitAndViews() throws Exception {
        int n = 10;
        byte[] px = new byte[n * 28 * 28];
        int[] syn = synthetic();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((syn[i % 784] + i / 784) & 0xff);
        }
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        writeSet(tmp, new MnistImages(n, 28, 28, px), labels);
        MnistData d = Mnist.load(DataSource.of(tmp));
        assertEquals(n, d.train().size());
        assertArrayEquals(px, d.train().images().pixels());

        MnistTransform t = MnistTransform.report001();
        INDArray img = d.train().images(t);
        assertArrayEquals(new long[] {n, 1, 32, 32}, img.shape());
        // pixel (0,0..2) of image 0 after Pillow resize is 0, 30, 62 → torch's Normalize values
        assertEquals(-0.4242129623889923, img.getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(-0.042365945875644684, img.getDouble(0, 0, 0, 1), 1e-6);
        assertEquals(0.36493754386901855, img.getDouble(0, 0, 0, 2), 1e-6);
        INDArray seq = d.train().sequences(t);
        assertArrayEquals(new long[] {n, 32, 32}, seq.shape());
        // [n, feature = column, time = row]
        assertEquals(img.getDouble(3, 0, 5, 17), seq.getDouble(3, 17, 5), 0);
        assertEquals(1.0, d.train().labelsOneHot().getDouble(7, 7));

        TrainValidation<MnistSplit> s = d.train().split(0.8, 42);
        assertEquals(8, s.train().size());
        assertEquals(2, s.validation().size());
        // numpy: RandomState(42).permutation(10) = [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]
        assertArrayEquals(new int[] {8, 1, 5, 0, 7, 2, 9, 4}, s.train().labels());
        assertArrayEquals(new int[] {3, 6}, s.validation().labels());
    }

    @Test
    void rawIdxWithoutGzipIsRead() throws Exception {
        Path dir = tmp.resolve("mnist");
        Files.createDirectories(dir);
        CutSamples.writeImages(new MnistImages(2, 28, 28, new byte[2 * 784]), dir.resolve("train-images-idx3-ubyte"));
        CutSamples.writeLabels(new int[] {3, 4}, dir.resolve("train-labels-idx1-ubyte"));
        CutSamples.writeImages(new MnistImages(1, 28, 28, new byte[784]), dir.resolve("t10k-images-idx3-ubyte"));
        CutSamples.writeLabels(new int[] {5}, dir.resolve("t10k-labels-idx1-ubyte"));
        MnistData d = Mnist.load(DataSource.of(tmp));
        assertArrayEquals(new int[] {3, 4}, d.train().labels());
        assertArrayEquals(new int[] {5}, d.test().labels());
    }

    @Test
    void badFilesAreRejectedWithTheFileAndReason() throws Exception {
        writeSet(tmp, new MnistImages(3, 28, 28, new byte[3 * 784]), new int[] {1, 2});
        BadDataException e = assertThrows(BadDataException.class, () -> Mnist.load(DataSource.of(tmp)));
        assertTrue(e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());

        Path labels = tmp.resolve("lab.gz");
        CutSamples.writeLabels(new int[] {1, 2, 3}, labels);
        e = assertThrows(BadDataException.class, () -> Idx.readImages(labels));
        assertTrue(e.getMessage().contains("wrong IDX magic number 0x00000801") && e.getMessage().contains("lab.gz"),
                e.getMessage());

        Path images = tmp.resolve("img.gz");
        CutSamples.writeImages(new MnistImages(50, 28, 28, new byte[50 * 784]), images);
        Fixtures.truncate(images, (int) Files.size(images) / 2);
        e = assertThrows(BadDataException.class, () -> Idx.readImages(images));
        assertTrue(e.getMessage().contains("img.gz") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shippedSampleLoads() {
        MnistData d = Mnist.load(DataSource.of(Lab.samplesDir()));
        assertEquals(6000, d.train().size());
        assertEquals(1000, d.test().size());
        for (int c : d.train().classCounts()) {
            assertTrue(c > 450, "every digit present in the sample");
        }
    }

    private static void writeSet(Path dir, MnistImages images, int[] labels) throws Exception {
        CutSamples.writeImages(images, dir.resolve(DataFile.MNIST_TRAIN_IMAGES.relativePath()));
        CutSamples.writeLabels(labels, dir.resolve(DataFile.MNIST_TRAIN_LABELS.relativePath()));
        CutSamples.writeImages(images, dir.resolve(DataFile.MNIST_TEST_IMAGES.relativePath()));
        CutSamples.writeLabels(labels, dir.resolve(DataFile.MNIST_TEST_LABELS.relativePath()));
    }
}
