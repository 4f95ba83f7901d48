package rnnlab.nn.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import rnnlab.nn.dl4j.recurrent.FusedRecurrent;

/** What the layer tests share: the relative-difference assertion and small layer factories. */
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
}
