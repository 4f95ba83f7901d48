package rnnlab.data;

import rnnlab.text.Tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import rnnlab.lab.Lab;

class ImdbTest {

    @TempDir
    Path tmp;

    // ranks: the=1 a=2 good=3 bad=4 film=5 it's=6 br=7
    static final String INDEX = "{\"the\": 1, \"a\": 2, \"good\": 3, \"bad\": 4, \"film\": 5, \"it's\": 6, \"br\": 7}";

    @BeforeEach
    void fixture() throws Exception {
        Map<String, String> e = new LinkedHashMap<>();
        // deliberately out of order inside the archive: the loader sorts (pos first, then by name)
        e.put("aclImdb/train/neg/1_2.txt", "Bad, bad film.");
        e.put("aclImdb/train/pos/10_9.txt", "A GOOD film!<br /><br />It's good.");
        e.put("aclImdb/train/pos/0_8.txt", "The film");
        e.put("aclImdb/train/neg/0_1.txt", "the bad unknownword");
        e.put("aclImdb/test/pos/0_10.txt", "good good good");
        e.put("aclImdb/test/neg/0_3.txt", "bad");
        e.put("aclImdb/README", "not a review");
        Fixtures.tarGz(tmp.resolve("imdb/aclImdb_v1.tar.gz"), e);
        Files.writeString(tmp.resolve("imdb/imdb_word_index.json"), INDEX);
    }

    @Test
    void textToWordSequenceFollowsKeras() {
        assertEquals(List.of("a", "good", "film", "br", "br", "it's", "good"),
                Tokenizer.textToWordSequence("A GOOD film!<br /><br />It's good."));
        assertEquals(List.of("u", "s", "navy"), Tokenizer.textToWordSequence("U.S.\tNavy"));
    }

    @Test
    void loadDataFollowsKerasOrderOfOperations() {
        ImdbData d = Imdb.loadData(DataSource.of(tmp), ImdbOptions.builder().seed(42).build());
        // unshuffled train order: pos/0_8, pos/10_9, neg/0_1, neg/1_2
        int[][] unshuffled = {
            {1, 4, 8},                       // the film
            {1, 5, 6, 8, 2, 2, 9, 6},        // a good film br br it's good; br = 10 is the max index and
            // Keras's num_words=None sets num_words = max, keeping w < max only: br → OOV
            {1, 4, 7, Integer.MIN_VALUE},    // the bad unknownword -> OOV
            {1, 7, 7, 8},                    // bad bad film
        };
        int[] perm = new NumpyRandomState(42).permutation(4);
        for (int k = 0; k < 4; k++) {
            int[] want = unshuffled[perm[k]].clone();
            for (int j = 0; j < want.length; j++) {
                if (want[j] == Integer.MIN_VALUE) {
                    want[j] = 2;
                }
            }
            assertArrayEquals(want, d.train().x()[k], "train[" + k + "]");
            assertEquals(perm[k] < 2 ? 1 : 0, d.train().y()[k]);
        }
        assertEquals(1, d.unknownTokens());
        assertEquals(2, d.test().size());
        assertEquals("? the film", d.decode(new int[] {1, 4, 8}));
        assertEquals("? ? ? good", d.decode(new int[] {0, 1, 2, 6}));
    }

