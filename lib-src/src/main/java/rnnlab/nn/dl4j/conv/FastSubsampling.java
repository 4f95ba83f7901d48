package rnnlab.nn.dl4j.conv;

import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.LayerWiring;

/**
 * DL4J's {@link SubsamplingLayer} (Keras {@code MaxPooling2D}, torch {@code nn.MaxPool2d}) with a
 * faster max pooling ({@link FastSubsamplingImpl}) for non-overlapping windows (kernel = stride, no
 * padding, no dilation, NCHW, float or double, no dropout). Anything else runs DL4J's own code.
 *
 * <p>Hand-written on purpose (issue 8): once {@link FastConvolution} removed the im2col cost, libnd4j's
 * {@code maxpool2d} / {@code maxpool2d_bp} ops were the next largest items of LeNet-5's training step
 * (about a fifth of the op time); a Java loop over the windows that remembers each window's arg-max
 * does the same in a fraction of that. Same semantics as DL4J's layer (the gradient goes to the first
 * maximum of a window in row-major order), checked against it in the tests. Build it with
 * {@link #of(SubsamplingLayer)}.
 */
public class FastSubsampling extends SubsamplingLayer {

    /** For Jackson. */
    public FastSubsampling() {
    }

    /** A copy of {@code conf} (as built by DL4J's builder) that instantiates the faster layer. */
    public static FastSubsampling of(SubsamplingLayer conf) {
        FastSubsampling s = new FastSubsampling();
        s.setLayerName(conf.getLayerName());
        s.setConvolutionMode(conf.getConvolutionMode());
        s.setPoolingType(conf.getPoolingType());
        s.setKernelSize(conf.getKernelSize().clone());
        s.setStride(conf.getStride().clone());
        s.setPadding(conf.getPadding().clone());
        s.setDilation(conf.getDilation().clone());
        s.setPnorm(conf.getPnorm());
        s.setEps(conf.getEps());
        s.setCudnnAllowFallback(conf.isCudnnAllowFallback());
        s.setCnn2dDataFormat(conf.getCnn2dDataFormat());
        s.setDefaultValueOverridden(conf.isDefaultValueOverridden());
        s.setAvgPoolIncludePadInDivisor(conf.isAvgPoolIncludePadInDivisor());
        s.setIDropout(conf.getIDropout());
        return s;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new FastSubsamplingImpl(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }
}
