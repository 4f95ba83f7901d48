package rnnlab.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The word vocabulary of report 001, experiment 2 (IMDB from raw text, PyTorch), as an immutable
 * value. It mirrors the report's Python exactly:
 * <pre>
 * def preprocess_text(text):
 *     text = text.lower()
 *     text = re.sub(r'[^\w\s]', '', text)       # strip punctuation
 *     text = re.sub(r'\s+', ' ', text).strip()  # collapse whitespace
 * def build_vocab(texts, min_freq=10):          # Counter over preprocess_text(t).split()
 *     vocab = {'&lt;pad&gt;': 0, '&lt;unk&gt;': 1}; idx = 2
 *     for word, count in word_counts.items():   # first-seen order, NOT by frequency
 *         if count &gt;= min_freq: vocab[word] = idx; idx += 1
 * def text_to_indices(text, vocab, max_len=500):
 *     indices = [vocab.get(w, vocab['&lt;unk&gt;']) for w in words[:max_len]]  # keep the head
 *     indices += [vocab['&lt;pad&gt;']] * (max_len - len(indices))           # pad at the end
 * </pre>
 * Python's Unicode {@code \w} (letters, numbers, {@code _}) and {@code \s} (Unicode whitespace)
 * are reproduced per code point ({@link #isPythonWordChar}, {@link #isPythonSpace}), so
 * {@code "<br />"} in IMDB reviews becomes the token {@code br}, as it did in the report.
 * Hand-written: it is a dozen lines of Python that no Java library reproduces exactly.
 *
 * @param index  word → index: {@code <pad>}=0, {@code <unk>}=1, then words in first-seen order
 * @param counts every word's count in the texts it was built from (first-seen order), kept or not
 * @param minFreq the threshold used
 */
public record Vocabulary(Map<String, Integer> index, Map<String, Integer> counts, int minFreq) {

    /** The padding token, index 0. */
    public static final String PAD = "<pad>";
    /** The unknown-word token, index 1. */
    public static final String UNK = "<unk>";
    /** The report's {@code min_freq}. */
    public static final int DEFAULT_MIN_FREQ = 10;
    /** The report's {@code max_len}. */
    public static final int DEFAULT_MAX_LEN = 500;

    /** Copies the maps (insertion order kept) and checks them. */
    public Vocabulary {
        if (index == null || counts == null) {
            throw new IllegalArgumentException("index and counts must not be null; build a Vocabulary with Vocabulary.build(texts, minFreq)");
        }
        if (!Integer.valueOf(0).equals(index.get(PAD)) || !Integer.valueOf(1).equals(index.get(UNK))) {
            throw new IllegalArgumentException("index must map <pad> to 0 and <unk> to 1, but maps them to "
                    + index.get(PAD) + " and " + index.get(UNK));
        }
        boolean[] seen = new boolean[index.size()];
        for (Map.Entry<String, Integer> e : index.entrySet()) {
            Integer v = e.getValue();
            if (v == null || v < 0 || v >= seen.length || seen[v]) {
                throw new IllegalArgumentException("index must number its " + seen.length + " words 0.." + (seen.length - 1)
                        + " without gaps or repeats, but '" + e.getKey() + "' has " + v);
            }
            seen[v] = true;
        }
        index = Collections.unmodifiableMap(new LinkedHashMap<>(index));
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    /** Mirrors {@code build_vocab(texts, min_freq)}. */
    public static Vocabulary build(Iterable<String> texts, int minFreq) {
        if (texts == null) {
            throw new IllegalArgumentException("texts must not be null; pass the training texts");
        }
        LinkedHashMap<String, Integer> counts = new LinkedHashMap<>();
        int i = 0;
        for (String t : texts) {
            if (t == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null; texts must be strings");
            }
            for (String w : tokenize(t)) {
                counts.merge(w, 1, Integer::sum);
            }
            i++;
        }
        LinkedHashMap<String, Integer> index = new LinkedHashMap<>();
        index.put(PAD, 0);
        index.put(UNK, 1);
        int idx = 2;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() >= minFreq) {
                index.put(e.getKey(), idx++);
            }
        }
        return new Vocabulary(index, counts, minFreq);
    }

    /** {@link #build(Iterable, int)} with the report's {@code min_freq=10}. */
    public static Vocabulary build(Iterable<String> texts) {
        return build(texts, DEFAULT_MIN_FREQ);
    }

    /** Mirrors {@code preprocess_text}: lower-case, delete {@code [^\w\s]}, collapse {@code \s+} to one space, strip. */
    public static String preprocess(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        String t = text.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(t.length());
        boolean inSpace = false;
        for (int k = 0; k < t.length(); ) {
            int cp = t.codePointAt(k);
            k += Character.charCount(cp);
            if (isPythonSpace(cp)) {
                inSpace = true;
            } else if (isPythonWordChar(cp)) {
                if (inSpace && sb.length() > 0) {
                    sb.append(' ');
                }
                inSpace = false;
                sb.appendCodePoint(cp);
            }
            // any other code point is punctuation: removed before whitespace is collapsed, so
            // "a , b" -> "a  b" -> "a b" and "a,b" -> "ab", as in the Python
        }
        return sb.toString();
    }

    /** {@code preprocess_text(text).split()}. */
    public static List<String> tokenize(String text) {
        String p = preprocess(text);
        List<String> out = new ArrayList<>();
        if (p.isEmpty()) {
            return out;
        }
        Collections.addAll(out, p.split(" "));
        return out;
    }

    /**
     * Python's {@code \w} for {@code str} patterns: {@code str.isalnum()} (letters Lu/Ll/Lt/Lm/Lo and
     * numbers Nd/Nl/No) or {@code _}.
     */
    public static boolean isPythonWordChar(int cp) {
        if (cp == '_' || Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    /**
     * Python's {@code \s} / {@code str.isspace()}: ASCII {@code \t\n\v\f\r}, {@code \x1c-\x1f}, space,
     * and any code point of category Zs or bidirectional class WS, B or S (CPython's definition).
     */
    public static boolean isPythonSpace(int cp) {
        if (cp < 128) {
            return cp == ' ' || (cp >= 9 && cp <= 13) || (cp >= 0x1c && cp <= 0x1f);
        }
        if (Character.getType(cp) == Character.SPACE_SEPARATOR) {
            return true;
        }
        byte d = Character.getDirectionality(cp);
        return d == Character.DIRECTIONALITY_WHITESPACE || d == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
                || d == Character.DIRECTIONALITY_SEGMENT_SEPARATOR;
    }

    /** Number of entries including {@code <pad>} and {@code <unk>} (the report's "Vocabulary size"). */
    public int size() {
        return index.size();
    }

    /** {@code vocab.get(word, vocab['<unk>'])}. */
    public int indexOf(String word) {
        return index.getOrDefault(word, 1);
    }

    /** Mirrors {@code text_to_indices(text, vocab, max_len)}: head kept, {@code <pad>} appended. */
    public int[] encode(String text, int maxLen) {
        if (maxLen < 0) {
            throw new IllegalArgumentException("maxLen must be >= 0 (the report uses 500), but was " + maxLen);
        }
        List<String> words = tokenize(text);
        int[] out = new int[maxLen]; // zeros are <pad>
        for (int k = 0; k < Math.min(maxLen, words.size()); k++) {
            out[k] = indexOf(words.get(k));
        }
        return out;
    }

    /** {@link #encode(String, int)} with the report's {@code max_len=500}. */
    public int[] encode(String text) {
        return encode(text, DEFAULT_MAX_LEN);
    }

    /** Encodes many texts into {@code int[n][maxLen]}. */
    public int[][] encodeAll(List<String> texts, int maxLen) {
        if (texts == null) {
            throw new IllegalArgumentException("texts must not be null");
        }
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null; texts must be strings");
            }
            out[i] = encode(texts.get(i), maxLen);
        }
        return out;
    }

    /** {@link #encodeAll} as an ND4J matrix {@code [n, maxLen]} of the given type (embedding input layout). */
    public INDArray encodeAsArray(List<String> texts, int maxLen, DataType dataType) {
        return Sequences.toINDArray(encodeAll(texts, maxLen), maxLen, dataType);
    }

    /** The words of an index sequence ({@code <pad>}/{@code <unk>} included), for inspection. */
    public List<String> decode(int[] indices) {
        if (indices == null) {
            throw new IllegalArgumentException("indices must not be null");
        }
        String[] byIndex = new String[index.size()];
        index.forEach((w, i) -> byIndex[i] = w);
        List<String> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            if (i < 0 || i >= byIndex.length) {
                throw new IllegalArgumentException("index " + i + " is outside the vocabulary [0, " + byIndex.length + ")");
            }
            out.add(byIndex[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Vocabulary(size=" + size() + ", min_freq=" + minFreq + ", distinct words seen=" + counts.size() + ")";
    }
}
