package rnnlab.nn.dl4j.conv;

import java.util.Collection;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.LayerWiring;

/**
 * DL4J's {@link ConvolutionLayer} (Keras {@code Conv2D}, torch {@code nn.Conv2d}) with a faster
 * forward and backward pass ({@link FastConvolutionImpl}) for the configurations the lab uses: NCHW,
 * stride 1, no dilation, explicit padding ({@code Truncate}/{@code Strict} mode), ReLU or identity,
 * float or double, no dropout or weight noise on the layer. Anything else runs DL4J's own code.
 *
 * <p>Why it exists (issue 8, measured): in DL4J 1.0.0-M2.1 with the {@code avx2} nd4j-native binary
 * the layer's {@code im2col} op writes into a permuted 6-d view and took 30–37 ms per call for
 * LeNet-5's shapes (batch 64), about 60 % of the whole LeNet-5 training step, where a Java copy of
 * the same patches takes under 1 ms; libnd4j's own {@code conv2d}/{@code conv2d_bp} ops took 24/103 ms
 * (conv 1) without oneDNN. The oneDNN helpers would need the 95 MB {@code -onednn} binary for every
 * model. So this layer is <b>hand-written on purpose</b> ({@link ConvKernel}): thin patches (LeNet's
 * first layer) are convolved by direct, vectorisable Java loops; longer ones go through a patch matrix
 * and OpenBLAS products. Same configuration, parameters (layout
 * {@code [out, in, kH, kW]} and bias), initialisation and results as DL4J's layer, checked against it
 * and by DL4J's numerical gradient check in the tests. Build it with {@link #of(ConvolutionLayer)}.
 */
public class FastConvolution extends ConvolutionLayer {

    /** For Jackson. */
    public FastConvolution() {
    }

    /** A copy of {@code conf} (as built by DL4J's builder) that instantiates the faster layer. */
    public static FastConvolution of(ConvolutionLayer conf) {
        FastConvolution c = new FastConvolution();
        LayerWiring.copyBaseSettings(conf, c);
        c.setNIn(conf.getNIn());
        c.setNOut(conf.getNOut());
        c.setHasBias(conf.hasBias());
        c.setConvolutionMode(conf.getConvolutionMode());
        c.setDilation(conf.getDilation().clone());
        c.setKernelSize(conf.getKernelSize().clone());
        c.setStride(conf.getStride().clone());
        c.setPadding(conf.getPadding().clone());
        c.setCudnnAllowFallback(conf.isCudnnAllowFallback());
        c.setCnn2dDataFormat(conf.getCnn2dDataFormat());
        c.setCudnnAlgoMode(conf.getCudnnAlgoMode());
        c.setCudnnFwdAlgo(conf.getCudnnFwdAlgo());
        c.setCudnnBwdFilterAlgo(conf.getCudnnBwdFilterAlgo());
        c.setCudnnBwdDataAlgo(conf.getCudnnBwdDataAlgo());
        return c;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FastConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new FastConvolutionImpl(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }
}
