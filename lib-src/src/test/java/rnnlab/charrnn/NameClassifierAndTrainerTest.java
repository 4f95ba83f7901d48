package rnnlab.charrnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Names as strings, predictions, confusion matrices and the tutorial training loop on synthetic names. */
class NameClassifierAndTrainerTest {

    /** The tutorial's all_letters = string.ascii_letters + " .,;'". */
    static final String ALL_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;'";
    static final ToIntFunction<Character> LETTER_TO_INDEX = ALL_LETTERS::indexOf;
    static final List<String> CATEGORIES = List.of("Kish", "Mosh", "Zed");

    /** Synthetic names whose language is decided by their first letter (K, M, Z), which the cell must remember. */
    static void synthetic(int n, long seed, List<String> names, List<Integer> labels) {
        Random rnd = new Random(seed);
        String first = "KMZ";
        for (int i = 0; i < n; i++) {
            int y = rnd.nextInt(3);
            StringBuilder sb = new StringBuilder().append(first.charAt(y));
            int len = 2 + rnd.nextInt(6);
            for (int k = 0; k < len; k++) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
            names.add(sb.toString());
            labels.add(y);
        }
    }

    @ParameterizedTest
    @EnumSource(CharRnnModel.Cell.class)
    void learnsSyntheticLanguagesAndLogsLikeTheTutorial(CharRnnModel.Cell cell) {
        List<String> names = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        synthetic(600, 1, names, y);
        List<String> valNames = new ArrayList<>();
        List<Integer> valY = new ArrayList<>();
        synthetic(300, 2, valNames, valY);
        NameClassifier clf = new NameClassifier(CharRnnModel.create(cell, 57, 32, 3, 3), CATEGORIES, LETTER_TO_INDEX);
        int[] labels = y.stream().mapToInt(Integer::intValue).toArray();
        int[] valLabels = valY.stream().mapToInt(Integer::intValue).toArray();
        double before = clf.accuracy(valNames, valLabels);
        List<String> lines = new ArrayList<>();
        // the tutorial RNN's hidden state is linear (no tanh), so it tolerates only a smaller step
        double lr = cell == CharRnnModel.Cell.RNN ? 0.01 : 0.05;
        TrainingHistory h = CharRnnTrainer.builder().iterations(4000).learningRate(lr).printEvery(1000)
                .plotEvery(500).validateEvery(2000).seed(5).log(lines::add).build()
                .train(clf, names, labels, valNames, valLabels);
        assertEquals(4000, h.iterations());
        assertEquals(8, h.losses().size());
        assertEquals(List.of(2000, 4000), h.validationIterations());
        assertEquals(4, lines.size());
        // tutorial: '%d %d%% (%s) %.4f %s / %s %s'
        Pattern p = Pattern.compile("\\d+ \\d+% \\(\\d+m \\d+s\\) -?\\d+\\.\\d{4} [KMZ][a-z]+ / (Kish|Mosh|Zed) (✓|✗ \\((Kish|Mosh|Zed)\\))");
        for (String l : lines) {
            assertTrue(p.matcher(l).matches(), l);
        }
        assertTrue(lines.get(1).startsWith("2000 50% ("), lines.get(1));
        assertTrue(h.losses().get(7) < h.losses().get(0), "loss decreases: " + h.losses());
        double after = h.finalValidationAccuracy();
        assertTrue(after >= 0.9, cell + ": validation accuracy " + after + " (before training " + before + ")");
        assertEquals(after, clf.accuracy(valNames, valLabels), 1e-12);
        assertEquals(8, h.lossTable().rowCount());
        assertTrue(h.msPerIteration() > 0);
    }