    @Test
    void numWordsSkipTopMaxlenAndNoOov() {
        DataSource src = DataSource.of(tmp);
        ImdbData d = Imdb.loadData(src, ImdbOptions.builder().numWords(7).seed(1).build());
        for (int[] s : d.train().x()) {
            for (int w : s) {
                assertTrue(w < 7, "num_words cut");
            }
        }
        // maxlen keeps len < maxlen only (start char counted): lengths are 3, 8, 4, 4 and 4, 2
        ImdbData m = Imdb.loadData(src, ImdbOptions.builder().maxlen(4).build());
        assertEquals(1, m.train().size());
        assertEquals(1, m.test().size());
        ImdbData drop = Imdb.loadData(src, ImdbOptions.builder().numWords(7).skipTop(5).oovChar(null).startChar(null).build());
        for (int[] s : drop.train().x()) {
            for (int w : s) {
                assertTrue(w >= 5 && w < 7, "out-of-range words dropped when oov_char=None");
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> Imdb.loadData(src, ImdbOptions.builder().maxlen(2).build()));
        assertThrows(IllegalArgumentException.class, () -> ImdbOptions.builder().numWords(-1).build());
    }

    @Test
    void rawTextAndExtractedFolderAgree() {
        ImdbText t = Imdb.loadText(DataSource.of(tmp));
        assertEquals(List.of("The film", "A GOOD film!<br /><br />It's good.", "the bad unknownword", "Bad, bad film."),
                t.train().texts());
        assertArrayEquals(new int[] {1, 1, 0, 0}, t.train().labels());
        Path ex = tmp.resolve("x");
        Archives.extract(tmp.resolve("imdb/aclImdb_v1.tar.gz"), ex.resolve("imdb"), Archives.Limits.defaults());
        ImdbText t2 = Imdb.loadText(DataSource.of(ex));
        assertEquals(t.train().texts(), t2.train().texts());
        assertEquals(t.test().texts(), t2.test().texts());
    }

    @Test
    void badInputNamesFileAndReason() throws Exception {
        Files.writeString(tmp.resolve("imdb/imdb_word_index.json"), "{\"the\": 1, \"a\": }");
        BadDataException e = assertThrows(BadDataException.class,
                () -> Imdb.loadData(DataSource.of(tmp), ImdbOptions.builder().build()));
        assertTrue(e.getMessage().contains("imdb_word_index.json") && e.getMessage().contains("does not parse"), e.getMessage());
        Files.writeString(tmp.resolve("imdb/imdb_word_index.json"), "{\"the\": \"one\"}");
        e = assertThrows(BadDataException.class, () -> Imdb.wordIndex(DataSource.of(tmp)));
        assertTrue(e.getMessage().contains("not an integer"), e.getMessage());

        Path tar = tmp.resolve("imdb/aclImdb_v1.tar.gz");
        Fixtures.tarGz(tar, Map.of("aclImdb/train/pos/0_9.txt", "good", "aclImdb/train/neg/0_1.txt", "  \n",
                "aclImdb/test/pos/0_9.txt", "good", "aclImdb/test/neg/0_1.txt", "bad"));
        e = assertThrows(BadDataException.class, () -> Imdb.loadText(DataSource.of(tmp)));
        assertTrue(e.getMessage().contains("train/neg/0_1.txt") && e.getMessage().contains("empty review"), e.getMessage());

        Map<String, String> big = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            big.put("aclImdb/train/pos/" + i + "_9.txt", "review number " + i + " ".repeat(i));
        }
        Fixtures.tarGz(tar, big);
        Fixtures.truncate(tar, (int) Files.size(tar) - 100);
        e = assertThrows(BadDataException.class, () -> Imdb.loadText(DataSource.of(tmp)));
        assertTrue(e.getMessage().contains("aclImdb_v1.tar.gz") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void shippedSampleLoadsBalancedAndDecodes() {
        ImdbData d = Imdb.loadData(DataSource.of(Lab.samplesDir()), ImdbOptions.builder().numWords(10000).seed(42).build());
        assertEquals(2 * CutSamples.IMDB_TRAIN_PER_LABEL, d.train().size());
        assertEquals(2 * CutSamples.IMDB_TEST_PER_LABEL, d.test().size());
        assertEquals(CutSamples.IMDB_TRAIN_PER_LABEL, java.util.stream.IntStream.of(d.train().y()).sum());
        assertEquals(CutSamples.IMDB_TEST_PER_LABEL, java.util.stream.IntStream.of(d.test().y()).sum());
        assertEquals(88584, d.wordIndex().size());
        String text = d.decode(d.train().x()[0]);
        assertTrue(text.startsWith("? ") && text.length() > 50, text);
        long tokens = 0;
        for (int[] s : d.train().x()) {
            tokens += s.length;
        }
        for (int[] s : d.test().x()) {
            tokens += s.length;
        }
        // Keras's index was built from the training reviews: only rare (mostly test-only) words miss it
        assertTrue(d.unknownTokens() < tokens / 200, d.unknownTokens() + " unknown of " + tokens);
    }
}
