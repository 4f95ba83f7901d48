package rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * Tablesaw's row selections on the library's classpath. DL4J's fastutil 6.5.7 once won over Tablesaw's
 * 8.5.13 and every selection threw AbstractMethodError; the pom now pins fastutil 8.
 */
class TablesawClasspathTest {

    @Test
    void rowSelectionsWork() {
        Table t = Table.create("t", IntColumn.create("x", new int[] {1, 2, 3, 4}));
        assertEquals(2, t.where(t.intColumn("x").isGreaterThan(2)).rowCount());
        assertEquals(2, t.first(2).rowCount());
        assertEquals(1, t.last(1).rowCount());
        assertEquals(3, t.dropWhere(t.intColumn("x").isEqualTo(1)).rowCount());
    }
}
