package rnnlab.view;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import rnnlab.text.PadSequences;
import rnnlab.text.Side;

/** Every layout the explorer's page can select equals PadSequences' output for that setting. */
class PadExplorerTest {

    private static final int[][] S = {{1, 2, 3, 9}, {4, 5, 6}, {7, 8}, {}};
    private static final int[] REVIEW = {1, 14, 22, 16, 43, 530, 973, 1622, 1385, 65, 458, 4468};

    private static PadExplorer explorer() {
        return PadExplorer.builder()
                .sequences("s", S)
                .review("review", REVIEW, id -> id == 1 ? "<start>" : "w" + id)
                .values(0, -1, 7)
                .build();
    }

    /** The JSON embedded in the page, read back out of the HTML the notebook receives. */
    private static JsonNode embedded(String html) throws Exception {
        String marker = "var DATA = ";
        int from = html.indexOf(marker) + marker.length();
        int to = html.indexOf(";\nfunction el(", from);
        assertTrue(from > marker.length() && to > from, "the page embeds its data");
        return new ObjectMapper().readTree(html.substring(from, to).replace("<\\/", "</"));
    }

    @Test
    void everyEmbeddedLayoutEqualsPadSequencesForItsSetting() throws Exception {
        PadExplorer ex = explorer();
        JsonNode data = embedded(ex.toHtml());
        int[][][] panelSeqs = {S, {REVIEW}};
        int checked = 0;
        int errors = 0;
        for (int k = 0; k < 2; k++) {
            JsonNode p = data.get("panels").get(k);
            int from = p.get("maxlenFrom").asInt();
            int to = p.get("maxlenTo").asInt();
            assertEquals((to - from + 1) * 4 * 3, p.get("layouts").size(), "one layout per selectable setting");
            for (int maxlen = from; maxlen <= to; maxlen++) {
                for (Side pad : Side.values()) {
                    for (Side trunc : Side.values()) {
                        for (int v : new int[] {0, -1, 7}) {
                            PadSequences o = new PadSequences(maxlen, pad, trunc, v);
                            JsonNode lay = p.get("layouts").get(PadExplorer.key(o));
                            assertNotNull(lay, "layout " + PadExplorer.key(o));
                            int[][] expected;
                            try {
                                expected = o.apply(panelSeqs[k]);
                            } catch (IllegalArgumentException e) {
                                assertEquals(e.getMessage(), lay.get("error").asText());
                                errors++;
                                continue;
                            }
                            JsonNode r = lay.get("result");
                            assertEquals(expected.length, r.size());
                            for (int i = 0; i < expected.length; i++) {
                                int[] row = new int[r.get(i).size()];
                                for (int j = 0; j < row.length; j++) {
                                    row[j] = r.get(i).get(j).asInt();
                                }
                                assertArrayEquals(expected[i], row, PadExplorer.key(o) + " row " + i);
                                PadSequences.RowPlan plan = o.plan(panelSeqs[k][i].length, maxlen, i);
                                JsonNode pl = lay.get("plans").get(i);
                                assertArrayEquals(new int[] {plan.keepFrom(), plan.keepTo(), plan.padBefore(), plan.padAfter()},
                                        new int[] {pl.get(0).asInt(), pl.get(1).asInt(), pl.get(2).asInt(), pl.get(3).asInt()});
                            }
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals((7 + 22) * 12 - errors, checked);
        assertTrue(errors > 0, "maxlen=0 with truncating='pre' is offered and shows Keras's error");
        // the review's words travel with the data; ids are what the layouts hold
        assertEquals("<start>", data.get("panels").get(1).get("words").get("1").asText());
    }

    @Test
    void staticFallbackShowsTheInitialSettingMarkedAsPadView() {
        PadExplorer ex = PadExplorer.builder()
                .sequences("s", S, 0, 6, PadSequences.builder().maxlen(3).padding("post").build()).build();
        String html = ex.toHtml();
        String staticPart = html.substring(html.indexOf("rnnlab-static"), html.indexOf("rnnlab-live"));
        assertTrue(staticPart.contains(rnnlab.display.Html.escape("pad_sequences(maxlen=3, padding='post', truncating='pre', value=0)")),
                "the static part names the initial setting");
        assertTrue(staticPart.contains("<s>1</s>"), "the cut element 1 of [1, 2, 3, 9] is struck through");
        assertTrue(staticPart.contains("<i>0</i>"), "padding is marked");
        assertFalse(staticPart.contains("<script"), "the fallback needs no script");
        String text = ex.toText();
        assertTrue(text.contains("0: ~1~ 2 3 9 -> 2 3 9"), text);
        assertTrue(text.contains("2: 7 8 -> 7 8 (0)"), text);
        assertFalse(html.contains("http://") || html.contains("https://"), "nothing is fetched");
        Map<String, String> bundle = ex.mimeBundle();
        assertEquals(text, bundle.get("text/plain"));
    }

    @Test
    void badPanelsAreRejectedWithAReason() {
        var e = assertThrows(IllegalArgumentException.class, () -> PadExplorer.builder()
                .sequences("s", S, 0, 4, PadSequences.builder().maxlen(9).build()).build());
        assertTrue(e.getMessage().contains("slider range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PadExplorer.builder()
                .sequences("s", S, 0, 4, PadSequences.builder().maxlen(2).value(5).build()).build());
        assertTrue(e.getMessage().contains("not among the offered values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PadExplorer.builder()
                .sequences("s", S, 0, 2000, PadSequences.builder().maxlen(2).build()).build());
        assertTrue(e.getMessage().contains("layouts"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PadExplorer.builder().build());
    }
}
