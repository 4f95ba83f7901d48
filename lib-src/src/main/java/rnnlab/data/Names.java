package rnnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The surnames corpus of the PyTorch tutorial "Classifying names with a character-level RNN"
 * (report 004): {@code data/names/<Language>.txt}, 18 languages, one name per line, read from
 * {@code names/data.zip} (or an extracted {@code names/data/names/} folder), with the tutorial's
 * {@code unicodeToAscii}, {@code all_letters} (57 letters), {@code letterToIndex},
 * {@code letterToTensor} and {@code lineToTensor}.
 *
 * <p>Languages are sorted by name (the tutorial takes {@code glob} order, which the OS decides).
 * Names that fold to the empty string are dropped (the tutorial keeps them, but an empty tensor
 * cannot be fed to an RNN); their number is small and reported by the tests.
 */
public final class Names {

    /** The tutorial's {@code all_letters = string.ascii_letters + " .,;'"}. */
    public static final String ALL_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;'";
    /** {@code n_letters} = 57. */
    public static final int N_LETTERS = ALL_LETTERS.length();

    private static final Pattern ENTRY = Pattern.compile("(?:^|.*/)names/([^/]+)\\.txt$");
    private static final long MAX_FILE_BYTES = 16L << 20;

    private Names() {
    }


    /** The corpus from {@code source}: {@code names/data/names/*.txt} if extracted, else {@code names/data.zip}. */
    public static NamesData load(DataSource source) {
        for (String dir : List.of("names/data/names", "names/names")) {
            if (Files.isDirectory(source.path(dir))) {
                return fromDirectory(source.path(dir));
            }
        }
        return fromZip(source.resolve(DataFile.NAMES_ZIP));
    }

    /** Reads every {@code *.txt} of a folder as one language. */
    public static NamesData fromDirectory(Path dir) {
        Map<String, List<String>> m = new TreeMap<>();
        FolderGuard guard = new FolderGuard(dir);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted()::iterator) {
                guard.check(f);
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(f);
                } catch (IOException e) {
                    throw new BadDataException(f, "unreadable names file: " + e, e);
                }
                String lang = f.getFileName().toString().replaceFirst("\\.txt$", "");
                m.put(lang, parse(f, bytes));
            }
        } catch (IOException e) {
            throw new BadDataException(dir, "cannot list the names folder: " + e, e);
        }
        return build(dir, m);
    }

    /** Reads every {@code .../names/<Language>.txt} entry of the tutorial's {@code data.zip}. */
    public static NamesData fromZip(Path zip) {
        Map<String, List<String>> m = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Matcher mt = ENTRY.matcher(e.getName());
                if (e.isDirectory() || !mt.matches()) {
                    continue;
                }
                byte[] bytes = readLimited(in, zip.resolve(e.getName()));
                m.put(mt.group(1), parse(zip.resolve(e.getName()), bytes));
            }
        } catch (IOException e) {
            throw new BadDataException(zip, "cannot read as a zip archive (truncated or not a zip?): " + e, e);
        }
        return build(zip, m);
    }

    private static byte[] readLimited(InputStream in, Path where) throws IOException {
        byte[] b = in.readNBytes((int) MAX_FILE_BYTES + 1);
        if (b.length > MAX_FILE_BYTES) {
            throw new BadDataException(where, "names file above the limit of " + MAX_FILE_BYTES + " bytes");
        }
        return b;
    }

    private static NamesData build(Path origin, Map<String, List<String>> m) {
        if (m.isEmpty()) {
            throw new BadDataException(origin, "no names/<Language>.txt files found");
        }
        return new NamesData(new ArrayList<>(m.keySet()), m);
    }

    /** The tutorial's {@code readLines}: UTF-8, strip, split on newlines, fold each line to ASCII. */
    static List<String> parse(Path file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadDataException(file, "names file is not valid UTF-8", e);
        }
        text = text.strip();
        if (text.isEmpty()) {
            throw new BadDataException(file, "empty names file");
        }
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String folded = unicodeToAscii(line);
            if (!folded.isEmpty()) {
                out.add(folded);
            }
        }
        if (out.isEmpty()) {
            throw new BadDataException(file, "no line has any letter of the 57-letter alphabet");
        }
        return out;
    }

    /**
     * Mirrors the tutorial's {@code unicodeToAscii}: NFD-decompose, drop combining marks (category
     * Mn), keep only characters of {@link #ALL_LETTERS}. {@code "Ślusàrski"} → {@code "Slusarski"}.
     */
    public static String unicodeToAscii(String s) {
        String nfd = Normalizer.normalize(s, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); i++) {
            char c = nfd.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK && ALL_LETTERS.indexOf(c) >= 0) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Mirrors {@code letterToIndex}: the index in {@link #ALL_LETTERS}, or -1 (Python's {@code find}). */
    public static int letterToIndex(char c) {
        return ALL_LETTERS.indexOf(c);
    }

    /** The letter indices of a name; a letter outside the alphabet is an error naming it. */
    public static int[] letterIndices(String name) {
        int[] idx = new int[name.length()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = letterToIndex(name.charAt(i));
            if (idx[i] < 0) {
                throw new IllegalArgumentException("'" + name.charAt(i) + "' in '" + name
                        + "' is not one of the 57 letters; fold the name with Names.unicodeToAscii first");
            }
        }
        return idx;
    }

    /** Mirrors {@code letterToTensor}: one-hot {@code [1, 57]}. */
    public static INDArray letterToTensor(char c) {
        return lineToTensor(String.valueOf(c)).reshape(1, N_LETTERS);
    }

    /** Mirrors {@code lineToTensor}: one-hot {@code [len, 1, 57]} (PyTorch's time-major layout, batch 1). */
    public static INDArray lineToTensor(String name) {
        int[] idx = letterIndices(name);
        INDArray t = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, idx.length, 1, N_LETTERS);
        for (int i = 0; i < idx.length; i++) {
            t.putScalar(new long[] {i, 0, idx[i]}, 1f);
        }
        return t;
    }

    /** The same one-hot name in DL4J's recurrent layout {@code [1, 57 features, len time steps]}. */
    public static INDArray lineToSequence(String name) {
        int[] idx = letterIndices(name);
        INDArray t = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, N_LETTERS, idx.length);
        for (int i = 0; i < idx.length; i++) {
            t.putScalar(new long[] {0, idx[i], i}, 1f);
        }
        return t;
    }
}
