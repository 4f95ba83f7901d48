/**
 * rnnlab's recurrent layers as DL4J layers: {@link rnnlab.nn.dl4j.recurrent.FusedRecurrent} (SimpleRNN,
 * LSTM and GRU in one fused time loop, PyTorch's CPU design), {@link rnnlab.nn.dl4j.recurrent.GruLayer}
 * (the reference GRU DL4J lacks, Keras's {@code reset_after=True}),
 * {@link rnnlab.nn.dl4j.recurrent.FusedBidirectional} (both directions on two threads),
 * {@link rnnlab.nn.dl4j.recurrent.BidirectionalLastStep} and Keras's per-sequence input dropout
 * ({@link rnnlab.nn.dl4j.recurrent.TimeSharedDropout}). The double kernel {@code FusedKernelD} is
 * generated at build time from {@code FusedKernelF.java} (lib-src/pom.xml, generate-sources).
 *
 * <p>Depends on DL4J/ND4J and {@code rnnlab.nn.dl4j.runtime} only: nothing else of rnnlab, and not the
 * sibling layer packages {@code conv} and {@code dense}.
 */
package rnnlab.nn.dl4j.recurrent;
