package rnnlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabTest {

    @AfterEach
    void clear() {
        System.clearProperty("rnnlab.mode");
        System.clearProperty("rnnlab.data");
        System.clearProperty("rnnlab.figures");
        System.clearProperty("rnnlab.epochs");
        System.clearProperty("rnnlab.seed");
    }

    @Test
    void seedIsTheNotebooksUnlessOverridden() {
        assertEquals(42L, Lab.seed(42));
        System.setProperty("rnnlab.seed", "7");
        assertEquals(7L, Lab.seed(42));
        System.setProperty("rnnlab.seed", "seven");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lab.seed(42));
        assertTrue(e.getMessage().contains("'seven'") && e.getMessage().contains("RNNLAB_SEED"), e.getMessage());
    }

    @Test
    void epochsFollowModeUnlessOverriddenAndRemarkSaysWhy() {
        System.setProperty("rnnlab.mode", "full");
        assertEquals(50, Lab.epochs(2, 50));
        assertEquals("as the report", Lab.epochsRemark(Lab.epochs(2, 50), 50));
        System.setProperty("rnnlab.epochs", "3");
        assertEquals(3, Lab.epochs(2, 50));
        assertTrue(Lab.epochsRemark(3, 50).startsWith("RNNLAB_EPOCHS=3: full mode"), Lab.epochsRemark(3, 50));
        System.setProperty("rnnlab.mode", "quick");
        assertEquals(3, Lab.epochs(2, 50));
        System.clearProperty("rnnlab.epochs");
        assertEquals("quick mode: fewer epochs", Lab.epochsRemark(Lab.epochs(2, 50), 50));
        for (String bad : new String[] {"0", "-1", "two", "2.5"}) {
            System.setProperty("rnnlab.epochs", bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lab.epochs(2, 50));
            assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("RNNLAB_EPOCHS"),
                    e.getMessage());
        }
    }

    @Test
    void modeParsesQuickAndFullAndRejectsOthers() {
        assertEquals(Lab.Mode.QUICK, Lab.Mode.parse(null));
        assertEquals(Lab.Mode.QUICK, Lab.Mode.parse(" Quick "));
        assertEquals(Lab.Mode.FULL, Lab.Mode.parse("FULL"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Lab.Mode.parse("fast"));
        assertTrue(e.getMessage().contains("'fast'") && e.getMessage().contains("quick, full"), e.getMessage());
    }

    @Test
    void systemPropertyPicksModeAndValues() {
        System.setProperty("rnnlab.mode", "full");
        assertEquals(50, Lab.pick(2, 50));
        assertEquals("full", Lab.pick("quick", "full"));
        System.setProperty("rnnlab.mode", "quick");
        assertEquals(2, Lab.pick(2, 50));
    }

    @Test
    void dataDirAndFiguresDirFollowSettings(@TempDir Path tmp) {
        System.setProperty("rnnlab.data", tmp.resolve("mirror").toString());
        assertEquals(tmp.resolve("mirror").toAbsolutePath().normalize(), Lab.dataDir());
        System.setProperty("rnnlab.figures", tmp.resolve("figs").toString());
        Path d = Lab.figuresDir("01-padding");
        assertTrue(Files.isDirectory(d));
        assertEquals("01-padding", d.getFileName().toString());
    }
}
