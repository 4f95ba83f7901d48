package rnnlab.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class EvalTest {

    static final List<String> NAMES = List.of("cat", "dog", "bird", "fish");
    static final int[] Y_TRUE = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 3, 1, 0, 2};
    static final int[] Y_PRED = {0, 0, 1, 2, 1, 1, 0, 2, 2, 2, 1, 2, 2, 1, 0, 0};

    private static String fixture() throws IOException {
        try (InputStream in = EvalTest.class.getResourceAsStream("/rnnlab/eval/classification_report_expected.txt")) {
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf('\n', all.indexOf("weighted avg")) + 1;
            return all.substring(0, end);
        }
    }

    @Test
    void reportMatchesSklearnLayoutAndNumbers() throws IOException {
        ClassificationReport r = ClassificationReport.of(Y_TRUE, Y_PRED, NAMES);
        assertEquals(fixture(), r.toString());
        // The exact values printed by classification_report_expected.py (float repr).
        assertEquals(0.6, r.precision(0), 1e-15);
        assertEquals(0.75, r.recall(1), 1e-15);
        assertEquals(0.6666666666666665, r.f1(1), 1e-15);
        assertEquals(0.0, r.precision(3), 0.0, "zero division gives 0");
        assertEquals(6, r.support(2));
        assertEquals(0.625, r.accuracy(), 1e-15);
        assertEquals(0.4666666666666667, r.macroPrecision(), 1e-15);
        assertEquals(0.5041666666666667, r.macroRecall(), 1e-15);
        assertEquals(0.4833333333333333, r.macroF1(), 1e-15);
        assertEquals(0.5875, r.weightedPrecision(), 1e-15);
        assertEquals(0.625, r.weightedRecall(), 1e-15);
        assertEquals(0.6041666666666666, r.weightedF1(), 1e-15);
        assertEquals(List.of("class", "precision", "recall", "f1-score", "support"), r.toTable().columnNames());
        assertEquals(7, r.toTable().rowCount());
        assertTrue(r.mimeBundle().get("text/html").contains("<th style=\"text-align:right\">weighted avg</th>"));
        assertTrue(r.withDigits(2).toString().contains("         cat       0.60      0.60      0.60         5"));
    }

    @Test
    void classNeverPredictedNorPresentCountsAsZeroInMacroAverage() {
        ClassificationReport r = ClassificationReport.of(new int[]{0, 1, 1}, new int[]{0, 1, 0}, List.of("a", "b", "c"));
        assertEquals(0.0, r.precision(2));
        assertEquals(0.0, r.recall(2));
        assertEquals(0, r.support(2));
        // (1/2 + 1 + 0) / 3
        assertEquals(0.5, r.macroPrecision(), 1e-15);
    }

    @Test
    void confusionMatrixCountsAndRowNormalisation() {
        ConfusionMatrix cm = ConfusionMatrix.of(Y_TRUE, Y_PRED, NAMES);
        long[][] expected = {
                {3, 1, 1, 0},
                {1, 3, 0, 0},
                {1, 1, 4, 0},
                {0, 0, 1, 0}};
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(expected[i], cm.counts()[i], "row " + NAMES.get(i));
        }
        assertEquals(16, cm.total());
        double[][] norm = cm.normalize().values();
        assertArrayEquals(new double[]{0.6, 0.2, 0.2, 0.0}, norm[0], 1e-15);
        assertArrayEquals(new double[]{0.25, 0.75, 0.0, 0.0}, norm[1], 1e-15);
        assertArrayEquals(new double[]{0.0, 0.0, 1.0, 0.0}, norm[3], 1e-15);
        assertArrayEquals(new double[]{0, 0, 0}, ConfusionMatrix.of(new int[]{0, 1}, new int[]{0, 1},
                List.of("a", "b", "c")).normalize().values()[2], 0.0, "a class without samples gets zeros");
        assertEquals(List.of("true", "cat", "dog", "bird", "fish"), cm.toTable().columnNames());
        String text = cm.toString();
        assertTrue(text.contains(" cat  dog bird fish"), text);
        assertTrue(text.contains("bird    1    1    4    0"), text);
        assertTrue(cm.normalize().toString().contains(" cat 0.60 0.20 0.20 0.00"), cm.normalize().toString());
        assertTrue(cm.mimeBundle().get("text/html").startsWith("<table"));
        assertEquals(List.of("0", "1", "2"), ConfusionMatrix.of(new int[]{0, 2}, new int[]{1, 2}).classNames());
    }

    @Test
    void binaryMetricsUseThresholdHalfAndAgreeWithTribuo() {
        double[] p = {0.9, 0.5, 0.51, 0.2, 0.7, 0.1, 0.6, 0.3};
        int[] y = {1, 1, 0, 0, 1, 1, 1, 0};
        BinaryMetrics m = BinaryMetrics.fromProbabilities(p, y);
        // 0.5 is not > 0.5: predicted {1,0,1,0,1,0,1,0} → tp 3, fp 1, tn 2, fn 2.
        assertEquals(new BinaryMetrics(3, 1, 2, 2), m);
        assertEquals(5 / 8.0, m.accuracy(), 1e-15);
        assertEquals(0.75, m.precision(), 1e-15);
        assertEquals(0.6, m.recall(), 1e-15);
        assertEquals(2 * 0.75 * 0.6 / 1.35, m.f1(), 1e-15);
        ClassificationReport r = ClassificationReport.of(y, new int[]{1, 0, 1, 0, 1, 0, 1, 0}, List.of("neg", "pos"));
        assertEquals(r.precision(1), m.precision(), 1e-15);
        assertEquals(r.recall(1), m.recall(), 1e-15);
        assertEquals(r.f1(1), m.f1(), 1e-15);
        assertEquals(r.accuracy(), m.accuracy(), 1e-15);
        assertEquals(m, BinaryMetrics.fromProbabilities(Nd4j.createFromArray(p).reshape(8, 1),
                Nd4j.createFromArray(y).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)));
        assertEquals(new BinaryMetrics(0, 0, 2, 0).f1(), 0.0, "no positives: zero division gives 0");
    }

    @Test
    void badLabelsNameTheArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationReport.of(new int[]{0, 1}, new int[]{0}, NAMES));
        assertTrue(e.getMessage().startsWith("yTrue has 2 labels but yPred has 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(new int[]{0, 4}, new int[]{0, 1}, NAMES));
        assertTrue(e.getMessage().startsWith("yTrue[1] = 4 is outside the classes 0..3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BinaryMetrics.fromProbabilities(new double[]{0.3}, new int[]{2}));
        assertTrue(e.getMessage().startsWith("yTrue[0] = 2 is not a binary class"), e.getMessage());
    }

    @Test
    void formatsLikePython() {
        // Values printed by /usr/bin/python3 ('%.1f' % 0.25, '%.4f' % 0.30005, ...); Java's
        // String.format gives 0.3, 0.3001, 0.0002 and 0.0313 for the first four.
        assertEquals("0.2", Format.fixed(0.25, 1));
        assertEquals("0.3000", Format.fixed(0.30005, 4));
        assertEquals("0.0001", Format.fixed(0.00015, 4));
        assertEquals("0.0312", Format.fixed(0.03125, 4));
        assertEquals("0.8334", Format.fixed(0.83335, 4));
        assertEquals("0.0000", Format.fixed(2.675e-5, 4));
        assertEquals("-0.0000", Format.fixed(-1e-9, 4));
        assertEquals("1.2346e-04", Format.kerasValue(0.000123456));
        assertEquals("0.4512", Format.kerasValue(0.45123));
        assertEquals("nan", Format.fixed(Double.NaN, 4));
    }
}
