package rnnlab.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mirrors {@code tf.keras.preprocessing.text.Tokenizer(num_words=None, filters=..., lower=True,
 * split=' ', char_level=False, oov_token=None)}, following its source
 * ({@code keras_preprocessing/text.py}) step by step:
 * <ul>
 *   <li>tokenising ({@link #textToWordSequence}): lower-case, replace every {@code filters}
 *       character by {@code split}, split on {@code split}, drop empty strings; with
 *       {@code char_level} every character (after lower-casing, without filtering) is a token;</li>
 *   <li>{@link #fitOnTexts}: {@code word_counts} in first-seen order, {@code word_docs} (documents
 *       containing the word), {@code document_count}; {@code word_index} ranks words by count
 *       descending, ties in first-seen order (Python's stable sort with {@code reverse=True}),
 *       from 1; with {@code oov_token} that token takes index 1 and every word shifts by one.
 *       {@code word_index} keeps every word, whatever {@code num_words} is;</li>
 *   <li>{@link #textsToSequences}: unknown words are dropped, or mapped to the OOV index when
 *       {@code oov_token} is set; with {@code num_words} only indices {@code < num_words} are kept
 *       (others dropped, or mapped to the OOV index);</li>
 *   <li>{@link #textsToMatrix}/{@link #sequencesToMatrix}: width {@code num_words}, or
 *       {@code len(word_index)+1}; modes {@code binary} (1), {@code count} (c), {@code freq}
 *       (c / len(seq), the length before dropping indices ≥ width) and {@code tfidf}
 *       ({@code (1 + ln c) · ln(1 + document_count / (1 + index_docs[j]))}).</li>
 * </ul>
 * As in Keras, {@code num_words} of 0 means "no limit" (Python's {@code if num_words and ...}).
 * Deviations, all towards clearer errors: calling a transform before any fit throws
 * {@link IllegalStateException} (Keras silently returns empty lists, or {@code None} entries with an
 * OOV token); an unknown matrix {@code mode} and negative indices are rejected up front.
 * {@code word_docs}/{@code index_docs} iterate in first-seen order (Keras's order depends on Python's
 * string hashing). Like the Keras object, a {@code Tokenizer} is configured once (immutable options,
 * see {@link #builder()}) and accumulates state with each {@code fit*} call.
 * Hand-written: ND4J/DL4J have no Keras-compatible tokenizer.
 */
public final class Tokenizer {

    /** Keras's default {@code filters}: all ASCII punctuation except {@code '}, plus tab and newline. */
    public static final String DEFAULT_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    /** The vectorisation modes of {@code texts_to_matrix}. */
    public static final List<String> MODES = List.of("binary", "count", "tfidf", "freq");

    private final Integer numWords;
    private final String filters;
    private final Set<Integer> filterCodePoints;
    private final boolean lower;
    private final String split;
    private final boolean charLevel;
    private final String oovToken;

    private final LinkedHashMap<String, Integer> wordCounts = new LinkedHashMap<>();
    private final LinkedHashMap<String, Integer> wordDocs = new LinkedHashMap<>();
    private final LinkedHashMap<Integer, Integer> indexDocs = new LinkedHashMap<>();
    private LinkedHashMap<String, Integer> wordIndex = new LinkedHashMap<>();
    private LinkedHashMap<Integer, String> indexWord = new LinkedHashMap<>();
    private int documentCount;

    private Tokenizer(Builder b) {
        this.numWords = b.numWords;
        this.filters = b.filters;
        this.filterCodePoints = new LinkedHashSet<>();
        b.filters.codePoints().forEach(filterCodePoints::add);
        this.lower = b.lower;
        this.split = b.split;
        this.charLevel = b.charLevel;
        this.oovToken = b.oovToken;
    }

    /** A builder with the Keras defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code Tokenizer()} with all Keras defaults. */
    public static Tokenizer create() {
        return builder().build();
    }

    /** {@code Tokenizer(num_words=numWords)}, the form report 003 uses. */
    public static Tokenizer withNumWords(int numWords) {
        return builder().numWords(numWords).build();
    }

    // ------------------------------------------------------------------ tokenising

    /**
     * Mirrors {@code text_to_word_sequence(text, filters, lower, split)}: lower-case (if asked),
     * replace each filter character by {@code split}, split on {@code split}, drop empty tokens.
     */
    public static List<String> textToWordSequence(String text, String filters, boolean lower, String split) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        if (filters == null) {
            throw new IllegalArgumentException("filters must not be null (use \"\" for no filtering)");
        }
        checkSplit(split);
        Set<Integer> fs = new java.util.HashSet<>();
        filters.codePoints().forEach(fs::add);
        return wordSequence(text, fs, lower, split);
    }

    /**
     * {@link #textToWordSequence(String, String, boolean, String)} with the Keras defaults (lower-case,
     * {@link #DEFAULT_FILTERS} to spaces, split on spaces). A single pass over the characters with a
     * table of the (ASCII) default filters: the IMDB loaders tokenise every review through it.
     */
    public static List<String> textToWordSequence(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        List<String> out = new ArrayList<>();
        String s = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0, n = s.length(); i <= n; i++) {
            char c = i == n ? ' ' : s.charAt(i);
            if (c == ' ' || (c < 128 && DEFAULT_FILTER_TABLE[c])) {
                if (start >= 0) {
                    out.add(s.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        return out;
    }

    private static final boolean[] DEFAULT_FILTER_TABLE = new boolean[128];

    static {
        for (char c : DEFAULT_FILTERS.toCharArray()) {
            DEFAULT_FILTER_TABLE[c] = true;
        }
    }

    private static List<String> wordSequence(String text, Set<Integer> filterSet, boolean lower, String split) {
        String t = lower ? text.toLowerCase(Locale.ROOT) : text;
        StringBuilder sb = new StringBuilder(t.length());
        t.codePoints().forEach(cp -> {
            if (filterSet.contains(cp)) {
                sb.append(split);
            } else {
                sb.appendCodePoint(cp);
            }
        });
        String s = sb.toString();
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = s.indexOf(split, from);
            String piece = at < 0 ? s.substring(from) : s.substring(from, at);
            if (!piece.isEmpty()) {
                out.add(piece);
            }
            if (at < 0) {
                return out;
            }
            from = at + split.length();
        }
    }

    /** The tokens this tokenizer sees in one text (word- or character-level). */
    public List<String> tokens(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text must not be null");
        }
        if (charLevel) {
            String t = lower ? text.toLowerCase(Locale.ROOT) : text;
            List<String> out = new ArrayList<>();
            t.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
            return out;
        }
        return wordSequence(text, filterCodePoints, lower, split);
    }

    private List<String> tokens(List<String> tokenList) {
        List<String> out = new ArrayList<>(tokenList.size());
        for (String w : tokenList) {
            if (w == null) {
                throw new IllegalArgumentException("a token list contains null; tokens must be strings");
            }
            out.add(lower ? w.toLowerCase(Locale.ROOT) : w);
        }
        return out;
    }

    // ------------------------------------------------------------------ fitting

    /** Mirrors {@code fit_on_texts(texts)} for a list of strings. */
    public Tokenizer fitOnTexts(List<String> texts) {
        checkList(texts, "texts");
        List<List<String>> seqs = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null; texts must be strings");
            }
            seqs.add(tokens(texts.get(i)));
        }
        return fitTokens(seqs);
    }

    /** {@link #fitOnTexts(List)} for texts given inline. */
    public Tokenizer fitOnTexts(String... texts) {
        return fitOnTexts(texts == null ? null : Arrays.asList(texts));
    }

    /** Mirrors {@code fit_on_texts} given a list of token lists (Keras: "each entry of the lists is a token"). */
    public Tokenizer fitOnTokenLists(List<? extends List<String>> tokenLists) {
        checkList(tokenLists, "tokenLists");
        List<List<String>> seqs = new ArrayList<>();
        for (int i = 0; i < tokenLists.size(); i++) {
            if (tokenLists.get(i) == null) {
                throw new IllegalArgumentException("tokenLists[" + i + "] is null");
            }
            seqs.add(tokens(tokenLists.get(i)));
        }
        return fitTokens(seqs);
    }

    private Tokenizer fitTokens(List<List<String>> seqs) {
        for (List<String> seq : seqs) {
            documentCount++;
            for (String w : seq) {
                wordCounts.merge(w, 1, Integer::sum);
            }
            for (String w : new LinkedHashSet<>(seq)) {
                wordDocs.merge(w, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> wcounts = new ArrayList<>(wordCounts.entrySet());
        // List.sort is stable, like Python's sort(reverse=True): ties keep first-seen order
        wcounts.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
        List<String> sortedVoc = new ArrayList<>();
        if (oovToken != null) {
            sortedVoc.add(oovToken);
        }
        for (Map.Entry<String, Integer> e : wcounts) {
            sortedVoc.add(e.getKey());
        }
        LinkedHashMap<String, Integer> wi = new LinkedHashMap<>();
        for (int i = 0; i < sortedVoc.size(); i++) {
            wi.put(sortedVoc.get(i), i + 1); // a word equal to oov_token overwrites it, as dict(zip(...)) does
        }
        wordIndex = wi;
        LinkedHashMap<Integer, String> iw = new LinkedHashMap<>();
        wi.forEach((w, c) -> iw.put(c, w));
        indexWord = iw;
        wordDocs.forEach((w, c) -> indexDocs.put(wordIndex.get(w), c));
        return this;
    }

    /** Mirrors {@code fit_on_sequences(sequences)}: counts documents and {@code index_docs} only. */
    public Tokenizer fitOnSequences(int[][] sequences) {
        checkSequences(sequences);
        documentCount += sequences.length;
        for (int[] seq : sequences) {
            LinkedHashSet<Integer> distinct = new LinkedHashSet<>();
            for (int j : seq) {
                distinct.add(j);
            }
            for (int j : distinct) {
                indexDocs.merge(j, 1, Integer::sum);
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ transforming

    /** Mirrors {@code texts_to_sequences(texts)}. */
    public int[][] textsToSequences(List<String> texts) {
        checkList(texts, "texts");
        requireFitted("textsToSequences");
        int[][] out = new int[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException("texts[" + i + "] is null; texts must be strings");
            }
            out[i] = encode(tokens(texts.get(i)));
        }
        return out;
    }

    /** {@link #textsToSequences(List)} for texts given inline. */
    public int[][] textsToSequences(String... texts) {
        return textsToSequences(texts == null ? null : Arrays.asList(texts));
    }

    /** Mirrors {@code texts_to_sequences} given token lists. */
    public int[][] tokenListsToSequences(List<? extends List<String>> tokenLists) {
        checkList(tokenLists, "tokenLists");
        requireFitted("tokenListsToSequences");
        int[][] out = new int[tokenLists.size()][];
        for (int i = 0; i < out.length; i++) {
            if (tokenLists.get(i) == null) {
                throw new IllegalArgumentException("tokenLists[" + i + "] is null");
            }
            out[i] = encode(tokens(tokenLists.get(i)));
        }
        return out;
    }

    private int[] encode(List<String> seq) {
        Integer oovIndex = oovToken == null ? null : wordIndex.get(oovToken);
        int limit = numWords == null ? 0 : numWords;
        List<Integer> vect = new ArrayList<>(seq.size());
        for (String w : seq) {
            Integer i = wordIndex.get(w);
            if (i != null) {
                if (limit != 0 && i >= limit) {
                    if (oovIndex != null) {
                        vect.add(oovIndex);
                    }
                } else {
                    vect.add(i);
                }
            } else if (oovIndex != null) {
                vect.add(oovIndex);
            }
        }
        return vect.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Mirrors {@code sequences_to_texts(sequences)}: known indices (below {@code num_words}) joined with spaces. */
    public List<String> sequencesToTexts(int[][] sequences) {
        checkSequences(sequences);
        requireFitted("sequencesToTexts");
        Integer oovIndex = oovToken == null ? null : wordIndex.get(oovToken);
        int limit = numWords == null ? 0 : numWords;
        List<String> out = new ArrayList<>();
        for (int[] seq : sequences) {
            List<String> vect = new ArrayList<>();
            for (int num : seq) {
                String word = indexWord.get(num);
                if (word != null) {
                    if (limit != 0 && num >= limit) {
                        if (oovIndex != null) {
                            vect.add(indexWord.get(oovIndex));
                        }
                    } else {
                        vect.add(word);
                    }
                } else if (oovIndex != null) {
                    vect.add(indexWord.get(oovIndex));
                }
            }
            out.add(String.join(" ", vect));
        }
        return out;
    }

    /** Mirrors {@code texts_to_matrix(texts, mode)}; {@code mode} is one of {@link #MODES}. */
    public double[][] textsToMatrix(List<String> texts, String mode) {
        checkMode(mode);
        return sequencesToMatrix(textsToSequences(texts), mode);
    }

    /** {@link #textsToMatrix(List, String)} with Keras's default mode {@code 'binary'}. */
    public double[][] textsToMatrix(List<String> texts) {
        return textsToMatrix(texts, "binary");
    }

    /** {@link #textsToMatrix(List, String)} as an ND4J {@code DOUBLE} matrix (numpy's float64). */
    public INDArray textsToMatrixArray(List<String> texts, String mode) {
        double[][] m = textsToMatrix(texts, mode);
        return m.length == 0 ? Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 0, matrixWidth())
                : Nd4j.createFromArray(m);
    }

    /** Mirrors {@code sequences_to_matrix(sequences, mode)}. */
    public double[][] sequencesToMatrix(int[][] sequences, String mode) {
        checkSequences(sequences);
        checkMode(mode);
        int width = matrixWidth();
        if (mode.equals("tfidf") && documentCount == 0) {
            throw new IllegalStateException("fit the Tokenizer on some data (fitOnTexts/fitOnSequences) before using tfidf mode");
        }
        double[][] x = new double[sequences.length][width];
        for (int i = 0; i < sequences.length; i++) {
            int[] seq = sequences[i];
            if (seq.length == 0) {
                continue;
            }
            LinkedHashMap<Integer, Integer> counts = new LinkedHashMap<>();
            for (int j : seq) {
                if (j < 0) {
                    throw new IllegalArgumentException("sequences[" + i + "] contains the negative index " + j
                            + "; word indices are >= 0");
                }
                if (j >= width) {
                    continue;
                }
                counts.merge(j, 1, Integer::sum);
            }
            for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
                int j = e.getKey();
                int c = e.getValue();
                switch (mode) {
                    case "count" -> x[i][j] = c;
                    case "freq" -> x[i][j] = (double) c / seq.length;
                    case "binary" -> x[i][j] = 1;
                    default -> { // tfidf, weighting scheme 2 of Wikipedia's tf-idf article, as in Keras
                        double tf = 1 + Math.log(c);
                        double idf = Math.log(1 + (double) documentCount / (1 + indexDocs.getOrDefault(j, 0)));
                        x[i][j] = tf * idf;
                    }
                }
            }
        }
        return x;
    }

    private int matrixWidth() {
        if (numWords == null || numWords == 0) {
            if (!wordIndex.isEmpty()) {
                return wordIndex.size() + 1;
            }
            throw new IllegalStateException("specify a dimension (numWords), or fit on some text data first "
                    + "(tf.keras: 'Specify a dimension (num_words argument), or fit on some text data first.')");
        }
        return numWords;
    }

    // ------------------------------------------------------------------ state (Keras attribute names)

    /** {@code word_counts}: token → occurrences, in first-seen order. */
    public Map<String, Integer> wordCounts() {
        return Collections.unmodifiableMap(wordCounts);
    }

    /** {@code word_docs}: token → number of fitted documents containing it (first-seen order). */
    public Map<String, Integer> wordDocs() {
        return Collections.unmodifiableMap(wordDocs);
    }

    /** {@code word_index}: token → index from 1, by count descending, ties first-seen; OOV token first. */
    public Map<String, Integer> wordIndex() {
        return Collections.unmodifiableMap(wordIndex);
    }

    /** {@code index_word}: the inverse of {@link #wordIndex()}. */
    public Map<Integer, String> indexWord() {
        return Collections.unmodifiableMap(indexWord);
    }

    /** {@code index_docs}: index → number of fitted documents containing it. */
    public Map<Integer, Integer> indexDocs() {
        return Collections.unmodifiableMap(indexDocs);
    }

    /** {@code document_count}: number of documents fitted so far. */
    public int documentCount() {
        return documentCount;
    }

    /** {@code num_words}, or {@code null} for no limit. */
    public Integer numWords() {
        return numWords;
    }

    /** {@code filters}. */
    public String filters() {
        return filters;
    }

    /** {@code lower}. */
    public boolean lower() {
        return lower;
    }

    /** {@code split}. */
    public String split() {
        return split;
    }

    /** {@code char_level}. */
    public boolean charLevel() {
        return charLevel;
    }

    /** {@code oov_token}, or {@code null}. */
    public String oovToken() {
        return oovToken;
    }

    /** The Python constructor call these options stand for, plus the fitted size. */
    @Override
    public String toString() {
        return "Tokenizer(num_words=" + (numWords == null ? "None" : numWords) + ", lower=" + (lower ? "True" : "False")
                + ", split=" + pyQuote(split) + ", char_level=" + (charLevel ? "True" : "False") + ", oov_token="
                + (oovToken == null ? "None" : pyQuote(oovToken)) + ") fitted on " + documentCount + " documents, "
                + wordIndex.size() + " entries in word_index";
    }

    private static String pyQuote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\t", "\\t").replace("\n", "\\n") + "'";
    }

    // ------------------------------------------------------------------ checks

    private void requireFitted(String method) {
        if (wordIndex.isEmpty()) {
            throw new IllegalStateException(method + " needs a fitted Tokenizer: call fitOnTexts(...) first "
                    + "(tf.keras would silently return empty sequences here)");
        }
    }

    private static void checkList(List<?> list, String name) {
        if (list == null) {
            throw new IllegalArgumentException(name + " must not be null; pass a list (List.of(...) for inline values)");
        }
    }

    private static void checkSequences(int[][] sequences) {
        if (sequences == null) {
            throw new IllegalArgumentException("sequences must not be null");
        }
        for (int i = 0; i < sequences.length; i++) {
            if (sequences[i] == null) {
                throw new IllegalArgumentException("sequences[" + i + "] is null; use an empty array for an empty sequence");
            }
        }
    }

    private static void checkMode(String mode) {
        if (mode == null || !MODES.contains(mode)) {
            throw new IllegalArgumentException("mode must be one of 'binary', 'count', 'tfidf', 'freq' (tf.keras texts_to_matrix), but was "
                    + (mode == null ? "null" : "'" + mode + "'"));
        }
    }

    private static void checkSplit(String split) {
        if (split == null || split.isEmpty()) {
            throw new IllegalArgumentException("split must be a non-empty separator string (Keras default ' '), but was "
                    + (split == null ? "null" : "''"));
        }
    }

    /** Builder with the Keras defaults: no {@code num_words} limit, default filters, lower, split ' ', word level, no OOV token. */
    public static final class Builder {
        private Integer numWords;
        private String filters = DEFAULT_FILTERS;
        private boolean lower = true;
        private String split = " ";
        private boolean charLevel;
        private String oovToken;

        private Builder() {
        }

        /** Keep only indices {@code < numWords} when transforming ({@code 0} means no limit, as in Keras). */
        public Builder numWords(int numWords) {
            if (numWords < 0) {
                throw new IllegalArgumentException("numWords must be >= 0 (or left unset for no limit), but was " + numWords);
            }
            this.numWords = numWords;
            return this;
        }

        /** Characters replaced by {@code split} before splitting ({@code ""} keeps punctuation). */
        public Builder filters(String filters) {
            if (filters == null) {
                throw new IllegalArgumentException("filters must not be null (use \"\" for no filtering)");
            }
            this.filters = filters;
            return this;
        }

        /** Lower-case texts first (default true). */
        public Builder lower(boolean lower) {
            this.lower = lower;
            return this;
        }

        /** Word separator (default {@code " "}); must be non-empty. */
        public Builder split(String split) {
            checkSplit(split);
            this.split = split;
            return this;
        }

        /** Treat every character as a token (default false). */
        public Builder charLevel(boolean charLevel) {
            this.charLevel = charLevel;
            return this;
        }

        /** Token for out-of-vocabulary words; gets index 1 (default none: unknown words are dropped). */
        public Builder oovToken(String oovToken) {
            this.oovToken = oovToken;
            return this;
        }

        /** A new, unfitted tokenizer. */
        public Tokenizer build() {
            return new Tokenizer(this);
        }
    }
}
