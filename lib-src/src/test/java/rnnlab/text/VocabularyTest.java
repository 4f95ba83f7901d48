package rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Expected values follow report 001's preprocess_text / build_vocab / text_to_indices by hand. */
class VocabularyTest {

    @Test
    void preprocessLowersStripsPunctuationAndCollapsesWhitespace() {
        assertEquals("hello world br this is great isnt it",
                Vocabulary.preprocess("  Hello, World!  <br />This is \t  GREAT... isn't it?\n"));
        assertEquals("ab", Vocabulary.preprocess("a,b"));
        assertEquals("a b", Vocabulary.preprocess("a , b"));
        assertEquals("", Vocabulary.preprocess(" ?! "));
    }

    @Test
    void preprocessUsesPythonUnicodeClasses() {
        // letters and numbers (incl. '½') and '_' are \w; the em dash is not; NBSP is \s
        assertEquals("café naïve 2½ snake_case dash nbsp", Vocabulary.preprocess("Café naïve 2½ snake_case —dash\u00a0NBSP"));
        // a combining accent (Mn) is not alphanumeric in Python, so re.sub removes it
        assertEquals("cafe", Vocabulary.preprocess("cafe\u0301"));
        assertTrue(Vocabulary.isPythonSpace(0x2028) && Vocabulary.isPythonSpace(0x1f) && !Vocabulary.isPythonSpace(0x200b));
    }

    @Test
    void buildKeepsFirstSeenOrderAndMinFreq() {
        Vocabulary v = Vocabulary.build(List.of("a b a", "b c", "C d a!"), 2);
        assertEquals(Map.of("<pad>", 0, "<unk>", 1, "a", 2, "b", 3, "c", 4), v.index());
        assertEquals(List.of("<pad>", "<unk>", "a", "b", "c"), new ArrayList<>(v.index().keySet()));
        assertEquals(List.of("a", "b", "c", "d"), new ArrayList<>(v.counts().keySet()));
        assertEquals(5, v.size());
        Vocabulary byAppearance = Vocabulary.build(List.of("z y y", "y x"), 1);
        assertEquals(List.of("<pad>", "<unk>", "z", "y", "x"), new ArrayList<>(byAppearance.index().keySet()));
        assertEquals(2, Vocabulary.build(List.of("rare words only")).size()); // min_freq 10 by default
    }

    @Test
    void encodePostPadsAndCutsTheTail() {
        Vocabulary v = Vocabulary.build(List.of("a b a", "b c", "C d a!"), 2);
        assertArrayEquals(new int[] {2, 1, 3, 0, 0}, v.encode("A d, b", 5));
        assertArrayEquals(new int[] {4, 2}, v.encode("c a b b b", 2));
        assertArrayEquals(new int[0], v.encode("c a", 0));
        assertEquals(500, v.encode("a").length);
        assertEquals(List.of("a", "<unk>", "b", "<pad>", "<pad>"), v.decode(v.encode("A d, b", 5)));
        INDArray nd = v.encodeAsArray(List.of("a", "c b"), 3, DataType.FLOAT);
        assertArrayEquals(new long[] {2, 3}, nd.shape());
        assertEquals(4f, nd.getFloat(1, 0));
    }

    @Test
    void clearErrors() {
        Vocabulary v = Vocabulary.build(List.of("a"), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("a", -1));
        assertTrue(e.getMessage().contains("maxLen"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.build(null));
        assertThrows(IllegalArgumentException.class, () -> v.decode(new int[] {7}));
        e = assertThrows(IllegalArgumentException.class, () -> new Vocabulary(Map.of("<pad>", 0, "<unk>", 1, "x", 5), Map.of(), 1));
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }
}
