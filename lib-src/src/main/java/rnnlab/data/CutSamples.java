package rnnlab.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Cuts the shipped samples in {@code data/} from full copies, reproducibly (fixed seed, fixed
 * timestamps, sorted entries: the same input gives byte-identical output):
 * IMDB 5,000 + 5,000 train and 1,000 + 1,000 test reviews (positive + negative) in the aclImdb layout,
 * plus the word index; MNIST 6,000 train and 1,000 test images (random, kept in file order); the
 * names data whole.
 *
 * <p>Usage: {@code java rnnlab.data.CutSamples <full data dir> <output dir>}, e.g.
 * {@code /work/shared/datasets data}. The project's counterpart of a {@code make_samples.py} script.
 */
public final class CutSamples {

    /** The seed every sample is cut with. */
    public static final long SEED = 20240601L;
    /** Reviews per label in the train sample. */
    public static final int IMDB_TRAIN_PER_LABEL = 5000;
    /** Reviews per label in the test sample. */
    public static final int IMDB_TEST_PER_LABEL = 1000;
    /** MNIST training images in the sample. */
    public static final int MNIST_TRAIN = 6000;
    /** MNIST test images in the sample. */
    public static final int MNIST_TEST = 1000;

    private static final Date EPOCH = new Date(0L);

    private CutSamples() {
    }

    /** Entry point: {@code <full data dir> <output dir>}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java rnnlab.data.CutSamples <full data dir, e.g. /work/shared/datasets> <output dir, e.g. data>");
            System.exit(2);
        }
        cut(DataSource.of(Path.of(args[0])), Path.of(args[1]));
    }

    /** Writes all samples from {@code full} into {@code out}. */
    public static void cut(DataSource full, Path out) throws IOException {
        cutImdb(full, out);
        cutMnist(full, out);
        Path names = out.resolve(DataFile.NAMES_ZIP.relativePath());
        Files.createDirectories(names.getParent());
        Files.copy(full.resolve(DataFile.NAMES_ZIP), names, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("names: copied " + names);
    }

    static void cutImdb(DataSource full, Path out) throws IOException {
        ImdbReader.Reviews all = ImdbReader.read(full);
        NumpyRandomState rng = new NumpyRandomState(SEED);
        List<ImdbReader.Review> picked = new ArrayList<>();
        for (List<ImdbReader.Review> split : List.of(all.train(), all.test())) {
            int per = split == all.train() ? IMDB_TRAIN_PER_LABEL : IMDB_TEST_PER_LABEL;
            for (int label : new int[] {1, 0}) {
                List<ImdbReader.Review> group = split.stream().filter(r -> r.label() == label).toList();
                int[] perm = rng.permutation(group.size());
                int[] take = Arrays.copyOf(perm, Math.min(per, group.size()));
                Arrays.sort(take);
                for (int i : take) {
                    picked.add(group.get(i));
                }
            }
        }
        Path tar = out.resolve(DataFile.IMDB_ACL.relativePath());
        Files.createDirectories(tar.getParent());
        try (OutputStream f = new BufferedOutputStream(Files.newOutputStream(tar));
             GZIPOutputStream gz = new GZIPOutputStream(f);
             TarArchiveOutputStream t = new TarArchiveOutputStream(gz)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String dir : List.of("aclImdb/", "aclImdb/train/", "aclImdb/train/pos/", "aclImdb/train/neg/",
                    "aclImdb/test/", "aclImdb/test/pos/", "aclImdb/test/neg/")) {
                TarArchiveEntry e = new TarArchiveEntry(dir);
                e.setModTime(EPOCH);
                t.putArchiveEntry(e);
                t.closeArchiveEntry();
            }
            for (ImdbReader.Review r : picked) {
                byte[] b = r.text().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry("aclImdb/" + (r.train() ? "train" : "test") + "/"
                        + (r.label() == 1 ? "pos" : "neg") + "/" + r.name());
                e.setSize(b.length);
                e.setModTime(EPOCH);
                t.putArchiveEntry(e);
                t.write(b);
                t.closeArchiveEntry();
            }
        }
        Files.copy(full.resolve(DataFile.IMDB_WORD_INDEX), out.resolve(DataFile.IMDB_WORD_INDEX.relativePath()),
                StandardCopyOption.REPLACE_EXISTING);
        System.out.println("imdb: " + picked.size() + " reviews -> " + tar);
    }

    static void cutMnist(DataSource full, Path out) throws IOException {
        MnistData all = Mnist.load(full);
        NumpyRandomState rng = new NumpyRandomState(SEED);
        MnistSplit train = subset(all.train(), MNIST_TRAIN, rng);
        MnistSplit test = subset(all.test(), MNIST_TEST, rng);
        writeImages(train.images(), out.resolve(DataFile.MNIST_TRAIN_IMAGES.relativePath()));
        writeLabels(train.labels(), out.resolve(DataFile.MNIST_TRAIN_LABELS.relativePath()));
        writeImages(test.images(), out.resolve(DataFile.MNIST_TEST_IMAGES.relativePath()));
        writeLabels(test.labels(), out.resolve(DataFile.MNIST_TEST_LABELS.relativePath()));
        System.out.println("mnist: " + train + " / " + test);
    }

    private static MnistSplit subset(MnistSplit s, int n, NumpyRandomState rng) {
        int[] take = Arrays.copyOf(rng.permutation(s.size()), Math.min(n, s.size()));
        Arrays.sort(take);
        return s.select(take);
    }

    /** Writes an IDX images file, gzip-compressed when the name ends in {@code .gz}. */
    public static void writeImages(MnistImages images, Path file) throws IOException {
        try (DataOutputStream d = idxStream(file)) {
            d.writeInt(Idx.IMAGES_MAGIC);
            d.writeInt(images.count());
            d.writeInt(images.rows());
            d.writeInt(images.cols());
            d.write(images.pixels());
        }
    }

    /** Writes an IDX labels file, gzip-compressed when the name ends in {@code .gz}. */
    public static void writeLabels(int[] labels, Path file) throws IOException {
        try (DataOutputStream d = idxStream(file)) {
            d.writeInt(Idx.LABELS_MAGIC);
            d.writeInt(labels.length);
            for (int l : labels) {
                d.writeByte(l);
            }
        }
    }

    private static DataOutputStream idxStream(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        OutputStream o = new BufferedOutputStream(Files.newOutputStream(file));
        if (file.getFileName().toString().endsWith(".gz")) {
            o = new GZIPOutputStream(o);
        }
        return new DataOutputStream(o);
    }
}
