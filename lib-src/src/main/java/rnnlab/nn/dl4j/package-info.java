/**
 * rnnlab's own DL4J layers, grouped by concern in sub-packages: {@code recurrent} (fused SimpleRNN/LSTM/GRU,
 * bidirectional), {@code conv} (convolution, pooling), {@code dense} (dense, softmax output, embedding),
 * each built on {@code runtime} (BLAS, threads, layer wiring, initialiser, fused Adam) at the bottom. The
 * layer packages depend on {@code runtime} only, never on one another. This package itself holds only
 * {@link rnnlab.nn.dl4j.FormerNames}, which reads model files saved before the split.
 *
 * <p>Depends on DL4J/ND4J and its sub-packages only: nothing of rnnlab above it ({@code rnnlab.train},
 * {@code rnnlab.nn}, …).
 */
package rnnlab.nn.dl4j;
