/**
 * rnnlab's fully connected layers as DL4J layers, same parameters and results as DL4J's:
 * {@link rnnlab.nn.dl4j.dense.FastDense} ({@code DenseLayer}, products through OpenBLAS),
 * {@link rnnlab.nn.dl4j.dense.FastOutput} (softmax + cross-entropy {@code OutputLayer} computed in
 * Java) and {@link rnnlab.nn.dl4j.dense.ScatterEmbedding} ({@code EmbeddingSequenceLayer} with a
 * scatter-add gradient).
 *
 * <p>Depends on DL4J/ND4J and {@code rnnlab.nn.dl4j.runtime} only: nothing else of rnnlab, and not the
 * sibling layer packages {@code recurrent} and {@code conv}.
 */
package rnnlab.nn.dl4j.dense;
