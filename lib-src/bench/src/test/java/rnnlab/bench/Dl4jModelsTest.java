package rnnlab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.dl4j.conv.FastConvolutionImpl;
import rnnlab.nn.dl4j.dense.FastDenseImpl;
import rnnlab.nn.dl4j.conv.FastSubsamplingImpl;

/**
 * The benchmark's LeNet-5 built from rnnlab's layers ({@link Dl4jModels.Layers#FUSED}) is the model it
 * claims to be: same parameters as DL4J's own layers ({@link Dl4jModels.Layers#REFERENCE}) and the same
 * training, so a timing row compares like with like.
 */
class Dl4jModelsTest {

    private static MultiLayerNetwork lenet5(Dl4jModels.Layers layers) {
        return Dl4jModels.lenet5(Dl4jModels.Engine.DEFAULT, layers);
    }

    @Test
    void leNet5BuiltBothWaysTrainsIdentically() {
        MultiLayerNetwork fast = lenet5(Dl4jModels.Layers.FUSED);
        MultiLayerNetwork ref = lenet5(Dl4jModels.Layers.REFERENCE);
        assertEquals(82_826, fast.numParams());
        assertEquals(ref.params(), fast.params(), "same seed, same initial parameters");
        assertInstanceOf(FastConvolutionImpl.class, fast.getLayer(0));
        assertInstanceOf(FastConvolutionImpl.class, fast.getLayer(2));
        assertInstanceOf(FastSubsamplingImpl.class, fast.getLayer(1));
        assertInstanceOf(FastSubsamplingImpl.class, fast.getLayer(3));
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 32, 32);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 10);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i, 1f);
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < 3; i++) {
            fast.fit(ds);
            ref.fit(ds);
        }
        assertRel(ref.params(), fast.params(), 1e-4, "parameters after three Adam steps");
        assertRel(ref.output(x), fast.output(x), 1e-4, "predictions after three Adam steps");
    }

    @Test
    void leNet5DenseLayersAreFastDenseOnlyWhenFused() {
        MultiLayerNetwork fused = lenet5(Dl4jModels.Layers.FUSED);
        MultiLayerNetwork ref = lenet5(Dl4jModels.Layers.REFERENCE);
        for (int i : new int[] {4, 5}) {
            assertInstanceOf(FastDenseImpl.class, fused.getLayer(i), "LeNet layer " + i);
            assertEquals(org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer.class, ref.getLayer(i).getClass(), "reference layer " + i);
        }
    }

    /** max |expected - actual| relative to max |expected| (at least 1e-3) is at most {@code tol}. */
    private static void assertRel(INDArray expected, INDArray actual, double tol, String what) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        double scale = Math.max(expected.amaxNumber().doubleValue(), 1e-3);
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff / scale <= tol, what + ": max |difference| " + diff + " relative to " + scale);
    }
}
