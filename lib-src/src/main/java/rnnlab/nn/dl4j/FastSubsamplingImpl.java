package rnnlab.nn.dl4j;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * The computation of {@link FastSubsampling}: max pooling over non-overlapping k×k windows in Java,
 * remembering each window's arg-max (the first maximum in row-major order) during training so the
 * backward pass is a scatter of the output gradient to those positions. Other configurations run
 * DL4J's {@link SubsamplingLayer} code unchanged.
 */
public class FastSubsamplingImpl extends SubsamplingLayer {

    private int[] argmax = new int[0];
    /** The input whose arg-max positions {@link #argmax} holds (identity), or null. */
    private INDArray keptFor;
    private long[] keptShape;

    /** Created by {@link FastSubsampling#instantiate}. */
    public FastSubsamplingImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    boolean fast() {
        org.deeplearning4j.nn.conf.layers.SubsamplingLayer lc = layerConf();
        int[] k = lc.getKernelSize();
        DataType dt = input == null ? null : input.dataType();
        return helper == null && lc.getPoolingType() == PoolingType.MAX
                && lc.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && Arrays.equals(k, lc.getStride()) && k.length == 2 && k[0] >= 1 && k[1] >= 1
                && Arrays.stream(lc.getPadding()).allMatch(p -> p == 0)
                && Arrays.stream(lc.getDilation()).allMatch(d -> d == 1)
                && (lc.getConvolutionMode() == ConvolutionMode.Truncate || lc.getConvolutionMode() == ConvolutionMode.Strict)
                && lc.getIDropout() == null
                && input != null && input.rank() == 4 && maskArray == null
                && input.size(2) >= k[0] && input.size(3) >= k[1]
                && (dt == DataType.FLOAT || dt == DataType.DOUBLE)
                && input.length() < Integer.MAX_VALUE;
    }

    private static INDArray contiguous(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) ? a : a.dup('c');
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            keptFor = null;
            return super.activate(training, workspaceMgr);
        }
        int[] k = layerConf().getKernelSize();
        long[] s = input.shape();
        int n = (int) s[0], c = (int) s[1], h = (int) s[2], w = (int) s[3], kh = k[0], kw = k[1];
        int oh = h / kh, ow = w / kw;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), new long[] {n, c, oh, ow}, 'c');
        int nOut = n * c * oh * ow;
        if (argmax.length != nOut) {
            argmax = new int[nOut];
        }
        INDArray x = contiguous(input);
        if (x.dataType() == DataType.FLOAT) {
            float[] xs = new float[(int) x.length()];
            x.data().asNioFloat().get((int) x.offset(), xs, 0, xs.length);
            float[] ys = new float[nOut];
            int o = 0;
            for (int plane = 0; plane < n * c; plane++) {
                int base = plane * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++, o++) {
                        int best = base + i * kh * w + j * kw;
                        float m = xs[best];
                        for (int a = 0; a < kh; a++) {
                            int row = base + (i * kh + a) * w + j * kw;
                            for (int b = 0; b < kw; b++) {
                                if (xs[row + b] > m) {
                                    m = xs[row + b];
                                    best = row + b;
                                }
                            }
                        }
                        ys[o] = m;
                        argmax[o] = best;
                    }
                }
            }
            out.data().asNioFloat().put((int) out.offset(), ys, 0, nOut);
        } else {
            double[] xs = new double[(int) x.length()];
            x.data().asNioDouble().get((int) x.offset(), xs, 0, xs.length);
            double[] ys = new double[nOut];
            int o = 0;
            for (int plane = 0; plane < n * c; plane++) {
                int base = plane * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++, o++) {
                        int best = base + i * kh * w + j * kw;
                        double m = xs[best];
                        for (int a = 0; a < kh; a++) {
                            int row = base + (i * kh + a) * w + j * kw;
                            for (int b = 0; b < kw; b++) {
                                if (xs[row + b] > m) {
                                    m = xs[row + b];
                                    best = row + b;
                                }
                            }
                        }
                        ys[o] = m;
                        argmax[o] = best;
                    }
                }
            }
            out.data().asNioDouble().put((int) out.offset(), ys, 0, nOut);
        }
        keptFor = input;
        keptShape = s.clone();
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            keptFor = null;
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        if (keptFor == null || keptFor != input || !Arrays.equals(keptShape, input.shape())) {
            activate(true, LayerWorkspaceMgr.noWorkspaces());
        }
        int nOut = argmax.length;
        if (epsilon.length() != nOut) {
            throw new IllegalArgumentException("FastSubsampling " + layerId() + ": output gradient has shape "
                    + Arrays.toString(epsilon.shape()) + ", expected " + nOut + " values");
        }
        INDArray e = contiguous(epsilon);
        int nIn = (int) input.length();
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
        if (e.dataType() == DataType.FLOAT) {
            float[] es = new float[nOut];
            e.data().asNioFloat().get((int) e.offset(), es, 0, nOut);
            float[] d = new float[nIn];
            for (int o = 0; o < nOut; o++) {
                d[argmax[o]] = es[o];
            }
            dx.data().asNioFloat().put((int) dx.offset(), d, 0, nIn);
        } else {
            double[] es = new double[nOut];
            e.data().asNioDouble().get((int) e.offset(), es, 0, nOut);
            double[] d = new double[nIn];
            for (int o = 0; o < nOut; o++) {
                d[argmax[o]] = es[o];
            }
            dx.data().asNioDouble().put((int) dx.offset(), d, 0, nIn);
        }
        return new Pair<>(new DefaultGradient(), dx);
    }

    @Override
    public void clear() {
        super.clear();
        keptFor = null;
    }
}
