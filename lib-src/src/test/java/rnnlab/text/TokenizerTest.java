package rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Expected values are derived by hand from keras_preprocessing/text.py (word_counts is an
 * OrderedDict; word_index comes from a stable sort by count with reverse=True; num_words filters
 * at transform time; tfidf = (1 + ln c) * ln(1 + document_count / (1 + index_docs[j]))).
 */
class TokenizerTest {

    private static final List<String> CORPUS = List.of("The cat sat on the mat.", "The dog ate my homework!", "Cat and dog.");

    /** Report 003 §2.3: Tokenizer(num_words=100) on one sentence. */
    @Test
    void report003Sentence() {
        String text = "Deep learning is an important concept raised by the current sciences.";
        Tokenizer token = Tokenizer.withNumWords(100).fitOnTexts(List.of(text));
        int[][] input = token.textsToSequences(List.of(text));
        assertArrayEquals(new int[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}}, input);
        assertEquals(List.of("deep", "learning", "is", "an", "important", "concept", "raised", "by", "the", "current", "sciences"),
                new ArrayList<>(token.wordIndex().keySet()));
        assertEquals(11, token.wordIndex().get("sciences"));
        int[][] testSeq = PadSequences.builder().padding("post").maxlen(400).truncating("post").build().apply(input);
        assertEquals(400, testSeq[0].length);
        assertEquals(11, testSeq[0][10]);
        assertEquals(0, testSeq[0][11]);
    }

    @Test
    void wordCountsFirstSeenAndWordIndexByCountWithStableTies() {
        Tokenizer t = Tokenizer.create().fitOnTexts(CORPUS);
        assertEquals(List.of("the", "cat", "sat", "on", "mat", "dog", "ate", "my", "homework", "and"),
                new ArrayList<>(t.wordCounts().keySet()));
        assertEquals(List.of(3, 2, 1, 1, 1, 2, 1, 1, 1, 1), new ArrayList<>(t.wordCounts().values()));
        assertEquals(List.of("the", "cat", "dog", "sat", "on", "mat", "ate", "my", "homework", "and"),
                new ArrayList<>(t.wordIndex().keySet()));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), new ArrayList<>(t.wordIndex().values()));
        assertEquals("dog", t.indexWord().get(3));
        assertEquals(3, t.documentCount());
        assertEquals(Map.of("the", 2, "cat", 2, "sat", 1, "on", 1, "mat", 1, "dog", 2, "ate", 1, "my", 1, "homework", 1, "and", 1),
                t.wordDocs());
        assertEquals(2, t.indexDocs().get(1));
        assertEquals(1, t.indexDocs().get(10));
    }

    @Test
    void textsToSequencesDropsUnknownAndIndicesAtOrAboveNumWords() {
        Tokenizer all = Tokenizer.create().fitOnTexts(CORPUS);
        assertArrayEquals(new int[][] {{1, 2, 10, 1, 3}, {2}}, all.textsToSequences("the cat and the dog", "a cat!"));
        Tokenizer four = Tokenizer.withNumWords(4).fitOnTexts(CORPUS);
        assertEquals(10, four.wordIndex().size()); // word_index keeps every word
        assertArrayEquals(new int[][] {{1, 2, 1, 3}, {2}}, four.textsToSequences("the cat and the dog", "a cat!"));
        Tokenizer zero = Tokenizer.builder().numWords(0).build().fitOnTexts(CORPUS); // 0 means no limit, as in Python
        assertArrayEquals(new int[][] {{1, 2, 10, 1, 3}}, zero.textsToSequences("the cat and the dog"));
    }

    @Test
    void oovTokenTakesIndexOneAndShiftsWords() {
        Tokenizer t = Tokenizer.builder().numWords(4).oovToken("<OOV>").build().fitOnTexts(CORPUS);
        assertEquals(1, t.wordIndex().get("<OOV>"));
        assertEquals(2, t.wordIndex().get("the"));
        assertEquals(11, t.wordIndex().get("and"));
        assertArrayEquals(new int[][] {{2, 3, 1, 2, 1}, {1, 3}}, t.textsToSequences("the cat and the dog", "a cat!"));
        assertEquals(List.of("the cat <OOV> the <OOV>", "<OOV> cat"), t.sequencesToTexts(new int[][] {{2, 3, 1, 2, 1}, {99, 3}}));
        Tokenizer noLimit = Tokenizer.builder().oovToken("<OOV>").build().fitOnTexts(CORPUS);
        assertArrayEquals(new int[][] {{2, 3, 11, 2, 4, 1}}, noLimit.textsToSequences("the cat and the dog zebra"));
    }

    @Test
    void sequencesToTextsWithoutOov() {
        Tokenizer four = Tokenizer.withNumWords(4).fitOnTexts(CORPUS);
        assertEquals(List.of("the cat dog", ""), four.sequencesToTexts(new int[][] {{1, 2, 10, 3, 99}, {}}));
        Tokenizer all = Tokenizer.create().fitOnTexts(CORPUS);
        assertEquals(List.of("the cat and the dog"), all.sequencesToTexts(all.textsToSequences("The cat, and the dog.")));
    }

    @Test
    void textsToMatrixModes() {
        Tokenizer t = Tokenizer.create().fitOnTexts(CORPUS);
        List<String> doc = List.of("the cat and the dog");
        double[] binary = {0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1};
        double[] count = {0, 2, 1, 1, 0, 0, 0, 0, 0, 0, 1};
        double[] freq = {0, 0.4, 0.2, 0.2, 0, 0, 0, 0, 0, 0, 0.2};
        double ln2 = 0.6931471805599453;
        double[] tfidf = {0, 1.1736001944781467, ln2, ln2, 0, 0, 0, 0, 0, 0, 0.9162907318741551};
        assertArrayEquals(binary, t.textsToMatrix(doc)[0], 0);
        assertArrayEquals(count, t.textsToMatrix(doc, "count")[0], 0);
        assertArrayEquals(freq, t.textsToMatrix(doc, "freq")[0], 1e-15);
        assertArrayEquals(tfidf, t.textsToMatrix(doc, "tfidf")[0], 1e-15);
        assertArrayEquals(new long[] {1, 11}, t.textsToMatrixArray(doc, "count").shape());
    }

    @Test
    void matrixWidthIsNumWordsAndFreqUsesTheFullSequenceLength() {
        Tokenizer four = Tokenizer.withNumWords(4).fitOnTexts(CORPUS);
        assertArrayEquals(new double[] {0, 0.5, 0.25, 0.25}, four.textsToMatrix(List.of("the cat and the dog"), "freq")[0], 1e-15);
        // sequences_to_matrix skips indices >= width but divides by len(seq) as given
        assertArrayEquals(new double[] {0, 0.25, 0.25, 0}, four.sequencesToMatrix(new int[][] {{1, 2, 9, 9}}, "freq")[0], 1e-15);
        assertArrayEquals(new double[] {0, 0, 0, 0}, four.sequencesToMatrix(new int[][] {{}}, "binary")[0], 0);
    }

    @Test
    void fitOnSequencesFeedsTfidf() {
        Tokenizer t = Tokenizer.withNumWords(3).fitOnSequences(new int[][] {{1, 1, 2}, {2}});
        assertEquals(2, t.documentCount());
        assertEquals(Map.of(1, 1, 2, 2), t.indexDocs());
        double[] row = t.sequencesToMatrix(new int[][] {{1, 1, 2}}, "tfidf")[0];
        assertEquals(0, row[0]);
        assertEquals((1 + Math.log(2)) * Math.log(1 + 2.0 / 2), row[1], 1e-15);
        assertEquals(Math.log(1 + 2.0 / 3), row[2], 1e-15);
    }

    @Test
    void textToWordSequenceFiltersLowerAndSplit() {
        assertEquals(List.of("hello", "world", "don't", "stop"), Tokenizer.textToWordSequence("Hello,\tWorld!\nDon't  stop."));
        assertEquals(List.of("Hello,", "World!"), Tokenizer.textToWordSequence("Hello, World!", "", false, " "));
        assertEquals(List.of("a", "b c", "d"), Tokenizer.textToWordSequence("a,b c,,d", Tokenizer.DEFAULT_FILTERS, true, ","));
        assertEquals(List.of("x", "y"), Tokenizer.textToWordSequence("x--y", "", true, "--"));
        Tokenizer t = Tokenizer.builder().lower(false).filters("!").build().fitOnTexts("Cat cat! CAT.");
        assertEquals(List.of("Cat", "cat", "CAT."), new ArrayList<>(t.wordIndex().keySet()));
    }

    @Test
    void charLevelCountsEveryCharacterUnfiltered() {
        Tokenizer t = Tokenizer.builder().charLevel(true).build().fitOnTexts("AbA c.");
        assertEquals(List.of("a", "b", " ", "c", "."), new ArrayList<>(t.wordCounts().keySet()));
        assertEquals(List.of("a", "b", " ", "c", "."), new ArrayList<>(t.wordIndex().keySet()));
        assertEquals(2, t.wordCounts().get("a"));
        assertArrayEquals(new int[][] {{4, 1, 2}}, t.textsToSequences("cab"));
        assertEquals(List.of("c a b"), t.sequencesToTexts(new int[][] {{4, 1, 2}}));
    }

    @Test
    void tokenListsAreLoweredButNotFiltered() {
        Tokenizer t = Tokenizer.create().fitOnTokenLists(List.of(List.of("Hello!", "world"), List.of("world")));
        assertEquals(List.of("world", "hello!"), new ArrayList<>(t.wordIndex().keySet()));
        assertArrayEquals(new int[][] {{2, 1}}, t.tokenListsToSequences(List.of(List.of("HELLO!", "World", "x"))));
    }

    @Test
    void fittingTwiceAccumulates() {
        Tokenizer t = Tokenizer.create().fitOnTexts("b a").fitOnTexts("a c");
        assertEquals(2, t.documentCount());
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(t.wordIndex().keySet()));
        assertEquals(Map.of(1, 2, 2, 1, 3, 1), t.indexDocs());
    }

    @Test
    void clearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tokenizer.create().fitOnTexts(CORPUS).textsToMatrix(CORPUS, "onehot"));
        assertTrue(e.getMessage().contains("mode") && e.getMessage().contains("'binary', 'count', 'tfidf', 'freq'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Tokenizer.create().textsToSequences("a"));
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> Tokenizer.create().sequencesToMatrix(new int[][] {{1}}, "binary"));
        assertTrue(s.getMessage().contains("numWords"), s.getMessage());
        assertThrows(IllegalStateException.class, () -> Tokenizer.withNumWords(5).sequencesToMatrix(new int[][] {{1}}, "tfidf"));
        e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.builder().numWords(-1));
        assertTrue(e.getMessage().contains("numWords"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.builder().split(""));
        assertTrue(e.getMessage().contains("split"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tokenizer.create().fitOnTexts(java.util.Arrays.asList("a", null)));
        assertTrue(e.getMessage().contains("texts[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Tokenizer.withNumWords(5).sequencesToMatrix(new int[][] {{-1}}, "count"));
    }

    @Test
    void toStringShowsTheConfiguration() {
        assertEquals("Tokenizer(num_words=100, lower=True, split=' ', char_level=False, oov_token=None) fitted on 0 documents, "
                + "0 entries in word_index", Tokenizer.withNumWords(100).toString());
    }
}
