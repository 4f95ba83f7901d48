package rnnlab.nn.dl4j.conv;

import java.nio.FloatBuffer;
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

import rnnlab.nn.dl4j.runtime.Parallel;
import rnnlab.nn.dl4j.runtime.Strides;

/**
 * The computation of {@link FastSubsampling}: max pooling over non-overlapping k×k windows in Java,
 * remembering each window's arg-max (the first maximum in row-major order) during training so the
 * backward pass is a scatter of the output gradient to those positions (a NaN in a window makes its
 * output NaN, as torch's {@code max_pool2d}). Float buffers are kept across calls. Other
 * configurations run DL4J's {@link SubsamplingLayer} code unchanged.
 */
public class FastSubsamplingImpl extends SubsamplingLayer {

    /** Pieces of planes handed to {@link Parallel} (fixed; the pieces write disjoint ranges). */
    private static final int PIECES = 16;
    private int[] argmax = new int[0];
    /** Float input / input-gradient and output / output-gradient buffers, kept across calls (re-made when the size changes). */
    private float[] xf = new float[0], yf = new float[0];
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
        return Strides.denseC(a) ? a : a.dup('c');
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
        int nIn = n * c * h * w, nOut = n * c * oh * ow;
        if (argmax.length != nOut) {
            argmax = new int[nOut];
        }
        INDArray x = contiguous(input);
        if (x.dataType() == DataType.FLOAT) {
            if (xf.length != nIn) {
                xf = new float[nIn];
            }
            if (yf.length != nOut) {
                yf = new float[nOut];
            }
            // each piece copies its own planes in and out, on its thread, while they are in its cache
            // (one 1.5 MB copy each way on the calling thread cost LeNet's first pooling ~0.3 ms)
            FloatBuffer xb = x.data().asNioFloat(), ob = out.data().asNioFloat();
            int xo = (int) x.offset(), oo = (int) out.offset();
            int planes = n * c, pieces = Math.min(planes, PIECES), inPlane = h * w, outPlane = oh * ow;
            float[] xs = xf, ys = yf;
            int[] am = argmax;
            Parallel.forEach(pieces, Parallel.threads(), (piece, wk) -> {
                int p0 = (int) ((long) planes * piece / pieces), p1 = (int) ((long) planes * (piece + 1) / pieces);
                xb.get(xo + p0 * inPlane, xs, p0 * inPlane, (p1 - p0) * inPlane);
                if (kh == 2 && kw == 2) {
                    maxPool2x2(xs, ys, am, p0, p1, h, w);
                } else {
                    maxPool(xs, ys, am, p0, p1, h, w, kh, kw);
                }
                ob.put(oo + p0 * outPlane, ys, p0 * outPlane, (p1 - p0) * outPlane);
            });
        } else {
            double[] xs = new double[nIn];
            x.data().asNioDouble().get((int) x.offset(), xs, 0, nIn);
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
                                double v = xs[row + b];
                                best = v > m ? row + b : best;
                                m = Math.max(m, v);
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

    /** Max pooling of planes [p0, p1) (h×w each) over k×k windows: values and arg-max (first maximum, row-major). */
    private static void maxPool(float[] xs, float[] ys, int[] argmax, int p0, int p1, int h, int w, int kh, int kw) {
        int oh = h / kh, ow = w / kw, o = p0 * oh * ow;
        for (int plane = p0; plane < p1; plane++) {
            int base = plane * h * w;
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++, o++) {
                    int best = base + i * kh * w + j * kw;
                    float m = xs[best];
                    for (int a = 0; a < kh; a++) {
                        int row = base + (i * kh + a) * w + j * kw;
                        for (int b = 0; b < kw; b++) {
                            float v = xs[row + b];
                            best = v > m ? row + b : best;
                            m = Math.max(m, v);
                        }
                    }
                    ys[o] = m;
                    argmax[o] = best;
                }
            }
        }
    }

    /**
     * {@link #maxPool} for 2×2 windows, unrolled (LeNet's pooling). {@code Math.max} for the value and a
     * conditional expression for the index compile without branches: 0.43 ms for LeNet's first pooling
     * where if-statements took 0.88 ms (mispredicted on ReLU outputs).
     */
    private static void maxPool2x2(float[] xs, float[] ys, int[] argmax, int from, int to, int h, int w) {
        int oh = h / 2, ow = w / 2, o = from * oh * ow;
        for (int plane = from; plane < to; plane++) {
            for (int i = 0; i < oh; i++) {
                int r0 = plane * h * w + 2 * i * w, r1 = r0 + w;
                for (int j = 0; j < ow; j++, o++) {
                    int p0 = r0 + 2 * j, p1 = r1 + 2 * j;
                    float a = xs[p0], b = xs[p0 + 1], c = xs[p1], d = xs[p1 + 1];
                    int best = b > a ? p0 + 1 : p0;
                    float m = Math.max(a, b);
                    best = c > m ? p1 : best;
                    m = Math.max(m, c);
                    best = d > m ? p1 + 1 : best;
                    m = Math.max(m, d);
                    ys[o] = m;
                    argmax[o] = best;
                }
            }
        }
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
            if (yf.length != nOut) {
                yf = new float[nOut];
            }
            if (xf.length != nIn) {
                xf = new float[nIn];
            }
            FloatBuffer eb = e.data().asNioFloat(), db = dx.data().asNioFloat();
            int eo = (int) e.offset(), dxo = (int) dx.offset();
            long[] s = input.shape();
            int planes = (int) (s[0] * s[1]), inPlane = (int) (s[2] * s[3]), outPlane = nOut / planes;
            int pieces = Math.min(planes, PIECES);
            float[] d = xf, es = yf;
            int[] am = argmax;
            Parallel.forEach(pieces, Parallel.threads(), (piece, wk) -> {
                int p0 = (int) ((long) planes * piece / pieces), p1 = (int) ((long) planes * (piece + 1) / pieces);
                eb.get(eo + p0 * outPlane, es, p0 * outPlane, (p1 - p0) * outPlane);
                Arrays.fill(d, p0 * inPlane, p1 * inPlane, 0f);
                for (int o = p0 * outPlane, end = p1 * outPlane; o < end; o++) {
                    d[am[o]] = es[o]; // the arg-max of an output lies in the output's own plane
                }
                db.put(dxo + p0 * inPlane, d, p0 * inPlane, (p1 - p0) * inPlane);
            });
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
