/**
 * What every rnnlab DL4J layer runs on: direct OpenBLAS calls ({@link rnnlab.nn.dl4j.runtime.Blas}),
 * the kernels' helper threads ({@link rnnlab.nn.dl4j.runtime.Parallel}), the memory-layout test
 * ({@link rnnlab.nn.dl4j.runtime.Strides}), the layer wiring DL4J's own layers repeat
 * ({@link rnnlab.nn.dl4j.runtime.LayerWiring}), PyTorch's default initialisation
 * ({@link rnnlab.nn.dl4j.runtime.TorchUniformInit}) and Adam in one pass over the network's flat
 * gradient ({@link rnnlab.nn.dl4j.runtime.FusedUpdater}).
 *
 * <p>The bottom of {@code rnnlab.nn.dl4j}: depends on DL4J/ND4J/JavaCPP only, on nothing of rnnlab
 * (not on the layer packages {@code recurrent}, {@code conv}, {@code dense} above it).
 */
package rnnlab.nn.dl4j.runtime;
