/**
 * rnnlab's convolution and pooling layers as DL4J layers, same parameters and results as DL4J's
 * {@code ConvolutionLayer} / {@code SubsamplingLayer}: {@link rnnlab.nn.dl4j.conv.FastConvolution}
 * (stride 1, NCHW; wide-plane Java loops, Vector API loops when the JVM has the module, or OpenBLAS
 * GEMM) and {@link rnnlab.nn.dl4j.conv.FastSubsampling} (max pooling). The double twins
 * {@code ConvKernelD} and {@code VectorConvDouble} are generated at build time from
 * {@code ConvKernelF.java} and {@code VectorConvFloat.java} (lib-src/pom.xml, generate-sources).
 *
 * <p>Depends on DL4J/ND4J and {@code rnnlab.nn.dl4j.runtime} only: nothing else of rnnlab, and not the
 * sibling layer packages {@code recurrent} and {@code dense}.
 */
package rnnlab.nn.dl4j.conv;
