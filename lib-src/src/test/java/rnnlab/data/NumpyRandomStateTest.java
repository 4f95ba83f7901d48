package rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Reference values from numpy 1.24 ({@code /usr/bin/python3}). */
class NumpyRandomStateTest {

    @Test
    void permutationsMatchNumpy() {
        NumpyRandomState r = new NumpyRandomState(42);
        assertArrayEquals(new int[] {8, 1, 5, 0, 7, 2, 9, 4, 3, 6}, r.permutation(10));
        // the generator continues, as Keras's second shuffle (test split) does
        assertArrayEquals(new int[] {4, 1, 0, 3, 5, 6, 2}, r.permutation(7));
        assertArrayEquals(new int[] {6, 9, 5, 1, 8, 0, 7, 4, 2, 3}, new NumpyRandomState(4294967295L).permutation(10));
        int[] p = new NumpyRandomState(113).permutation(25000);
        assertArrayEquals(new int[] {7798, 13226, 18078}, java.util.Arrays.copyOf(p, 3));
    }

    @Test
    void seedOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(-1));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(1L << 32));
    }
}
