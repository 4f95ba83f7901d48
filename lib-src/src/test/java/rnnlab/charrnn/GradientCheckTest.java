package rnnlab.charrnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Finite-difference gradient check of the hand-written backward pass, for every parameter of a small
 * network of each kind. The cells compute in float, so this is a float-appropriate check: central
 * differences with step 1e-2 (truncation error ~1e-5, rounding ~5e-5) against
 * |numeric - analytic| <= 3e-4 + 1e-2 |analytic|; torch parity ({@link TorchParityTest}) checks to 1e-5.
 */
class GradientCheckTest {

    @ParameterizedTest
    @EnumSource(CharRnnModel.Cell.class)
    void analyticGradientsMatchFiniteDifferences(CharRnnModel.Cell cell) {
        CharRnnModel m = CharRnnModel.create(cell, 6, 7, 4, 42);
        // larger weights than the default init so that the gates are away from their linear regime
        Map<String, Tensor> state = m.stateDict();
        Random rnd = new Random(7);
        for (Tensor t : state.values()) {
            for (int i = 0; i < t.data().length; i++) {
                t.data()[i] = (float) (rnd.nextGaussian() * 0.5);
            }
        }
        m.loadStateDict(state);
        int[] name = {2, 5, 0, 5, 3, 1};
        int category = 3;
        m.computeGradients(name, category);
        Map<String, Tensor> grads = m.gradients();
        double eps = 1e-2;
        int checked = 0;
        double worst = 0;
        for (String key : state.keySet()) {
            float[] p = state.get(key).data();
            float[] g = grads.get(key).data();
            for (int i = 0; i < p.length; i++) {
                float orig = p[i];
                p[i] = (float) (orig + eps);
                m.loadStateDict(state);
                double plus = loss(m, name, category);
                p[i] = (float) (orig - eps);
                m.loadStateDict(state);
                double minus = loss(m, name, category);
                p[i] = orig;
                double numeric = (plus - minus) / (2 * eps);
                double err = Math.abs(numeric - g[i]);
                worst = Math.max(worst, err);
                assertTrue(err <= 3e-4 + 1e-2 * Math.abs(g[i]),
                        cell + " " + key + "[" + i + "]: analytic " + g[i] + " vs numeric " + numeric);
                checked++;
            }
        }
        m.loadStateDict(state);
        assertTrue(checked == m.parameterCount(), "checked every parameter");
        assertTrue(worst > 0, "the check compared non-trivial values");
    }

    private static double loss(CharRnnModel m, int[] name, int category) {
        return -m.forward(name)[category];
    }
}
