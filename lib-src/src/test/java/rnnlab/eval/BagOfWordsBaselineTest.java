package rnnlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BagOfWordsBaselineTest {

    private static final String[] POS = {"great", "wonderful", "superb", "loved", "brilliant", "moving"};
    private static final String[] NEG = {"awful", "boring", "terrible", "hated", "dull", "waste"};
    private static final String[] NOISE = {"the", "film", "movie", "a", "and", "actor", "plot", "scene", "it", "was"};

    /** Reviews made of filler words plus two to four sentiment words of their class. */
    static List<String> corpus(int n, long seed, int[] labels) {
        Random r = new Random(seed);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            String[] cue = labels[i] == 1 ? POS : NEG;
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 12; k++) {
                b.append(NOISE[r.nextInt(NOISE.length)]).append(k % 5 == 4 ? ". <br /><br />" : " ");
                if (k % 4 == 0) {
                    b.append(cue[r.nextInt(cue.length)].toUpperCase()).append("! ");
                }
            }
            texts.add(b.toString());
        }
        return texts;
    }

    @Test
    void separatesASyntheticSentimentCorpus() {
        int[] yTrain = new int[200];
        int[] yTest = new int[100];
        List<String> train = corpus(200, 1, yTrain);
        List<String> test = corpus(100, 2, yTest);
        BagOfWordsBaseline model = BagOfWordsBaseline.train(train, yTrain, BagOfWordsBaseline.Options.defaults().withMaxFeatures(50));
        ClassificationReport r = model.evaluate(test, yTest, List.of("neg", "pos"));
        assertEquals(1.0, r.accuracy(), 0.0, r.toString());
        assertEquals(r.accuracy(), model.tribuoEvaluation(test, yTest).accuracy(), 1e-12);
        double[] p = model.predictProbabilities(test);
        for (int i = 0; i < p.length; i++) {
            assertEquals(yTest[i] == 1, p[i] > 0.5, "text " + i);
        }
        assertEquals(22, model.vocabulary().size(), "6 + 6 cue words, 10 fillers: " + model.vocabulary());
        assertTrue(model.vocabulary().contains("great") && !model.vocabulary().contains("br"), model.vocabulary().toString());
        // Unknown words only: still a valid prediction.
        assertEquals(1, model.predict(List.of("zzz qqq")).length);
        assertArrayEquals(model.predict(test), BagOfWordsBaseline.train(train, yTrain,
                BagOfWordsBaseline.Options.defaults().withMaxFeatures(50)).predict(test), "same seed, same model");
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BagOfWordsBaseline.train(List.of("a", "b"), new int[]{1}));
        assertTrue(e.getMessage().startsWith("texts has 2 entries but labels has 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BagOfWordsBaseline.train(List.of("a", "b"), new int[]{1, 1}));
        assertTrue(e.getMessage().contains("single class"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BagOfWordsBaseline.Options.defaults().withMaxFeatures(0));
        assertTrue(e.getMessage().startsWith("maxFeatures must be >= 1"), e.getMessage());
    }
}
