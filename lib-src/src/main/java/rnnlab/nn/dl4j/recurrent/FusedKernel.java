package rnnlab.nn.dl4j.recurrent;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole-sequence computation of one direction of {@link FusedRecurrentImpl} on its
 * {@link FusedBuffers}: the input projection and the weight / input gradients as single products over
 * all time steps, and the time-step loops (per step the recurrent product and the fused gate arithmetic
 * in plain Java loops over {@code float[]} or {@code double[]} that C2 auto-vectorises). Every product
 * goes straight to OpenBLAS ({@link rnnlab.nn.dl4j.runtime.Blas Blas}) and nothing here makes an ND4J op, so a direction can run on
 * any thread (see {@link FusedBidirectionalLayer}). Implemented by {@link FusedKernelF} (hand-written)
 * and {@link FusedKernelD} (generated from it, see there). Package-private.
 */
interface FusedKernel {

    /** Z = X W for all time steps (the input bias is added per step by {@link #forward}). */
    void project(FusedBuffers w);

    /**
     * Runs the recurrence over {@code w.z} (input projections in place) and writes the outputs to
     * {@code w.hs}. {@code mask}: recurrent-dropout mask [B, H] already scaled by 1/(1-p), multiplied
     * into h<sub>t-1</sub> before the recurrent GEMM at every step (else null); {@code keep}: keep the
     * gate values for {@link #backward}.
     */
    void forward(FusedBuffers w, INDArray mask, boolean keep);

    /**
     * Back-propagation through time from the output gradient in {@code w.e}: overwrites {@code w.z}
     * with the pre-activation gradients (and fills {@code w.zh} for the GRU's recurrent side) and
     * {@code w.gb} with the bias gradient, using the values kept by the last {@code forward(.., keep = true)}.
     */
    void backward(FusedBuffers w, INDArray mask);

    /** After {@link #backward}: the input- and recurrent-weight gradients into {@code w.gw} and {@code w.grw}. */
    void weightGradients(FusedBuffers w, boolean masked);

    /**
     * After {@link #backward}: rows [rowFrom, rowTo) of the time-major input gradient dZ Wᵀ into
     * {@code out} [N, nIn] (offset-0 'c' buffer), added to what is there if {@code accumulate}.
     */
    void inputGradient(FusedBuffers w, INDArray out, int rowFrom, int rowTo, boolean accumulate);
}
