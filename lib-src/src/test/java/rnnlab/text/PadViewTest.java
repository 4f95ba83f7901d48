package rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PadViewTest {

    private static final int[][] S22 = {{1, 2, 3, 9}, {4, 5, 6}, {7, 8}};

    @Test
    void plainTextMarksCutAndPadding() {
        PadView v = PadView.of(S22, PadSequences.builder().maxlen(3).padding("post").build());
        String expected = String.join("\n",
                "pad_sequences(maxlen=3, padding='post', truncating='pre', value=0) → shape (3, 3)",
                "row  len  before       after",
                "0    4    ~1~ 2 3 9 -> 2 3 9",
                "1    3    4 5 6     -> 4 5 6",
                "2    2    7 8       -> 7 8 (0)",
                "legend: ~x~ cut off by truncating='pre'   (v) padding value 0 added by padding='post'");
        assertEquals(expected, v.toString());
        assertArrayEquals(new int[][] {{2, 3, 9}, {4, 5, 6}, {7, 8, 0}}, v.result());
    }

    @Test
    void htmlHasColouredCellsLegendAndOptions() {
        PadView v = PadView.of(S22, PadSequences.builder().maxlen(3).truncating("post").value(-1).build());
        Map<String, String> bundle = v.mimeBundle();
        assertEquals(v.toString(), bundle.get("text/plain"));
        String html = bundle.get("text/html");
        assertTrue(html.contains("maxlen=3, padding=&#39;pre&#39;, truncating=&#39;post&#39;, value=-1"), html);
        assertTrue(html.contains("line-through") && html.contains("title=\"cut\">9</td>"), html);
        assertTrue(html.contains("title=\"pad\">-1</td>"), html);
        assertTrue(html.contains("legend"), html);
        assertEquals(1, count(html, "title=\"cut\""));
        assertEquals(1, count(html, "title=\"pad\""));
    }

    @Test
    void emptyRowsLongRowsAndDefaults() {
        int[] longRow = new int[400];
        for (int i = 0; i < 400; i++) {
            longRow[i] = i + 1;
        }
        PadView v = PadView.of(new int[][] {{}, longRow}, PadSequences.builder().maxlen(30).build());
        String text = v.toString();
        assertTrue(text.contains("…"), text);
        assertTrue(text.contains("~1~") && text.contains("400"), text);
        assertTrue(v.toHtml().contains("title=\"pad\""));
        assertTrue(PadView.of(S22).toString().startsWith("pad_sequences(maxlen=None, padding='pre', truncating='pre', value=0) → shape (3, 4)"));
        assertThrows(IllegalArgumentException.class, () -> PadView.of(S22, null));
        assertThrows(IllegalArgumentException.class, () -> PadView.of(S22, PadSequences.builder().maxlen(0).build()));
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
