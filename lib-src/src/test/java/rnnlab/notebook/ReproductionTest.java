package rnnlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReproductionTest {

    @Test
    void exactRowsAreComparedAndMeasuredRowsShowTheDifference() {
        Reproduction r = Reproduction.of("Report 002")
                .exact("Total params", 322_113, 322_113)
                .exact("padded", "[[1 0]]", "[[0 1]]")
                .measured("val accuracy", 0.85, 0.8123, "%.4f")
                .note("quick mode uses 2,000 reviews")
                .build();
        assertEquals("identical", r.rows().get(0).verdict());
        assertEquals("322,113", r.rows().get(0).report());
        assertEquals("differs", r.rows().get(1).verdict());
        assertEquals("Δ -0.0377", r.rows().get(2).verdict());
        assertEquals(1, r.differences());
        assertEquals(3, r.toTable().rowCount());
        String html = r.mimeBundle().get("text/html");
        assertTrue(html.contains("[[1 0]]") && html.contains("quick mode uses 2,000 reviews"), html);
        assertTrue(r.toString().contains("Total params: report 322,113 | this run 322,113 | identical"), r.toString());
    }

    @Test
    void emptyTitleIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Reproduction.of(" "));
    }
}
