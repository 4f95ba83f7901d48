package rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import rnnlab.lab.Lab;

class NamesTest {

    @TempDir
    Path tmp;

    @Test
    void tutorialAlphabetAndFolding() {
        assertEquals(57, Names.N_LETTERS);
        assertEquals("Slusarski", Names.unicodeToAscii("Ślusàrski"));
        assertEquals("ONeal", Names.unicodeToAscii("O’Néal"));
        assertEquals(0, Names.letterToIndex('a'));
        assertEquals(26, Names.letterToIndex('A'));
        assertEquals(56, Names.letterToIndex('\''));
        assertEquals(-1, Names.letterToIndex('1'));
        assertThrows(IllegalArgumentException.class, () -> Names.lineToTensor("Ab1"));
    }

    @Test
    void tensorsInBothLayouts() {
        INDArray t = Names.lineToTensor("Jones");
        assertArrayEquals(new long[] {5, 1, 57}, t.shape());
        assertEquals(1.0, t.getDouble(0, 0, Names.letterToIndex('J')));
        assertEquals(5.0, t.sumNumber().doubleValue());
        INDArray s = Names.lineToSequence("Jones");
        assertArrayEquals(new long[] {1, 57, 5}, s.shape());
        assertEquals(1.0, s.getDouble(0, Names.letterToIndex('s'), 4));
        assertArrayEquals(new long[] {1, 57}, Names.letterToTensor('J').shape());
    }

    @Test
    void zipAndFolderFixtures() throws Exception {
        Fixtures.zip(tmp.resolve("names/data.zip"), Map.of(
                "data/names/Polish.txt", "Ślusàrski\nNowak\n",
                "data/names/English.txt", "Smith\nJones\nO'Neil\n\n",
                "data/eng-fra.txt", "ignored"));
        NamesData d = Names.load(DataSource.of(tmp));
        assertEquals(List.of("English", "Polish"), d.languages());
        assertEquals(List.of("Slusarski", "Nowak"), d.names("Polish"));
        assertEquals(5, d.size());
        assertEquals(1, d.languageIndex("Polish"));
        Random r = new Random(7);
        NameExample ex = d.randomTrainingExample(r);
        NameExample again = d.randomTrainingExample(new Random(7));
        assertEquals(ex, again);
        assertTrue(d.names(ex.language()).contains(ex.name()));

        Path dir = tmp.resolve("other/names/data/names");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Greek.txt"), "Papadopoulos\n");
        assertEquals(List.of("Greek"), Names.load(DataSource.of(tmp.resolve("other"))).languages());
        Files.writeString(dir.resolve("Empty.txt"), "\n  \n");
        BadDataException e = assertThrows(BadDataException.class, () -> Names.load(DataSource.of(tmp.resolve("other"))));
        assertTrue(e.getMessage().contains("Empty.txt") && e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void truncatedZipIsAnError() throws Exception {
        Path zip = tmp.resolve("names/data.zip");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            b.append("Name").append((char) ('a' + i % 26)).append(i % 7 == 0 ? "x" : "").append('\n');
        }
        Fixtures.zip(zip, Map.of("data/names/A.txt", b.toString(), "data/names/B.txt", b.toString()));
        Fixtures.truncate(zip, (int) Files.size(zip) / 2);
        assertThrows(BadDataException.class, () -> Names.load(DataSource.of(tmp)));
    }

    @Test
    void shippedCorpusAndStratifiedSplit() {
        NamesData d = Names.load(DataSource.of(Lab.samplesDir()));
        assertEquals(18, d.numLanguages());
        assertEquals(20074, d.size());
        TrainValidation<NamesData> s = d.split(0.2, 42);
        assertEquals(d.size(), s.train().size() + s.validation().size());
        for (String l : d.languages()) {
            assertEquals(Math.round(0.2 * d.names(l).size()), s.validation().names(l).size(), l);
            Set2.assertDisjointUnion(d.names(l), s.train().names(l), s.validation().names(l));
        }
        assertEquals(s.validation().examples(), d.split(0.2, 42).validation().examples(), "seeded");
    }

    /** Multiset check helper. */
    static final class Set2 {
        static void assertDisjointUnion(List<String> all, List<String> a, List<String> b) {
            List<String> joined = new java.util.ArrayList<>(a);
            joined.addAll(b);
            java.util.Collections.sort(joined);
            List<String> sorted = new java.util.ArrayList<>(all);
            java.util.Collections.sort(sorted);
            assertEquals(sorted, joined);
            assertTrue(new HashSet<>(all).containsAll(a));
        }
    }
}
