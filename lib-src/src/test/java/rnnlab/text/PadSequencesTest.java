package rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class PadSequencesTest {

    private static final int[][] S21 = {{1}, {2, 3}, {4, 5, 6}};
    private static final int[][] S22 = {{1, 2, 3, 9}, {4, 5, 6}, {7, 8}};

    private static PadSequences.Builder b() {
        return PadSequences.builder();
    }

    // ---------------------------------------------------------------- report 003 §2.1 and §2.2

    @Test
    void report21PaddingPost() {
        int[][] a = b().padding("post").build().apply(S21);
        assertArrayEquals(new int[][] {{1, 0, 0}, {2, 3, 0}, {4, 5, 6}}, a);
        assertEquals("[[1 0 0]\n [2 3 0]\n [4 5 6]]", NdFormat.numpy(a));
    }

    @Test
    void report21ValueMinusOne() {
        int[][] a = b().padding("post").value(-1).build().apply(S21);
        assertArrayEquals(new int[][] {{1, -1, -1}, {2, 3, -1}, {4, 5, 6}}, a);
        assertEquals("[[ 1 -1 -1]\n [ 2  3 -1]\n [ 4  5  6]]", NdFormat.numpy(a));
    }

    @Test
    void report22MaxlenTwoTruncatesAtTheFront() {
        int[][] a = PadSequences.builder().maxlen(2).build().apply(S22);
        assertArrayEquals(new int[][] {{3, 9}, {5, 6}, {7, 8}}, a);
        assertEquals("[[3 9]\n [5 6]\n [7 8]]", NdFormat.numpy(a));
    }

    @Test
    void report22TruncatingPostKeepsTheHead() {
        int[][] a = b().maxlen(2).truncating("post").build().apply(S22);
        assertArrayEquals(new int[][] {{1, 2}, {4, 5}, {7, 8}}, a);
    }

    @Test
    void kerasDefaultPadsAtTheFront() {
        // the report says 'post' is the default; tf.keras pads 'pre'
        assertArrayEquals(new int[][] {{0, 0, 1}, {0, 2, 3}, {4, 5, 6}}, PadSequences.defaults().apply(S21));
    }

    @Test
    void report23PostPostTo400() {
        int[] seq = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
        int[][] a = b().padding("post").maxlen(400).truncating("post").build().apply(new int[][] {seq});
        assertEquals(1, a.length);
        assertEquals(400, a[0].length);
        for (int j = 0; j < 400; j++) {
            assertEquals(j < 11 ? j + 1 : 0, a[0][j]);
        }
    }

    // ---------------------------------------------------------------- every option combination

    @Test
    void allSideCombinationsWithPaddingAndTruncation() {
        int[][] s = {{1, 2, 3, 4, 5}, {6, 7}};
        assertArrayEquals(new int[][] {{3, 4, 5}, {0, 6, 7}}, b().maxlen(3).build().apply(s));
        assertArrayEquals(new int[][] {{3, 4, 5}, {6, 7, 0}}, b().maxlen(3).padding("post").build().apply(s));
        assertArrayEquals(new int[][] {{1, 2, 3}, {0, 6, 7}}, b().maxlen(3).truncating("post").build().apply(s));
        assertArrayEquals(new int[][] {{1, 2, 3}, {6, 7, 0}},
                b().maxlen(3).padding(Side.POST).truncating(Side.POST).build().apply(s));
    }

    @Test
    void maxlenLongerThanEverySequence() {
        assertArrayEquals(new int[][] {{0, 0, 0, 1, 2}, {0, 0, 0, 0, 3}}, b().maxlen(5).build().apply(new int[][] {{1, 2}, {3}}));
    }

    @Test
    void fractionalValueIsTruncatedTowardZeroForInts() {
        assertArrayEquals(new int[][] {{-1, 7}}, b().maxlen(2).value(-1.7).build().apply(new int[][] {{7}}));
        assertThrows(IllegalArgumentException.class, () -> b().value(Double.NaN).build().apply(new int[][] {{1}}));
    }

    @Test
    void emptySequencesBecomeAllPadding() {
        int[][] a = b().padding("post").value(9).build().apply(new int[][] {{}, {1, 2}, {}});
        assertArrayEquals(new int[][] {{9, 9}, {1, 2}, {9, 9}}, a);
        assertArrayEquals(new int[][] {{}, {}}, PadSequences.defaults().apply(new int[][] {{}, {}}));
    }

    @Test
    void noSequences() {
        assertEquals(0, b().maxlen(4).build().apply(new int[0][]).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PadSequences.defaults().apply(new int[0][]));
        assertTrue(e.getMessage().contains("maxlen"), e.getMessage());
        INDArray nd = b().maxlen(4).build().applyAsArray(new int[0][]);
        assertArrayEquals(new long[] {0, 4}, nd.shape());
    }

    @Test
    void maxlenZero() {
        int[][] s = {{1, 2, 3}, {4}, {}};
        int[][] a = b().maxlen(0).truncating("post").build().apply(s);
        assertEquals(3, a.length);
        for (int[] r : a) {
            assertEquals(0, r.length);
        }
        // Keras: s[-0:] is the whole sequence and fails to fit a width-0 row (length 1 broadcasts away)
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b().maxlen(0).build().apply(s));
        assertTrue(e.getMessage().contains("sequences[0]") && e.getMessage().contains("truncating='post'"), e.getMessage());
        assertArrayEquals(new int[][] {{}, {}}, b().maxlen(0).build().apply(new int[][] {{5}, {}}));
        assertArrayEquals(new long[] {3, 0}, b().maxlen(0).truncating("post").build().applyAsArray(s).shape());
    }

    @Test
    void floatAndDoubleSequences() {
        float[][] f = b().padding("post").value(-0.5).build().apply(new float[][] {{0.25f}, {1.5f, 2.5f}});
        assertArrayEquals(new float[] {0.25f, -0.5f}, f[0]);
        assertArrayEquals(new float[] {1.5f, 2.5f}, f[1]);
        double[][] d = b().maxlen(1).build().apply(new double[][] {{0.1, 0.2}, {}});
        assertArrayEquals(new double[] {0.2}, d[0]);
        assertArrayEquals(new double[] {0.0}, d[1]);
        float[][] nan = b().maxlen(2).value(Float.NaN).build().apply(new float[][] {{1f}});
        assertTrue(Float.isNaN(nan[0][0]));
        assertEquals(1f, nan[0][1]);
        INDArray nd = b().padding("post").build().applyAsArray(new float[][] {{1f}, {2f, 3f}});
        assertEquals(DataType.FLOAT, nd.dataType());
        assertEquals(3f, nd.getFloat(1, 1));
        assertEquals(0f, nd.getFloat(0, 1));
    }

    @Test
    void listInputAndStaticFiveArgumentForm() {
        int[][] a = b().padding("post").build().apply(List.of(List.of(1), List.of(2, 3)));
        assertArrayEquals(new int[][] {{1, 0}, {2, 3}}, a);
        assertArrayEquals(new int[][] {{-1, -1, 1}, {1, 2, 3}},
                PadSequences.builder().maxlen(3).padding("pre").truncating("post").value(-1).build().apply(new int[][] {{1}, {1, 2, 3, 9}}));
    }

    @Test
    void ndArrayResult() {
        INDArray nd = b().padding("post").build().applyAsArray(S21);
        assertEquals(DataType.INT32, nd.dataType());
        assertArrayEquals(new long[] {3, 3}, nd.shape());
        assertEquals(5, nd.getInt(2, 1));
        assertEquals(0, nd.getInt(0, 2));
        INDArray f = b().padding("post").build().applyAsArray(S21, DataType.FLOAT);
        assertEquals(DataType.FLOAT, f.dataType());
        assertEquals(3f, f.getFloat(1, 1));
    }

    @Test
    void inputIsNotModified() {
        int[][] s = {{1, 2, 3, 9}, {4}};
        b().maxlen(2).build().apply(s);
        assertArrayEquals(new int[][] {{1, 2, 3, 9}, {4}}, s);
    }

    // ---------------------------------------------------------------- invalid arguments

    @Test
    void invalidArgumentsNameTheArgumentAndAllowedValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b().maxlen(-1));
        assertTrue(e.getMessage().startsWith("maxlen") && e.getMessage().contains(">= 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b().padding("end"));
        assertTrue(e.getMessage().contains("padding") && e.getMessage().contains("'pre' or 'post'")
                && e.getMessage().contains("'end'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b().truncating("PRE"));
        assertTrue(e.getMessage().contains("truncating") && e.getMessage().contains("'pre' or 'post'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b().padding((String) null));
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PadSequences.defaults().apply((int[][]) null));
        assertTrue(e.getMessage().contains("sequences"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PadSequences.defaults().apply(new int[][] {{1}, null}));
        assertTrue(e.getMessage().contains("sequences[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PadSequences(-3, Side.PRE, Side.PRE, 0));
        assertTrue(e.getMessage().contains("maxlen"), e.getMessage());
    }

    @Test
    void toStringIsThePythonCall() {
        assertEquals("pad_sequences(maxlen=None, padding='pre', truncating='pre', value=0)", PadSequences.defaults().toString());
        assertEquals("pad_sequences(maxlen=2, padding='post', truncating='pre', value=-1)",
                b().maxlen(2).padding("post").value(-1).build().toString());
        PadSequences p = b().maxlen(2).build();
        assertEquals(p, p.toBuilder().build());
        assertEquals(Side.POST, p.toBuilder().padding("post").build().padding());
    }
}
