package rnnlab.charrnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Parity with PyTorch 1.13: fixtures from src/test/python/make_charrnn_fixtures.py hold torch's
 * initial weights, three tutorial training iterations (log-probabilities, loss, gradients) and the
 * final weights, for each of the three networks.
 */
class TorchParityTest {

    private static final double TOL = 1e-5;

    static JsonNode fixture(CharRnnModel.Cell cell) throws IOException {
        String res = "/rnnlab/charrnn/" + cell.name().toLowerCase() + ".json";
        try (InputStream in = TorchParityTest.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + res + "; run make_charrnn_fixtures.py");
            }
            return new ObjectMapper().readTree(in);
        }
    }

    static Map<String, Tensor> tensors(JsonNode node) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.get(0).isArray()) {
                int rows = v.size();
                int cols = v.get(0).size();
                float[] d = new float[rows * cols];
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        d[r * cols + c] = (float) v.get(r).get(c).asDouble();
                    }
                }
                out.put(e.getKey(), new Tensor(new int[] {rows, cols}, d));
            } else {
                out.put(e.getKey(), new Tensor(new int[] {v.size()}, floats(v)));
            }
        }
        return out;
    }

    static float[] floats(JsonNode v) {
        float[] d = new float[v.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) v.get(i).asDouble();
        }
        return d;
    }

    static void assertClose(Map<String, Tensor> expected, Map<String, Tensor> actual, String what) {
        assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), what + ": parameter names/order");
        for (String k : expected.keySet()) {
            assertArrayEquals(expected.get(k).shape(), actual.get(k).shape(), what + " " + k + " shape");
            float[] e = expected.get(k).data();
            float[] a = actual.get(k).data();
            for (int i = 0; i < e.length; i++) {
                double tol = TOL * Math.max(1.0, Math.abs(e[i]));
                assertEquals(e[i], a[i], tol, what + " " + k + "[" + i + "]");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(CharRnnModel.Cell.class)
    void forwardLossGradientsAndSgdMatchTorch(CharRnnModel.Cell cell) throws IOException {
        JsonNode f = fixture(cell);
        CharRnnModel m = CharRnnModel.create(cell, f.get("nLetters").asInt(), f.get("hidden").asInt(),
                f.get("nCategories").asInt(), 99);
        m.loadStateDict(tensors(f.get("initial")));
        assertClose(tensors(f.get("initial")), m.stateDict(), cell + " initial round trip");
        float lr = (float) f.get("lr").asDouble();
        int step = 0;
        for (JsonNode s : f.get("steps")) {
            int[] letters = new int[s.get("letters").size()];
            for (int i = 0; i < letters.length; i++) {
                letters[i] = s.get("letters").get(i).asInt();
            }
            float[] lp = m.forward(letters);
            float[] expLp = floats(s.get("logProbs"));
            for (int k = 0; k < lp.length; k++) {
                assertEquals(expLp[k], lp[k], TOL, cell + " step " + step + " logProbs[" + k + "]");
            }
            float loss = m.trainStep(letters, s.get("category").asInt(), lr);
            assertEquals(s.get("loss").asDouble(), loss, TOL, cell + " step " + step + " loss");
            assertClose(tensors(s.get("grads")), m.gradients(), cell + " step " + step + " grads");
            step++;
        }
        assertTrue(step >= 3);
        assertClose(tensors(f.get("final")), m.stateDict(), cell + " weights after 3 SGD steps");
    }

    @ParameterizedTest
    @EnumSource(CharRnnModel.Cell.class)
    void moduleReprMatchesTorchPrint(CharRnnModel.Cell cell) throws IOException {
        JsonNode f = fixture(cell);
        assertEquals(f.get("reprFull").asText(), CharRnnModel.create(cell, 57, 128, 18, 0).toString());
        assertEquals(f.get("repr").asText(), CharRnnModel.create(cell, f.get("nLetters").asInt(),
                f.get("hidden").asInt(), f.get("nCategories").asInt(), 0).toString());
    }

    @ParameterizedTest
    @EnumSource(CharRnnModel.Cell.class)
    void parameterCountMatchesTorchNumel(CharRnnModel.Cell cell) throws IOException {
        JsonNode f = fixture(cell);
        int numel = 0;
        for (Tensor t : tensors(f.get("initial")).values()) {
            numel += t.data().length;
        }
        CharRnnModel m = CharRnnModel.create(cell, f.get("nLetters").asInt(), f.get("hidden").asInt(),
                f.get("nCategories").asInt(), 0);
        assertEquals(numel, m.parameterCount());
        List<Integer> full = List.of(185 * 128 + 128 + 185 * 18 + 18, 4 * (185 * 128 + 128) + 128 * 18 + 18,
                3 * (185 * 128 + 128) + 128 * 18 + 18);
        assertEquals(full.get(cell.ordinal()), CharRnnModel.create(cell, 57, 128, 18, 0).parameterCount());
    }
}
