package rnnlab.nn.dl4j.dense;

import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.dl4j.runtime.Strides;

/**
 * Copies between INDArrays and the {@code double[]} working arrays of the layers that compute in double
 * ({@link FastDenseImpl}, {@link FastOutputImpl}): dense C-order float or double arrays in bulk (float
 * through one reusable staging array), anything else through a C-order copy. Not thread-safe (one per
 * layer).
 */
final class DoubleStaging {

    private float[] stage = new float[0];

    /** The first {@code count} values of {@code a} (C order) into {@code dst}. */
    void read(INDArray a, double[] dst, int count) {
        if (!Strides.denseC(a)) {
            a = a.dup('c');
        }
        if (a.dataType() == DataType.FLOAT) {
            if (stage.length < count) {
                stage = new float[count];
            }
            a.data().asNioFloat().get((int) a.offset(), stage, 0, count);
            for (int i = 0; i < count; i++) {
                dst[i] = stage[i];
            }
        } else if (a.dataType() == DataType.DOUBLE) {
            a.data().asNioDouble().get((int) a.offset(), dst, 0, count);
        } else {
            read(a.castTo(DataType.DOUBLE), dst, count);
        }
    }

    /** {@code src[0, count)} into {@code a} (C order), in place. */
    void write(double[] src, int count, INDArray a) {
        if (!Strides.denseC(a)) {
            a.assign(Nd4j.create(Arrays.copyOf(src, count), a.shape(), 'c').castTo(a.dataType()));
        } else if (a.dataType() == DataType.FLOAT) {
            if (stage.length < count) {
                stage = new float[count];
            }
            for (int i = 0; i < count; i++) {
                stage[i] = (float) src[i];
            }
            a.data().asNioFloat().put((int) a.offset(), stage, 0, count);
        } else {
            a.data().asNioDouble().put((int) a.offset(), src, 0, count);
        }
    }
}
