package rnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplaySystem;

import rnnlab.display.Displayable;

/** Plain values, collections and rnnlab's own renderers all give text/plain; rapaio's HTML stays. */
class PlainTextTest {

    @Test
    void upstreamRendersPlainValuesAsHtmlOnly() {
        DisplayData dd = new org.rapaio.jupyter.kernel.display.DefaultDisplayRenderer().render(null, 2);
        assertEquals(Map.of("text/html", "2"), dd.data(),
                "rapaio's fallback renderer now gives text/plain itself: PlainText may be dropped");
    }

    @Test
    void everyValueCarriesTextBesideItsHtml() throws Exception {
        DisplaySystem display = DisplaySystem.inst();
        PlainText.install(display);
        PlainText.install(display); // twice: still one wrapper
        for (Object o : List.of(2, "hello", true, 2.5)) {
            DisplayData dd = display.render(o);
            assertEquals(String.valueOf(o), dd.data().get("text/plain"), "text/plain of " + o);
            assertEquals(String.valueOf(o), dd.data().get("text/html"), "rapaio's HTML of " + o + " is kept");
        }
        DisplayData list = display.render(List.of(1, 2, 3));
        assertTrue(list.data().containsKey("text/html"), list.data().toString());
        assertTrue(String.valueOf(list.data().get("text/plain")).contains("1") && String.valueOf(list.data().get("text/plain")).contains("3"),
                list.data().toString());
        assertTrue(!String.valueOf(list.data().get("text/plain")).contains("<"), "a collection's text form has no markup: " + list.data());
    }

    @Test
    void rnnlabDisplayablesKeepTheirOwnText() throws Exception {
        PlainText.install(DisplaySystem.inst());
        Displayable d = () -> Displayable.textAndHtml("plain view", "<b>html view</b>");
        DisplayData dd = DisplaySystem.inst().render(d);
        assertEquals("plain view", dd.data().get("text/plain"));
        assertEquals("<b>html view</b>", dd.data().get("text/html"));
    }
}
