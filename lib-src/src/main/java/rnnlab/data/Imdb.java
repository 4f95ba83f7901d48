package rnnlab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import rnnlab.text.Tokenizer;

/**
 * The IMDB sentiment dataset: {@link #loadData(DataSource, ImdbOptions)} mirrors
 * {@code keras.datasets.imdb.load_data} (integer sequences, reports 000, 002, 003), rebuilt from the raw
 * {@code aclImdb} reviews; {@link #loadText(DataSource)} gives the raw reviews and labels (report 001
 * experiment 2). Both read the {@code .tar.gz} (or an extracted {@code imdb/aclImdb/}) from a
 * {@link DataSource}.
 */
public final class Imdb {

    private Imdb() {
    }

    /** {@code imdb.load_data()}: all of Keras's defaults. */
    public static ImdbData loadData(DataSource source) {
        return loadData(source, ImdbOptions.builder().build());
    }

    /**
     * Mirrors {@code keras.datasets.imdb.load_data(num_words, skip_top, maxlen, seed, start_char, oov_char,
     * index_from)}: word ranks offset by {@code index_from}, a start index, {@code num_words}/{@code skip_top}
     * cut to the OOV index, the {@code maxlen} filter, and the shuffle with {@code np.random.RandomState(seed)}
     * (train first, then test from the same generator), in Keras's order of operations.
     *
     * <p>Keras ships a pre-tokenised {@code imdb.npz}; here every review goes through
     * {@link Tokenizer#textToWordSequence(String)} and {@code imdb_word_index.json}, the unshuffled order
     * being the npz's (per split, positive then negative reviews, each by file name). Checked: seed 42 puts
     * {@code train/pos/4932_8.txt} first, equal to report 000's printed {@code train_data[0]}; seed 113 puts
     * {@code 576_10.txt} first, as Keras does. Words missing from Keras's index (21 training and 63,709 test
     * tokens on the full data) become {@code oov_char} and are counted in {@link ImdbData#unknownTokens()}.
     * {@code num_words=0} means Keras's {@code None} (the highest index then also becomes OOV, as in Keras).
     */
    public static ImdbData loadData(DataSource src, ImdbOptions o) {
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


    private static final int UNKNOWN = Integer.MAX_VALUE;

    private static int[][] ranks(List<ImdbReader.Review> reviews, WordIndex index, AtomicLong unknown) {
        int[][] out = new int[reviews.size()][];
        IntStream.range(0, reviews.size()).parallel().forEach(i -> {
            List<String> words = Tokenizer.textToWordSequence(reviews.get(i).text());
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
