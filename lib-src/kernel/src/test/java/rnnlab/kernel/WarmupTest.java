package rnnlab.kernel;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WarmupTest {

    @Test
    void onUnlessTurnedOff() {
        assertTrue(Warmup.enabled(null));
        assertTrue(Warmup.enabled("1"));
        assertTrue(Warmup.enabled("yes"));
        for (String off : new String[] {"0", "false", "FALSE", " no ", "off"}) {
            assertFalse(Warmup.enabled(off), off);
        }
    }

    /** The warm-up's model builds and trains in this JVM: a kernel would otherwise log a failure at every start. */
    @Test
    void trainsItsModel() {
        Warmup.run();
    }
}
