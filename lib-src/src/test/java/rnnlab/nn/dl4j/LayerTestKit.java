package rnnlab.nn.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import rnnlab.nn.dl4j.recurrent.FusedRecurrent;

/** What the layer tests share: the relative-difference assertion, small layer factories and the generated-source check. */
public final class LayerTestKit {

    private LayerTestKit() {
    }

    /** Same shape, and max |actual - expected| / max(max |expected|, 1e-3) ≤ {@code tol}. */
    public static void assertRel(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-3);
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff / scale <= tol, what + ": max |difference| " + diff + " relative to " + scale);
    }

    /** An MSE sequence output layer of {@code n} units with identity activation. */
    public static RnnOutputLayer seqOut(int n) {
        return new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).nOut(n).build();
    }

    /** A tanh {@link FusedRecurrent} of {@code h} units with the given recurrent dropout and input dropout (or none). */
    public static FusedRecurrent fused(FusedRecurrent.Cell c, int h, double recurrentDropout, IDropout inputDropout) {
        FusedRecurrent l = new FusedRecurrent.Builder(c).nOut(h).activation(Activation.TANH)
                .recurrentDropout(recurrentDropout).build();
        if (inputDropout != null) {
            l.setIDropout(inputDropout);
        }
        return l;
    }

    /**
     * The double twin of a float source in {@code src/main/java/rnnlab/nn/dl4j/<subPackage>} ({@code doubleClass}.java) is
     * {@code header} followed by {@code floatClass}.java with float → double, Float → Double, FLOAT → DOUBLE
     * and the class name changed; with {@code -Drnnlab.regenerate=true} an out-of-date twin is rewritten first.
     */
    public static void assertDoubleTwinGenerated(String subPackage, String floatClass, String doubleClass, String header) throws IOException {
        Path dir = Path.of("src/main/java/rnnlab/nn/dl4j", subPackage);
        String f = Files.readString(dir.resolve(floatClass + ".java"));
        String expected = header + f.replace("float", "double").replace("Float", "Double").replace("FLOAT", "DOUBLE")
                .replace(floatClass, doubleClass);
        Path twin = dir.resolve(doubleClass + ".java");
        String actual = Files.readString(twin);
        if (!expected.equals(actual) && Boolean.getBoolean("rnnlab.regenerate")) {
            Files.writeString(twin, expected);
            actual = expected;
        }
        assertEquals(expected, actual, doubleClass + ".java is out of date: rerun this test with -Drnnlab.regenerate=true");
    }
}
