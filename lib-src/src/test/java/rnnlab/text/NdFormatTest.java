package rnnlab.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NdFormatTest {

    static String resource(String name) throws IOException {
        try (InputStream in = NdFormatTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void report003Arrays() {
        assertEquals("[[1 0 0]\n [2 3 0]\n [4 5 6]]", NdFormat.numpy(new int[][] {{1, 0, 0}, {2, 3, 0}, {4, 5, 6}}));
        assertEquals("[[3 9]\n [5 6]\n [7 8]]", NdFormat.numpy(new int[][] {{3, 9}, {5, 6}, {7, 8}}));
        assertEquals("[[1], [2, 3], [4, 5, 6]]", NdFormat.pyList(new int[][] {{1}, {2, 3}, {4, 5, 6}}));
        assertEquals("[[1, 2, 3, 9], [4, 5, 6], [7, 8]]", NdFormat.pyList(new int[][] {{1, 2, 3, 9}, {4, 5, 6}, {7, 8}}));
        assertEquals("array([[1, 0, 0],\n       [2, 3, 0],\n       [4, 5, 6]], dtype=int32)",
                NdFormat.repr(new int[][] {{1, 0, 0}, {2, 3, 0}, {4, 5, 6}}));
    }

    /** Report 002 prints IMDB review 0 after pad_sequences(maxlen=500): 14 numbers per line, width 4. */
    @Test
    void report002PaddedReviewPrintout() throws IOException {
        String list = resource("report002_review0_list.txt").strip();
        int[] review = Arrays.stream(list.substring(1, list.length() - 1).split(", ")).mapToInt(Integer::parseInt).toArray();
        int[][] padded = PadSequences.builder().maxlen(500).build().apply(new int[][] {review});
        assertEquals(list, NdFormat.pyList(review));
        assertEquals(resource("report002_review0_padded.txt").stripTrailing(), NdFormat.numpy(padded[0]));
    }

    /**
     * Report 003 prints {@code embedding.get_weights()} of a 100×32 float32 matrix (summarised). The
     * edge values are the report's; the hidden middle does not influence numpy's layout.
     */
    @Test
    void report003EmbeddingWeightsPrintout() throws IOException {
        float[][] edges = {
                {-0.02878962f, -0.03292129f, 0.04554972f, -0.0058917f, 0.01143857f, 0.0233766f},
                {0.01397041f, -0.01258515f, 0.00929421f, -0.04004631f, 0.0135694f, 0.0277424f},
                {0.04916861f, -0.04198183f, -0.04687737f, -0.03828448f, 0.02139128f, 0.02899126f},
                {-0.0321876f, 0.0293329f, 0.02029986f, -0.00899869f, -0.00628114f, -0.02092808f},
                {-0.0257414f, 0.03492158f, -0.00921569f, -0.0181116f, -0.03592857f, 0.02451548f},
                {0.04689746f, 0.02985245f, -0.04975928f, -0.02757919f, -0.01401014f, -0.03509605f}};
        int[] rows = {0, 1, 2, 97, 98, 99};
        int[] cols = {0, 1, 2, 29, 30, 31};
        float[][] w = new float[100][32];
        for (float[] r : w) {
            Arrays.fill(r, 0.0123f);
        }
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                w[rows[i]][cols[j]] = edges[i][j];
            }
        }
        // print("embeddings矩阵=\n", embedding.get_weights()) -> " [" + repr(w) + "]"
        assertEquals(resource("report003_embeddings.txt").stripTrailing(), " [" + NdFormat.repr(w) + "]");
        INDArray nd = Nd4j.createFromArray(w);
        assertEquals(NdFormat.repr(w), NdFormat.repr(nd));
    }

    /** Cases printed by numpy 1.24 itself (gen_numpy_fixtures.py, /usr/bin/python3). */
    @TestFactory
    List<DynamicTest> numpyFixtures() throws IOException {
        String[] lines = resource("numpy_fixtures.txt").split("\n", -1);
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < lines.length; k++) {
            if (!lines[k].startsWith("#case ")) {
                continue;
            }
            String[] head = lines[k].split(" ");
            String name = head[1];
            String dtype = head[2];
            long[] shape = Arrays.stream(head).skip(3).mapToLong(Long::parseLong).toArray();
            String[] values = lines[k + 1].isEmpty() ? new String[0] : lines[k + 1].split(" ");
            int s = k + 3;
            int r = s;
            while (!lines[r].equals("#repr")) {
                r++;
            }
            int e = r;
            while (!lines[e].equals("#end")) {
                e++;
            }
            String expStr = String.join("\n", Arrays.asList(lines).subList(s, r));
            String expRepr = String.join("\n", Arrays.asList(lines).subList(r + 1, e));
            INDArray a = build(dtype, shape, values);
            tests.add(DynamicTest.dynamicTest(name + " str", () -> assertEquals(expStr, NdFormat.numpy(a))));
            tests.add(DynamicTest.dynamicTest(name + " repr", () -> assertEquals(expRepr, NdFormat.repr(a))));
            if (shape.length == 2 && dtype.equals("int32")) {
                int[][] arr = a.toIntMatrix();
                tests.add(DynamicTest.dynamicTest(name + " int[][]", () -> {
                    assertEquals(expStr, NdFormat.numpy(arr));
                    assertEquals(expRepr, NdFormat.repr(arr));
                }));
            }
            if (shape.length == 2 && dtype.equals("float32")) {
                float[][] arr = a.toFloatMatrix();
                tests.add(DynamicTest.dynamicTest(name + " float[][]", () -> {
                    assertEquals(expStr, NdFormat.numpy(arr));
                    assertEquals(expRepr, NdFormat.repr(arr));
                }));
            }
            if (shape.length == 2 && dtype.equals("float64")) {
                double[][] arr = a.toDoubleMatrix();
                tests.add(DynamicTest.dynamicTest(name + " double[][]", () -> {
                    assertEquals(expStr, NdFormat.numpy(arr));
                    assertEquals(expRepr, NdFormat.repr(arr));
                }));
            }
            if (shape.length == 1 && dtype.equals("int32")) {
                int[] arr = a.toIntVector();
                tests.add(DynamicTest.dynamicTest(name + " int[]", () -> assertEquals(expStr, NdFormat.numpy(arr))));
            }
            k = e;
        }
        assertFalse(tests.isEmpty());
        return tests;
    }

    private static INDArray build(String dtype, long[] shape, String[] values) {
        switch (dtype) {
            case "int32": {
                int[] v = Arrays.stream(values).mapToInt(Integer::parseInt).toArray();
                return Nd4j.createFromArray(v).reshape(shape);
            }
            case "float32": {
                float[] v = new float[values.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) parse(values[i]);
                }
                return Nd4j.createFromArray(v).reshape(shape);
            }
            case "float64": {
                double[] v = Arrays.stream(values).mapToDouble(NdFormatTest::parse).toArray();
                return Nd4j.createFromArray(v).reshape(shape);
            }
            default:
                throw new IllegalArgumentException(dtype);
        }
    }

    private static double parse(String s) {
        return switch (s) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    @Test
    void emptyAndEdgeShapes() {
        assertEquals("[]", NdFormat.numpy(new int[][] {{}, {}}));
        assertEquals("array([], shape=(2, 0), dtype=int32)", NdFormat.repr(new int[][] {{}, {}}));
        assertEquals("[]", NdFormat.numpy(new int[0]));
        assertEquals("array([], dtype=float32)", NdFormat.repr(Nd4j.create(DataType.FLOAT, 0)));
        assertEquals("[[5]]", NdFormat.numpy(new int[][] {{5}}));
    }

    @Test
    void raggedAndNullInputsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NdFormat.numpy(new int[][] {{1}, {2, 3}}));
        assertEquals(true, e.getMessage().contains("ragged") && e.getMessage().contains("pyList"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NdFormat.numpy((int[][]) null));
        assertThrows(IllegalArgumentException.class, () -> NdFormat.pyList(new int[][] {null}));
    }
}
