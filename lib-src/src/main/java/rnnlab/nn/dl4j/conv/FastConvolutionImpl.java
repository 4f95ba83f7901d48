package rnnlab.nn.dl4j.conv;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The computation of {@link FastConvolution}: for a supported configuration (see there) the work is
 * done by a {@link ConvKernel} (float {@link ConvKernelF}, double {@link ConvKernelD}) on zero-padded
 * "wide" planes, by direct Java loops for thin patches (LeNet's first layer) or by the patch matrix
 * and OpenBLAS products ({@link rnnlab.nn.dl4j.runtime.Blas Blas}) for longer ones (its second layer); see {@link ConvKernel}.
 * What the training forward pass computed (padded input, activations, patch matrix) is kept for the
 * backward pass; bias and ReLU are fused into the forward pass and the ReLU derivative into the
 * backward one. The first layer of a {@code MultiLayerNetwork} skips its input gradient inside
 * {@code fit}, where DL4J throws it away ({@link #inputGradientDiscarded}). Other configurations run
 * DL4J's {@link ConvolutionLayer} code unchanged.
 */
public class FastConvolutionImpl extends ConvolutionLayer {

    private ConvKernel kernel;
    /** Whether the last fast backward pass skipped dL/dx (see {@link #inputGradientDiscarded}); for tests. */
    boolean inputGradientSkipped;
    /** The input whose forward pass {@link #kernel} holds (identity), or null. */
    private INDArray keptFor;

    /** Created by {@link FastConvolution#instantiate}. */
    public FastConvolutionImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether this layer's configuration and input take the fast path. */
    boolean fast() {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer lc = layerConf();
        IActivation a = lc.getActivationFn();
        DataType dt = input == null ? null : input.dataType();
        return helper == null
                && lc.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && Arrays.stream(lc.getStride()).allMatch(s -> s == 1)
                && Arrays.stream(lc.getDilation()).allMatch(d -> d == 1)
                && (lc.getConvolutionMode() == ConvolutionMode.Truncate || lc.getConvolutionMode() == ConvolutionMode.Strict)
                && (a instanceof ActivationIdentity || a.equals(new ActivationReLU()))
                && lc.getIDropout() == null && lc.getWeightNoise() == null
                && input != null && input.rank() == 4 && maskArray == null
                && (dt == DataType.FLOAT || dt == DataType.DOUBLE)
                && getParam(ConvolutionParamInitializer.WEIGHT_KEY).dataType() == dt;
    }

    /** Whether the kernel takes the direct path for the last input shape (for tests). */
    boolean kernelIsDirect() {
        return kernel != null && kernel.direct;
    }

    /** Whether the kernel runs the Vector API loops for the last input shape (for tests). */
    boolean kernelIsVector() {
        return kernel != null && kernel.vector;
    }

    private boolean relu() {
        return !(layerConf().getActivationFn() instanceof ActivationIdentity);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            keptFor = null;
            return super.activate(training, workspaceMgr);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), outShape(), 'c');
        forward(out);
        keptFor = training ? input : null;
        return out;
    }

    private long[] outShape() {
        long[] in = input.shape();
        int[] k = layerConf().getKernelSize();
        int[] p = layerConf().getPadding();
        return new long[] {in[0], layerConf().getNOut(), in[2] + 2L * p[0] - k[0] + 1, in[3] + 2L * p[1] - k[1] + 1};
    }

    private void forward(INDArray out) {
        org.deeplearning4j.nn.conf.layers.ConvolutionLayer lc = layerConf();
        DataType dt = input.dataType();
        if (input.size(1) != lc.getNIn()) {
            throw new IllegalArgumentException("FastConvolution " + layerId() + " expects " + lc.getNIn()
                    + " input channels (dimension 1 of [batch, channels, height, width]), got shape "
                    + Arrays.toString(input.shape()));
        }
        if (kernel == null || (dt == DataType.FLOAT) != (kernel instanceof ConvKernelF)) {
            kernel = dt == DataType.FLOAT ? new ConvKernelF() : new ConvKernelD();
        }
        int[] ks = lc.getKernelSize();
        int[] pad = lc.getPadding();
        kernel.shape((int) input.size(0), (int) input.size(1), (int) input.size(2), (int) input.size(3),
                (int) lc.getNOut(), ks[0], ks[1], pad[0], pad[1]);
        kernel.forward(input, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                lc.hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : null, relu(), out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            keptFor = null;
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        if (keptFor == null || keptFor != input) {
            // no training forward pass for this input: redo it (it also keeps the output for the derivative)
            INDArray scratch = Nd4j.createUninitializedDetached(input.dataType(), outShape());
            forward(scratch);
        }
        ConvKernel kn = kernel;
        long[] es = epsilon.shape();
        if (es.length != 4 || es[0] != kn.n || es[1] != kn.oc || es[2] != kn.oh || es[3] != kn.ow) {
            throw new IllegalArgumentException("FastConvolution " + layerId() + ": output gradient has shape "
                    + Arrays.toString(es) + ", expected [" + kn.n + ", " + kn.oc + ", " + kn.oh + ", " + kn.ow + "]");
        }
        boolean hasBias = layerConf().hasBias();
        INDArray gW = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray gB = hasBias ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray epsOut;
        inputGradientSkipped = inputGradientDiscarded();
        if (inputGradientSkipped) {
            epsOut = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c'); // zeros
            kn.backward(epsilon, getParam(ConvolutionParamInitializer.WEIGHT_KEY), relu(), gW, gB, null);
        } else {
            epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
            kn.backward(epsilon, getParam(ConvolutionParamInitializer.WEIGHT_KEY), relu(), gW, gB, epsOut);
        }

        Gradient g = new DefaultGradient();
        if (hasBias) {
            g.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, gB);
        }
        g.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, gW, 'c');
        weightNoiseParams.clear();
        keptFor = null;
        return new Pair<>(g, epsOut);
    }

    private static final StackWalker WALKER = StackWalker.getInstance();
    private static final String NETWORK = "org.deeplearning4j.nn.multilayer.MultiLayerNetwork";

    /**
     * Whether dL/dx of this call is thrown away: true only for the first layer of a
     * {@code MultiLayerNetwork} during {@code computeGradientAndScore} (what {@code fit} runs), whose
     * {@code calcBackpropGradients(..., returnInputGradient = false)} replaces layer 0's input gradient
     * by null. Every other caller ({@code calculateGradients}, {@code backpropGradient}, other layers,
     * direct calls) gets the real gradient. PyTorch skips this product the same way (the input does not
     * require a gradient); for LeNet-5's first layer it is a full correlation over 64 × 36 × 36 × 6 × 25
     * values per step.
     */
    private boolean inputGradientDiscarded() {
        if (getIndex() != 0) {
            return false;
        }
        java.util.List<String> callers = WALKER.walk(s -> s.filter(f -> f.getClassName().equals(NETWORK)).limit(2)
                .map(StackWalker.StackFrame::getMethodName).toList());
        return callers.size() == 2 && callers.get(0).equals("calcBackpropGradients")
                && callers.get(1).equals("computeGradientAndScore");
    }

    @Override
    public void clear() {
        super.clear();
        keptFor = null;
    }
}
