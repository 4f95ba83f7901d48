package rnnlab.data;

import java.net.URI;
import java.util.Locale;

/**
 * The dataset files the loaders know: where each lives inside a data directory (the layout of the
 * project's shared mirror: {@code imdb/}, {@code mnist/}, {@code names/}), its canonical download
 * URL, and a checksum table saying which SHA-256 belongs to the canonical download and which to
 * the shared mirror's copy (the mirror repacks some files, see its README).
 *
 * <p>Mirrors the {@code origin} + {@code file_hash} pairs of Keras's {@code get_file} calls and
 * torchvision's {@code resources} lists.
 */
public enum DataFile {
    /** Large Movie Review Dataset v1.0 (Maas et al. 2011). Mirror: repacked without unsup/feat/urls. */
    IMDB_ACL("imdb/aclImdb_v1.tar.gz",
            "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
            "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
            "078235678ceb60a0356ca8cf8585ea397f5f2cfa1bf90a5cd9d72c14c5212eb3"),
    /** Keras's {@code imdb_word_index.json} (word → frequency rank); the mirror copy is identical. */
    IMDB_WORD_INDEX("imdb/imdb_word_index.json",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
            "9ce86165dbfd92a09e3558794c377872eba6af8baec07fdfa3b61ecf2518c6e4",
            "9ce86165dbfd92a09e3558794c377872eba6af8baec07fdfa3b61ecf2518c6e4"),
    /** Keras's pre-tokenised {@code imdb.npz}; not in the mirror, used when present. */
    IMDB_NPZ("imdb/imdb.npz",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz",
            "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
            null),
    /** MNIST training images; the mirror's copy was rebuilt from PNGs (pixels within ±1). */
    MNIST_TRAIN_IMAGES("mnist/train-images-idx3-ubyte.gz",
            "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz",
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "8e59d4e6322d5e291f26338633ee8015e1369ee4616a784cd934bc27c2948978"),
    /** MNIST training labels (mirror identical to canonical). */
    MNIST_TRAIN_LABELS("mnist/train-labels-idx1-ubyte.gz",
            "https://ossci-datasets.s3.amazonaws.com/mnist/train-labels-idx1-ubyte.gz",
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
    /** MNIST test images (mirror identical to canonical). */
    MNIST_TEST_IMAGES("mnist/t10k-images-idx3-ubyte.gz",
            "https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz",
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
    /** MNIST test labels (mirror identical to canonical). */
    MNIST_TEST_LABELS("mnist/t10k-labels-idx1-ubyte.gz",
            "https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz",
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    /**
     * The PyTorch char-RNN tutorial's {@code data.zip}. Its canonical SHA-256 is not published, so
     * a download is accepted unverified (and said so); the mirror's copy is repacked.
     */
    NAMES_ZIP("names/data.zip",
            "https://download.pytorch.org/tutorial/data.zip",
            null,
            "37b2b5c46776357931f503d4c97617b6198c3730d661add683aca7b2e0aafc12");

    /** Which entry of the checksum table a file's SHA-256 matched. */
    public enum Provenance {
        /** Byte-identical to the canonical download. */
        CANONICAL,
        /** Byte-identical to the project's shared mirror copy (which differs from canonical). */
        MIRROR,
        /** Matches neither known checksum (or none is known): a local copy used as is. */
        UNKNOWN
    }

    private final String relativePath;
    private final URI url;
    private final String canonicalSha256;
    private final String mirrorSha256;

    DataFile(String relativePath, String url, String canonicalSha256, String mirrorSha256) {
        this.relativePath = relativePath;
        this.url = URI.create(url);
        this.canonicalSha256 = canonicalSha256;
        this.mirrorSha256 = mirrorSha256;
    }

    /** Path inside a data directory, with '/' separators, e.g. {@code mnist/t10k-labels-idx1-ubyte.gz}. */
    public String relativePath() {
        return relativePath;
    }

    /** The canonical download URL. */
    public URI url() {
        return url;
    }

    /** SHA-256 (lower-case hex) of the canonical download, or {@code null} when none is published. */
    public String canonicalSha256() {
        return canonicalSha256;
    }

    /** SHA-256 of the shared mirror's copy, or {@code null} when the mirror does not hold it. */
    public String mirrorSha256() {
        return mirrorSha256;
    }

    /** Which table entry {@code sha256} matches (canonical is checked first). */
    public Provenance provenanceOf(String sha256) {
        String s = sha256 == null ? "" : sha256.toLowerCase(Locale.ROOT);
        if (s.equals(canonicalSha256)) {
            return Provenance.CANONICAL;
        }
        if (s.equals(mirrorSha256)) {
            return Provenance.MIRROR;
        }
        return Provenance.UNKNOWN;
    }
}
