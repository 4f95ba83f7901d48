package rnnlab.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads the labelled reviews of {@code aclImdb/{train,test}/{pos,neg}/*.txt}, straight from the
 * {@code .tar.gz} (commons-compress over the JDK's gzip) or from an extracted {@code aclImdb/}
 * folder. Within each split, positives come first, then negatives, each sorted by file name in
 * byte order: the order of the arrays in Keras's {@code imdb.npz} (checked against two known
 * seeds, see {@link Imdb}).
 */
final class ImdbReader {

    static final String TAR = DataFile.IMDB_ACL.relativePath();
    static final String EXTRACTED = "imdb/aclImdb";
    /** A review entry: {@code aclImdb/{train,test}/{pos,neg}/NAME.txt}, nothing before the top folder but {@code ./}. */
    private static final Pattern REVIEW = Pattern.compile("(?:\\./)?aclImdb/(train|test)/(pos|neg)/([^/]+\\.txt)");
    /** What looks like a review somewhere else in the archive ({@code ../aclImdb/...}, {@code x/aclImdb/...}). */
    private static final Pattern REVIEW_ANYWHERE = Pattern.compile(".*aclImdb/(train|test)/(pos|neg)/[^/]+\\.txt");
    private static final String LAYOUT = "aclImdb/{train,test}/{pos,neg}/*.txt";
    /** Refuse a single review above this size (the longest real one is ~14 kB). */
    static final int MAX_REVIEW_BYTES = 1 << 20;

    /** One review: split, label (1 pos / 0 neg), file name, text. */
    record Review(boolean train, int label, String name, String text) {
    }

    /** The four groups, each in npz order. */
    record Reviews(List<Review> train, List<Review> test, Path origin) {
    }

    private ImdbReader() {
    }

    static Reviews read(DataSource source) {
        if (Files.isDirectory(source.path(EXTRACTED))) {
            return readDir(source.path(EXTRACTED));
        }
        return readTar(source.resolve(DataFile.IMDB_ACL));
    }

    static Reviews readTar(Path tar) {
        List<Review> all = new ArrayList<>(50_000);
        try (InputStream raw = Files.newInputStream(tar);
             GZIPInputStream gz = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16);
             TarArchiveInputStream in = new TarArchiveInputStream(gz)) {
            TarArchiveEntry e;
            while ((e = in.getNextTarEntry()) != null) {
                String name = e.getName();
                Matcher m = REVIEW.matcher(name);
                boolean traversal = name.startsWith("/") || ("/" + name + "/").contains("/../");
                if (traversal || !m.matches() && REVIEW_ANYWHERE.matcher(name).matches()) {
                    throw new BadDataException(tar, "entry '" + name + "' is outside the expected layout " + LAYOUT
                            + (traversal ? " (a path with .. or /)" : "") + "; this is not the aclImdb archive as published");
                }
                if (!m.matches()) {
                    continue;
                }
                if (e.isSymbolicLink() || e.isLink()) {
                    throw new BadDataException(tar.resolve(name), "link entry, not a file (a link to '" + e.getLinkName()
                            + "'); the published archive holds every review as a plain file");
                }
                if (!e.isFile()) {
                    throw new BadDataException(tar.resolve(name), "not a plain file in the archive (a folder, device or FIFO"
                            + " entry)");
                }
                if (e.getSize() > MAX_REVIEW_BYTES) {
                    throw new BadDataException(tar.resolve(e.getName()), "review of " + e.getSize()
                            + " bytes, above the limit of " + MAX_REVIEW_BYTES);
                }
                byte[] bytes = in.readNBytes((int) e.getSize());
                if (bytes.length != e.getSize()) {
                    throw new BadDataException(tar.resolve(e.getName()), "archive ends inside this entry");
                }
                all.add(review(tar.resolve(e.getName()), m, bytes));
            }
        } catch (EOFException e) {
            throw new BadDataException(tar, "truncated archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadDataException(tar, "cannot read as .tar.gz: " + e, e);
        }
        return group(all, tar);
    }

    static Reviews readDir(Path aclImdb) {
        List<Review> all = new ArrayList<>(50_000);
        FolderGuard guard = new FolderGuard(aclImdb);
        for (String split : List.of("train", "test")) {
            for (String label : List.of("pos", "neg")) {
                Path dir = aclImdb.resolve(split).resolve(label);
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                guard.check(dir);
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".txt"))::iterator) {
                        Matcher m = REVIEW.matcher("aclImdb/" + split + "/" + label + "/" + f.getFileName());
                        if (!m.matches()) {
                            continue;
                        }
                        guard.check(f);
                        byte[] bytes;
                        try {
                            if (Files.size(f) > MAX_REVIEW_BYTES) {
                                throw new BadDataException(f, "review above the limit of " + MAX_REVIEW_BYTES + " bytes");
                            }
                            bytes = Files.readAllBytes(f);
                        } catch (IOException e) {
                            throw new BadDataException(f, "unreadable review file: " + e, e);
                        }
                        all.add(review(f, m, bytes));
                    }
                } catch (IOException e) {
                    throw new BadDataException(dir, "cannot list review folder: " + e, e);
                }
            }
        }
        return group(all, aclImdb);
    }

    private static Review review(Path where, Matcher m, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadDataException(where, "review is not valid UTF-8", e);
        }
        if (text.isBlank()) {
            throw new BadDataException(where, "empty review");
        }
        return new Review(m.group(1).equals("train"), m.group(2).equals("pos") ? 1 : 0, m.group(3), text);
    }

    private static Reviews group(List<Review> all, Path origin) {
        Comparator<Review> npzOrder = Comparator.comparingInt((Review r) -> -r.label()).thenComparing(Review::name);
        List<Review> train = new ArrayList<>();
        List<Review> test = new ArrayList<>();
        for (Review r : all) {
            (r.train() ? train : test).add(r);
        }
        train.sort(npzOrder);
        test.sort(npzOrder);
        for (var split : List.of(train, test)) {
            String name = split == train ? "train" : "test";
            long pos = split.stream().filter(r -> r.label() == 1).count();
            if (pos == 0 || pos == split.size()) {
                throw new BadDataException(origin, "no " + (pos == 0 ? "positive" : "negative") + " reviews in aclImdb/"
                        + name + "/" + (pos == 0 ? "pos" : "neg") + "; expected the aclImdb layout {train,test}/{pos,neg}/*.txt");
            }
        }
        return new Reviews(List.copyOf(train), List.copyOf(test), origin);
    }
}
