package rnnlab.nn.dl4j;

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
 * The computation of {@link FastConvolution}: for a supported configuration (see there) the forward
 * pass is a Java im2col into a transposed patch matrix {@code col} [c·kh·kw, n·oh·ow] (off-heap,
 * reused), ONE GEMM {@code Z}<sup>T</sup>{@code  = col}<sup>T</sup>{@code W}<sup>T</sup> [n·oh·ow, oc], and bias + ReLU/identity fused into the copy
 * to NCHW; the backward pass is the activation derivative fused into the reverse copy
 * ({@code Δ} [oc, n·oh·ow]), the bias gradient as its row sums, ONE GEMM each for the weight
 * gradient ({@code Δ col}<sup>T</sup>, written straight into the gradient view) and the patch
 * gradients ({@code W}<sup>T</sup>{@code Δ}), and a Java col2im scatter-add. The patch matrix of the
 * training forward pass is kept for the backward pass (no recomputation). Other configurations run
 * DL4J's {@link ConvolutionLayer} code unchanged. The GEMMs call OpenBLAS directly ({@link Blas}) on
 * the layer's own off-heap buffers: for LeNet-5's shapes that took the three products of both layers
 * from 14 to 7.4 ms against {@code Nd4j.gemm} (one run, measured alone).
 */
public class FastConvolutionImpl extends ConvolutionLayer {

    private ConvKernel kernel;
    private INDArray colBuf, zTBuf, deltaBuf, dcolBuf, wBuf, gwBuf;
    /** The input whose patches {@link #colBuf} holds (identity), or null. */
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
            colBuf = null;
        }
        int[] ks = lc.getKernelSize();
        int[] pad = lc.getPadding();
        kernel.shape((int) input.size(0), (int) input.size(1), (int) input.size(2), (int) input.size(3),
                (int) lc.getNOut(), ks[0], ks[1], pad[0], pad[1]);
        ConvKernel kn = kernel;
        if (colBuf == null || colBuf.size(0) != kn.k || colBuf.size(1) != kn.r || colBuf.dataType() != dt) {
            colBuf = Nd4j.createUninitializedDetached(dt, kn.k, kn.r);
            dcolBuf = Nd4j.createUninitializedDetached(dt, kn.k, kn.r);
            zTBuf = Nd4j.createUninitializedDetached(dt, kn.r, kn.oc);
            wBuf = Nd4j.createUninitializedDetached(dt, kn.oc, kn.k);
            gwBuf = Nd4j.createUninitializedDetached(dt, kn.oc, kn.k);
            deltaBuf = Nd4j.createUninitializedDetached(dt, kn.oc, kn.r);
        }
        INDArray wts = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray bias = lc.hasBias() ? getParam(ConvolutionParamInitializer.BIAS_KEY) : null;
        kn.im2col(input, colBuf);
        wBuf.assign(wts.reshape('c', kn.oc, kn.k));
        Blas.gemm(true, true, kn.r, kn.oc, kn.k, colBuf, wBuf, 0, zTBuf);
        kn.activate(zTBuf, bias, relu(), out);
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
        kn.delta(epsilon, relu(), deltaBuf, gB);
        Blas.gemm(false, true, kn.oc, kn.k, kn.r, deltaBuf, colBuf, 0, gwBuf);
        gW.assign(gwBuf.reshape(gW.shape()));
        wBuf.assign(getParam(ConvolutionParamInitializer.WEIGHT_KEY).reshape('c', kn.oc, kn.k));
        Blas.gemm(true, false, kn.k, kn.r, kn.oc, wBuf, deltaBuf, 0, dcolBuf);
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        kn.col2im(dcolBuf, epsOut);

        Gradient g = new DefaultGradient();
        if (hasBias) {
            g.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, gB);
        }
        g.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, gW, 'c');
        weightNoiseParams.clear();
        keptFor = null;
        return new Pair<>(g, epsOut);
    }

    @Override
    public void clear() {
        super.clear();
        keptFor = null;
    }
}
