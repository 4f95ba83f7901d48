package rnnlab.data;

import java.util.Arrays;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One MNIST split: images and their digit labels, plus the views the report-001 models take.
 * Mirrors a torchvision {@code MNIST} dataset ({@code .data}, {@code .targets}) with its transform
 * applied in bulk.
 *
 * @param images the 8-bit images
 * @param labels digits 0..9, one per image
 */
public record MnistSplit(MnistImages images, int[] labels) {

    /** Checks the counts agree. */
    public MnistSplit {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(images.count() + " images but " + labels.length + " labels");
        }
    }

    /** Number of examples. */
    public int size() {
        return labels.length;
    }

    /** The examples at {@code indices}, in that order. */
    public MnistSplit select(int[] indices) {
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            l[k] = labels[Objects.checkIndex(indices[k], labels.length)];
        }
        return new MnistSplit(images.select(indices), l);
    }

    /** The first {@code n} examples. */
    public MnistSplit head(int n) {
        int[] idx = new int[Math.min(n, size())];
        Arrays.setAll(idx, i -> i);
        return select(idx);
    }

    /**
     * A seeded random split into {@code floor(trainFraction * N)} training and the rest validation
     * examples, like report 001's {@code random_split(train, [int(0.8 * N), N - int(0.8 * N)])}.
     * The permutation comes from {@link NumpyRandomState#permutation(int)} (reproducible, and
     * checkable in numpy); it is not torch's {@code randperm}, so the members differ from a PyTorch run.
     */
    public TrainValidation<MnistSplit> split(double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be in (0, 1), got " + trainFraction);
        }
        int nTrain = (int) (trainFraction * size());
        int[] perm = new NumpyRandomState(seed).permutation(size());
        return new TrainValidation<>(select(Arrays.copyOfRange(perm, 0, nTrain)),
                select(Arrays.copyOfRange(perm, nTrain, size())));
    }

    /** The transformed pixels, {@code [N, size*size]} row-major in one float array. */
    public float[] transformed(MnistTransform t) {
        int s2 = t.size() * t.size();
        float[] out = new float[size() * s2];
        java.util.stream.IntStream.range(0, size()).parallel().forEach(i -> t.apply(images, i, out, i * s2));
        return out;
    }

    /** The CNN view: {@code [N, 1, size, size]} (NCHW), float32. */
    public INDArray images(MnistTransform t) {
        return Nd4j.create(transformed(t), new long[] {size(), 1, t.size(), t.size()}, 'c');
    }

    /**
     * The RNN view: each image as a sequence of its rows, in DL4J's recurrent layout
     * {@code [N, features = size (columns), time = size (rows)]}: element {@code [n, c, r]} is pixel
     * ({@code r}, {@code c}). PyTorch's {@code x.view(-1, 32, 32)} with {@code batch_first=True},
     * transposed to NCW.
     */
    public INDArray sequences(MnistTransform t) {
        INDArray nhw = Nd4j.create(transformed(t), new long[] {size(), t.size(), t.size()}, 'c');
        return nhw.permute(0, 2, 1).dup('c');
    }

    /** Labels one-hot, {@code [N, 10]} float32. */
    public INDArray labelsOneHot() {
        float[] oh = new float[size() * 10];
        for (int i = 0; i < size(); i++) {
            if (labels[i] < 0 || labels[i] > 9) {
                throw new IllegalStateException("label " + labels[i] + " at " + i + " is not a digit 0..9");
            }
            oh[i * 10 + labels[i]] = 1f;
        }
        return Nd4j.create(oh, new long[] {size(), 10}, 'c');
    }

    /** Counts per digit 0..9. */
    public int[] classCounts() {
        int[] c = new int[10];
        for (int l : labels) {
            c[l]++;
        }
        return c;
    }

    @Override
    public String toString() {
        return "MnistSplit[" + size() + " images " + images.rows() + "x" + images.cols() + ", per digit "
                + Arrays.toString(classCounts()) + "]";
    }
}
