package rnnlab.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads MNIST from the four IDX files ({@code mnist/*-ubyte.gz}, or the same names without
 * {@code .gz} when extracted). Mirrors {@code torchvision.datasets.MNIST(root, train, download=True)};
 * apply {@link MnistTransform#report001()} through {@link MnistSplit#images(MnistTransform)} or
 * {@link MnistSplit#sequences(MnistTransform)}, and cut the validation part with
 * {@link MnistSplit#split(double, long)}.
 */
public final class Mnist {

    private Mnist() {
    }


    /** Both splits from {@code source}. */
    public static MnistData load(DataSource source) {
        return new MnistData(
                split(source, DataFile.MNIST_TRAIN_IMAGES, DataFile.MNIST_TRAIN_LABELS),
                split(source, DataFile.MNIST_TEST_IMAGES, DataFile.MNIST_TEST_LABELS));
    }

    private static MnistSplit split(DataSource source, DataFile imagesFile, DataFile labelsFile) {
        Path ip = file(source, imagesFile);
        Path lp = file(source, labelsFile);
        MnistImages images = Idx.readImages(ip);
        int[] labels = Idx.readLabels(lp);
        if (images.count() != labels.length) {
            throw new BadDataException(ip, "holds " + images.count() + " images but " + lp + " holds "
                    + labels.length + " labels; the two files must come from the same split");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > 9) {
                throw new BadDataException(lp, "label " + labels[i] + " at index " + i + " is not a digit 0..9");
            }
        }
        return new MnistSplit(images, labels);
    }

    private static Path file(DataSource source, DataFile f) {
        String rel = f.relativePath();
        Path raw = source.path(rel.substring(0, rel.length() - ".gz".length()));
        if (!Files.exists(source.path(rel)) && Files.isRegularFile(raw)) {
            return raw;
        }
        return source.resolve(f);
    }
}
