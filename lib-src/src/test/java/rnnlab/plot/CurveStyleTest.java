package rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tech.tablesaw.api.Table;

/** The curves' epoch ticks, percent accuracy and held-out naming, read from the Plotly spec (no rendering). */
class CurveStyleTest {

    static List<String> names(Figure f) {
        List<String> n = new ArrayList<>();
        f.dataSpec().forEach(t -> n.add(t.get("name").asText()));
        return n;
    }

    static List<String> annotations(Figure f) {
        List<String> a = new ArrayList<>();
        f.layoutSpec().get("annotations").forEach(t -> a.add(t.get("text").asText()));
        return a;
    }

    @Test
    void epochAxesHaveWholeNumberTicksOnly() {
        assertEquals(1, Figures.epochTickStep(3));
        assertEquals(1, Figures.epochTickStep(10));
        assertEquals(2, Figures.epochTickStep(20));
        assertEquals(5, Figures.epochTickStep(50));
        assertEquals(10, Figures.epochTickStep(100));
        assertEquals(20, Figures.epochTickStep(101));
        Table h = FiguresTest.history(3, 0.5);
        Map<String, Table> two = new LinkedHashMap<>();
        two.put("RNN", h);
        two.put("LSTM", FiguresTest.history(50, 0.5));
        for (Figure f : List.of(Figures.lossCurve(h), Figures.accuracyCurve(h), Figures.trainingCurves(h, "GRU"),
                Figures.compareModels(two), Figures.metricCurves(two))) {
            ObjectNode layout = f.layoutSpec();
            int axes = 0;
            for (var it = layout.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (k.startsWith("xaxis")) {
                    JsonNode x = layout.get(k);
                    assertEquals("linear", x.get("tickmode").asText(), f + " " + k);
                    assertEquals("d", x.get("tickformat").asText(), f + " " + k);
                    assertTrue(x.get("dtick").isInt() && x.get("dtick").asInt() >= 1, f + " " + k);
                    axes++;
                }
            }
            assertTrue(axes >= 1, f.toString());
        }
        assertEquals(1, Figures.lossCurve(h).layoutSpec().get("xaxis").get("dtick").asInt());
        assertEquals(5, Figures.compareModels(two).layoutSpec().get("xaxis4").get("dtick").asInt());
    }

    @Test
    void accuracyInPercentAndHeldOutNamedTest() {
        Table h = FiguresTest.history(4, 0.5);
        Map<String, Table> models = new LinkedHashMap<>();
        models.put("LeNet", h);
        Figure fraction = Figures.compareModels(models);
        Figure percent = Figures.compareModels(models, Figures.CurveStyle.DEFAULT.accuracyInPercent());
        // traces: per model loss, val_loss, accuracy, val_accuracy
        double acc = fraction.dataSpec().get(2).get("y").get(1).asDouble();
        assertEquals(100 * acc, percent.dataSpec().get(2).get("y").get(1).asDouble(), 1e-9);
        assertEquals(fraction.dataSpec().get(0).get("y"), percent.dataSpec().get(0).get("y"), "the loss is not scaled");
        assertEquals("Accuracy (%)", percent.layoutSpec().get("yaxis3").get("title").get("text").asText());
        assertEquals("Accuracy", fraction.layoutSpec().get("yaxis3").get("title").get("text").asText());
        assertEquals(List.of("Training Loss", "Validation Loss", "Training Accuracy", "Validation Accuracy"),
                annotations(fraction));

        Figures.CurveStyle test = Figures.CurveStyle.DEFAULT.heldOutAs("test");
        assertEquals(List.of("Training Loss", "Test Loss", "Training Accuracy", "Test Accuracy"),
                annotations(Figures.compareModels(models, test)));
        assertEquals(List.of("LeNet train", "LeNet val", "LeNet train", "LeNet val", "LeNet train", "LeNet val"),
                names(Figures.metricCurves(models)));
        assertEquals(List.of("LeNet train", "LeNet test", "LeNet train", "LeNet test", "LeNet train", "LeNet test"),
                names(Figures.metricCurves(models, test)));
        assertEquals(List.of("Training", "Test", "Training", "Test"), names(Figures.trainingCurves(h, "", test)));
        assertEquals(List.of("Training Loss", "Test Loss"), names(Figures.lossCurve(h, test)));
        assertEquals("Training and test loss", Figures.lossCurve(h, test).title());
        Figure pc = Figures.accuracyCurve(h, test.accuracyInPercent());
        assertEquals(List.of("Training Accuracy", "Test Accuracy"), names(pc));
        assertEquals("Accuracy (%)", pc.layoutSpec().get("yaxis").get("title").get("text").asText());
        assertEquals(List.of("Training Loss", "Validation Loss"), names(Figures.lossCurve(h)));
        assertThrows(IllegalArgumentException.class, () -> Figures.CurveStyle.DEFAULT.heldOutAs(" "));
    }
}
