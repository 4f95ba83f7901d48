package rnnlab.nn.dl4j.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class StridesTest {

    @Test
    void denseCRecognisesDenseArraysWithUnitDimensions() {
        assertTrue(Strides.denseC(Nd4j.create(DataType.FLOAT, 64, 1, 32, 32)), "[64, 1, 32, 32]");
        assertTrue(Strides.denseC(Nd4j.create(DataType.FLOAT, 6, 1, 5, 5)), "[6, 1, 5, 5]");
        INDArray m = Nd4j.create(DataType.FLOAT, 4, 6, 5);
        assertTrue(Strides.denseC(m.get(NDArrayIndex.point(2))), "a row block of a C-order array");
        assertFalse(Strides.denseC(m.permute(0, 2, 1)), "a permuted view");
        assertFalse(Strides.denseC(m.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3), NDArrayIndex.all())), "a strided slice");
        assertFalse(Strides.denseC(Nd4j.create(DataType.FLOAT, new long[] {3, 4}, 'f')), "F order");
    }
}