    @Test
    void predictReturnsTopNBestFirstInTheTutorialFormat() {
        NameClassifier clf = new NameClassifier(CharRnnModel.create(CharRnnModel.Cell.LSTM, 57, 16, 3, 1),
                CATEGORIES, LETTER_TO_INDEX);
        List<Prediction> top = clf.predict("Dovesky", 3);
        assertEquals(3, top.size());
        assertTrue(top.get(0).logProb() >= top.get(1).logProb() && top.get(1).logProb() >= top.get(2).logProb());
        double total = top.stream().mapToDouble(Prediction::probability).sum();
        assertEquals(1.0, total, 1e-5, "all three categories: probabilities sum to one");
        assertTrue(top.get(0).toString().matches("\\(-\\d\\.\\d{2}\\) (Kish|Mosh|Zed)"), top.get(0).toString());
        assertEquals(top.get(0).category(), clf.predictLabel("Dovesky"));
    }

    @Test
    void confusionMatrixCountsEveryNameOnceAndNormalisesRows() {
        NameClassifier clf = new NameClassifier(CharRnnModel.create(CharRnnModel.Cell.GRU, 57, 8, 3, 1),
                CATEGORIES, LETTER_TO_INDEX);
        List<String> names = List.of("Kab", "Mo'n", "Zed", "Kix", "O'Neil");
        int[] labels = {0, 1, 2, 0, 1};
        int[][] cm = clf.confusionMatrix(names, labels);
        assertEquals(3, cm.length);
        assertEquals(2, cm[0][0] + cm[0][1] + cm[0][2]);
        assertEquals(2, cm[1][0] + cm[1][1] + cm[1][2]);
        assertEquals(1, cm[2][0] + cm[2][1] + cm[2][2]);
        double[][] norm = NameClassifier.normalize(cm);
        for (double[] row : norm) {
            assertEquals(1.0, row[0] + row[1] + row[2], 1e-12);
        }
        double acc = clf.accuracy(names, labels);
        assertEquals((cm[0][0] + cm[1][1] + cm[2][2]) / 5.0, acc, 1e-12);
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        CharRnnModel m = CharRnnModel.create(CharRnnModel.Cell.RNN, 57, 8, 3, 1);
        NameClassifier clf = new NameClassifier(m, CATEGORIES, LETTER_TO_INDEX);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clf.encode("Ábel"));
        assertTrue(e.getMessage().contains("'Á'") && e.getMessage().contains("unicodeToAscii"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(new int[] {3, 57}));
        assertTrue(e.getMessage().contains("letters[1] = 57"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.forward(new int[0]));
        e = assertThrows(IllegalArgumentException.class, () -> m.trainStep(new int[] {1}, 3, 0.005f));
        assertTrue(e.getMessage().contains("category must be in [0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new NameClassifier(m, List.of("a", "b"), LETTER_TO_INDEX));
        assertTrue(e.getMessage().contains("3 outputs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clf.predict("Kab", 4));
        assertThrows(IllegalArgumentException.class, () -> CharRnnTrainer.builder().learningRate(-1));
        assertThrows(IllegalArgumentException.class, () -> CharRnnTrainer.builder().iterations(0));
        e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(java.util.Map.of()));
        assertTrue(e.getMessage().contains("i2h.weight"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CharRnnModel.create(CharRnnModel.Cell.GRU, 57, 0, 18, 1));
    }

    @Test
    void longNamesGrowTheBuffersAndGiveTheSameResultAsAFreshModel() {
        CharRnnModel a = CharRnnModel.create(CharRnnModel.Cell.LSTM, 57, 8, 3, 9);
        CharRnnModel b = CharRnnModel.create(CharRnnModel.Cell.LSTM, 57, 8, 3, 9);
        int[] longName = new int[100];
        for (int i = 0; i < longName.length; i++) {
            longName[i] = (i * 7) % 57;
        }
        a.forward(new int[] {1, 2});
        float la = a.trainStep(longName, 1, 0.005f);
        float lb = b.trainStep(longName, 1, 0.005f);
        assertEquals(lb, la);
        assertEquals(b.stateDict(), a.stateDict());
    }
}
