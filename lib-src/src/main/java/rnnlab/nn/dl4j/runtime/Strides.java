package rnnlab.nn.dl4j.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The memory-layout test every fast layer makes before it reads or writes an INDArray's buffer in bulk
 * (through {@link Blas}, NIO or {@code System.arraycopy}). Public only so that the layer packages of
 * {@code rnnlab.nn.dl4j} can call it; not part of rnnlab's API.
 */
public final class Strides {

    private Strides() {
    }

    /**
     * Whether {@code a} lies in its buffer as one dense C-order block from {@code a.offset()} on.
     * (ND4J's {@code Shape.hasDefaultStridesForShape} says false for any shape with a dimension of 1,
     * e.g. LeNet's [64, 1, 32, 32] input, which made every read a {@code dup}: 0.13–0.3 ms instead of
     * 0.01 ms; and it costs 6–12 µs a call itself.)
     */
    public static boolean denseC(INDArray a) {
        long[] shape = a.shape(), stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }
}
