package rnnlab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The IMDB sentiment dataset, two ways.
 *
 * <p><b>Keras style</b> ({@link #loadData(ImdbOptions)}) mirrors {@code keras.datasets.imdb.load_data}
 * (reports 000, 002, 003): integer sequences, word ranks offset by {@code index_from}, a start
 * index, {@code num_words}/{@code skip_top} cut to the OOV index, {@code maxlen} filter, and the
 * shuffle with {@code np.random.RandomState(seed)} (train first, then test from the same generator),
 * all in Keras's order of operations.
 *
 * <p><b>How close to Keras's own arrays.</b> Keras ships pre-tokenised {@code imdb.npz}; this
 * class rebuilds it from the raw {@code aclImdb} reviews instead: each review is lower-cased,
 * the characters of Keras's default filter {@code !"#$%&()*+,-./:;<=>?@[\]^_`{|}~\t\n} become
 * spaces, the text is split on spaces ({@code text_to_word_sequence}), and every word is mapped
 * through {@code imdb_word_index.json}. The unshuffled order is the npz's: per split, positive
 * reviews then negative, each sorted by file name. This was checked against the report and known
 * Keras output: seed 42 puts {@code train/pos/4932_8.txt} first and its 467 indices equal report
 * 000's printed {@code train_data[0]} exactly; seed 113 (the default) puts {@code 576_10.txt}
 * ("this film was just brilliant ...") first, as Keras does. The test split's order is assumed to
 * follow the same rule (not checked against Keras). Keras's word index was built from the training
 * reviews: on the full data 21 training tokens and 63,709 test tokens (0.5 % of the test split;
 * names such as "ponyo") are not in it. They become {@code oov_char} here and are counted in
 * {@link ImdbData#unknownTokens()}; how Keras's npz encodes them is not known, so test sequences may
 * differ from Keras's at those positions (with {@code num_words} ≤ 88,584 they would be OOV either
 * way if Keras kept them). Python's and Java's lower-casing can differ on rare non-ASCII letters.
 * As in Keras, {@code num_words=None} (0 here) means {@code max index}, and only indices
 * {@code < num_words} are kept, so the single highest index also becomes OOV. Keras's
 * {@code imdb.npz} itself is not read (its arrays are pickled Python object arrays).
 *
 * <p><b>Raw text</b> ({@link #loadText(DataSource)}): the 25,000 + 25,000 reviews and labels as
 * they are in {@code aclImdb} (report 001 experiment 2).
 *
 * <p>Both read the {@code .tar.gz} directly (or an extracted {@code imdb/aclImdb/} folder) from the
 * options' {@link DataSource}: samples in quick mode (10,000 / 2,000 reviews), the full data in full mode.
 */
public final class Imdb {

    /** Keras's default {@code Tokenizer}/{@code text_to_word_sequence} filter characters. */
    public static final String KERAS_FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";
    private static final boolean[] FILTER = new boolean[128];

    static {
        for (char c : KERAS_FILTERS.toCharArray()) {
            FILTER[c] = true;
        }
    }

    private Imdb() {
    }

    /** {@code imdb.load_data()} with all defaults from {@link DataSource#auto()}. */
    public static ImdbData loadData() {
        return loadData(ImdbOptions.builder().build());
    }

    /** Mirrors {@code keras.datasets.imdb.load_data(num_words, skip_top, maxlen, seed, start_char, oov_char, index_from)}. */
    public static ImdbData loadData(ImdbOptions o) {
        DataSource src = o.sourceOrAuto();
        WordIndex index = wordIndex(src);
        ImdbReader.Reviews reviews = ImdbReader.read(src);
        AtomicLong unknown = new AtomicLong();
        int[][] trainRanks = ranks(reviews.train(), index, unknown);
        int[][] testRanks = ranks(reviews.test(), index, unknown);
        int[] trainLabels = reviews.train().stream().mapToInt(ImdbReader.Review::label).toArray();
        int[] testLabels = reviews.test().stream().mapToInt(ImdbReader.Review::label).toArray();

        NumpyRandomState rng = new NumpyRandomState(o.seed());
        int[] trainPerm = rng.permutation(trainRanks.length);
        int[] testPerm = rng.permutation(testRanks.length);

        List<int[]> xTrain = new ArrayList<>(trainRanks.length);
        List<Integer> yTrain = new ArrayList<>(trainRanks.length);
        List<int[]> xTest = new ArrayList<>(testRanks.length);
        List<Integer> yTest = new ArrayList<>(testRanks.length);
        for (int i : trainPerm) {
            keep(offset(trainRanks[i], o), trainLabels[i], o.maxlen(), xTrain, yTrain);
        }
        for (int i : testPerm) {
            keep(offset(testRanks[i], o), testLabels[i], o.maxlen(), xTest, yTest);
        }
        if (xTrain.isEmpty() || xTest.isEmpty()) {
            throw new IllegalArgumentException("After filtering for sequences shorter than maxlen=" + o.maxlen()
                    + ", no sequence was kept. Increase maxlen.");
        }
        int numWords = o.numWords();
        if (numWords == 0) {
            for (List<int[]> xs : List.of(xTrain, xTest)) {
                for (int[] s : xs) {
                    for (int w : s) {
                        if (w != UNKNOWN) {
                            numWords = Math.max(numWords, w);
                        }
                    }
                }
            }
        }
        return new ImdbData(
                new LabeledSequences(cut(xTrain, numWords, o), yTrain.stream().mapToInt(Integer::intValue).toArray()),
                new LabeledSequences(cut(xTest, numWords, o), yTest.stream().mapToInt(Integer::intValue).toArray()),
                index, o.indexFrom(), unknown.get());
    }

    /** Mirrors {@code keras.datasets.imdb.get_word_index()}: reads {@code imdb/imdb_word_index.json} from {@code source}. */
    public static WordIndex wordIndex(DataSource source) {
        return WordIndex.read(source.resolve(DataFile.IMDB_WORD_INDEX));
    }

    /** The raw reviews and labels of both splits (report 001 experiment 2). */
    public static ImdbText loadText(DataSource source) {
        ImdbReader.Reviews r = ImdbReader.read(source);
        return new ImdbText(texts(r.train()), texts(r.test()));
    }

    /** {@link #loadText(DataSource)} from {@link DataSource#auto()}. */
    public static ImdbText loadText() {
        return loadText(DataSource.auto());
    }

    /**
     * Mirrors {@code keras.preprocessing.text.text_to_word_sequence(text)} with its defaults:
     * lower-case, Keras's filter characters to spaces, split on spaces, drop empty strings.
     */
    public static List<String> textToWordSequence(String text) {
        List<String> out = new ArrayList<>();
        String s = text.toLowerCase(Locale.ROOT);
        int start = -1;
        for (int i = 0, n = s.length(); i <= n; i++) {
            boolean sep = i == n || isSeparator(s.charAt(i));
            if (sep) {
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

    private static boolean isSeparator(char c) {
        return c == ' ' || (c < 128 && FILTER[c]);
    }

    private static final int UNKNOWN = Integer.MAX_VALUE;

    private static int[][] ranks(List<ImdbReader.Review> reviews, WordIndex index, AtomicLong unknown) {
        int[][] out = new int[reviews.size()][];
        IntStream.range(0, reviews.size()).parallel().forEach(i -> {
            List<String> words = textToWordSequence(reviews.get(i).text());
            int[] r = new int[words.size()];
            long unk = 0;
            for (int k = 0; k < r.length; k++) {
                r[k] = index.rank(words.get(k));
                if (r[k] < 0) {
                    r[k] = UNKNOWN;
                    unk++;
                }
            }
            if (unk > 0) {
                unknown.addAndGet(unk);
            }
            out[i] = r;
        });
        return out;
    }

    private static int[] offset(int[] ranks, ImdbOptions o) {
        int lead = o.startChar() != null ? 1 : 0;
        int[] s = new int[ranks.length + lead];
        if (lead == 1) {
            s[0] = o.startChar();
        }
        for (int k = 0; k < ranks.length; k++) {
            s[k + lead] = ranks[k] == UNKNOWN ? UNKNOWN : ranks[k] + o.indexFrom();
        }
        return s;
    }

    private static void keep(int[] seq, int label, int maxlen, List<int[]> xs, List<Integer> ys) {
        if (maxlen == 0 || seq.length < maxlen) {
            xs.add(seq);
            ys.add(label);
        }
    }

    private static int[][] cut(List<int[]> xs, int numWords, ImdbOptions o) {
        int[][] out = new int[xs.size()][];
        for (int i = 0; i < out.length; i++) {
            int[] s = xs.get(i);
            if (o.oovChar() != null) {
                int[] t = new int[s.length];
                for (int k = 0; k < s.length; k++) {
                    int w = s[k];
                    t[k] = w != UNKNOWN && o.skipTop() <= w && w < numWords ? w : o.oovChar();
                }
                out[i] = t;
            } else {
                out[i] = IntStream.of(s).filter(w -> w != UNKNOWN && o.skipTop() <= w && w < numWords).toArray();
            }
        }
        return out;
    }

    private static LabeledTexts texts(List<ImdbReader.Review> reviews) {
        return new LabeledTexts(reviews.stream().map(ImdbReader.Review::text).toList(),
                reviews.stream().mapToInt(ImdbReader.Review::label).toArray());
    }
}
