package rnnlab.display;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class HtmlTest {

    @Test
    void htmlTableEscapesAndElidesLongTables() {
        Table t = Table.create("r<1>", StringColumn.create("name"), DoubleColumn.create("acc"));
        for (int i = 0; i < 50; i++) {
            t.stringColumn("name").append("m" + i);
            t.doubleColumn("acc").append(i / 100.0);
        }
        String html = Html.table(t, 10);
        assertTrue(html.contains("r&lt;1&gt;"));
        assertTrue(html.contains(">m0<") && html.contains(">m49<") && !html.contains(">m25<"), html);
        assertTrue(html.contains("50 rows × 2 columns"));
        assertThrows(IllegalArgumentException.class, () -> Html.table(t, 1));
    }
}
