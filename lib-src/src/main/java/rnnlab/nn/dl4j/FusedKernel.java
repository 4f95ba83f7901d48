package rnnlab.nn.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The time-step loops of {@link FusedRecurrentImpl}: per step the recurrent GEMM (ND4J/BLAS on the
 * step's row views) and the fused gate arithmetic (plain Java loops over {@code float[]} or
 * {@code double[]} that C2 auto-vectorises). Implemented by {@link FusedKernelF} (hand-written) and
 * {@link FusedKernelD} (generated from it, see there). Package-private.
 */
interface FusedKernel {

    /**
     * Runs the recurrence over {@code w.z} (input projections plus input bias already in place) and
     * writes the outputs to {@code w.hs}. {@code bh}: GRU recurrent bias [1, 3H] (else null);
     * {@code mask}: recurrent-dropout mask [B, H] already scaled by 1/(1-p), multiplied into h<sub>t-1</sub>
     * before the recurrent GEMM at every step (else null); {@code keep}: keep
     * the gate values for {@link #backward}.
     */
    void forward(FusedBuffers w, INDArray rw, INDArray bh, INDArray mask, boolean keep);

    /**
     * Back-propagation through time from the output gradient in {@code w.e}: overwrites {@code w.z}
     * with the pre-activation gradients (and fills {@code w.zh} for the GRU's recurrent side), using
     * the values kept by the last {@code forward(.., keep = true)}.
     */
    void backward(FusedBuffers w, INDArray rw, INDArray mask);
}
