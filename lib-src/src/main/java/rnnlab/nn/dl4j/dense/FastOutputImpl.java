package rnnlab.nn.dl4j.dense;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.OutputLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;

import rnnlab.nn.dl4j.runtime.Strides;

/**
 * The computation of {@link FastOutput}: p = softmax(x·W + b) per row (in double, rounded once), the
 * score −Σ y·log(max(p, ε)) / batch with DL4J's clipping ε ({@code softmaxClipEps}), and the
 * gradients δ = p − y, dW = x<sup>T</sup>δ, db = Σ δ, dx = δW<sup>T</sup> (what DL4J's
 * {@code LossMCXENT} and {@code BaseOutputLayer} compute for a softmax output), all as Java loops.
 * The layer's own {@code computeGradientAndScore} (fitting the layer alone, outside a network) and any
 * other configuration run DL4J's code.
 */
public class FastOutputImpl extends OutputLayer {

    /** Input [b·nIn], weights [nIn·nOut] row-major, bias, probabilities [b·nOut], labels / δ [b·nOut]. */
    private double[] x = new double[0], w = new double[0], bias = new double[0], p = new double[0], d = new double[0];
    /** The weights as stored (W<sup>T</sup> row-major for DL4J's column-major layout). */
    private double[] wRaw = new double[0];
    private final DoubleStaging io = new DoubleStaging();

    /** Whether the last activate / backprop / score call took the fast path (for tests). */
    boolean lastFast;

    /** Created by {@link FastOutput#instantiate}. */
    public FastOutputImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether this layer's configuration and input take the fast path. */
    boolean fast() {
        org.deeplearning4j.nn.conf.layers.OutputLayer lc = layerConf();
        ILossFunction loss = lc.getLossFn();
        DataType dt = input == null ? null : input.dataType();
        return lc.getActivationFn() instanceof ActivationSoftmax
                && (loss.getClass() == LossMCXENT.class || loss.getClass() == LossNegativeLogLikelihood.class)
                && ((LossMCXENT) loss).getWeights() == null
                && lc.getIDropout() == null && lc.getWeightNoise() == null
                && input != null && input.rank() == 2 && maskArray == null
                && (dt == DataType.FLOAT || dt == DataType.DOUBLE)
                && input.size(1) == lc.getNIn()
                && (long) input.size(0) * Math.max(lc.getNIn(), lc.getNOut()) < Integer.MAX_VALUE;
    }

    private int b() {
        return (int) input.size(0);
    }

    private int nIn() {
        return (int) layerConf().getNIn();
    }

    private int nOut() {
        return (int) layerConf().getNOut();
    }

    /** p = softmax(x·W + b) for the current input and parameters. */
    private void forward() {
        int b = b(), nIn = nIn(), nOut = nOut();
        if (x.length != b * nIn) {
            x = new double[b * nIn];
        }
        if (p.length != b * nOut) {
            p = new double[b * nOut];
            d = new double[b * nOut];
        }
        if (w.length != nIn * nOut) {
            w = new double[nIn * nOut];
            wRaw = new double[nIn * nOut];
            bias = new double[nOut];
        }
        read(input, x, b * nIn);
        INDArray wa = getParam(DefaultParamInitializer.WEIGHT_KEY);
        if (columnMajor(wa)) { // DL4J's layout: the raw values are W^T row-major
            read(wa.reshape('f', new long[] {(long) nIn * nOut}), wRaw, nIn * nOut);
            transpose(wRaw, w, nOut, nIn);
        } else {
            read(wa, w, nIn * nOut);
        }
        if (layerConf().hasBias()) {
            read(getParam(DefaultParamInitializer.BIAS_KEY), bias, nOut);
        } else {
            Arrays.fill(bias, 0);
        }
        for (int r = 0; r < b; r++) {
            int po = r * nOut;
            System.arraycopy(bias, 0, p, po, nOut);
            for (int i = 0, xo = r * nIn; i < nIn; i++) {
                double xi = x[xo + i];
                for (int j = 0, wo = i * nOut; j < nOut; j++) {
                    p[po + j] += xi * w[wo + j];
                }
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < nOut; j++) {
                max = Math.max(max, p[po + j]);
            }
            double sum = 0;
            for (int j = 0; j < nOut; j++) {
                double e = Math.exp(p[po + j] - max);
                p[po + j] = e;
                sum += e;
            }
            for (int j = 0; j < nOut; j++) {
                p[po + j] /= sum;
            }
        }
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        lastFast = fast();
        if (!lastFast) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        forward();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), new long[] {b(), nOut()}, 'c');
        io.write(p, b() * nOut(), out);
        return out;
    }

    /** The labels as [b, nOut] values into {@link #d}, checked against the output's shape. */
    private void readLabels() {
        if (labels == null) {
            throw new IllegalStateException("FastOutput " + layerId() + ": no labels set (call setLabels before backprop or score)");
        }
        if (labels.rank() != 2 || labels.size(0) != b() || labels.size(1) != nOut()) {
            throw new IllegalArgumentException("FastOutput " + layerId() + ": labels have shape "
                    + Arrays.toString(labels.shape()) + ", expected [" + b() + ", " + nOut() + "] (one-hot rows)");
        }
        read(labels, d, b() * nOut());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        lastFast = fast() && labels != null;
        if (!lastFast) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        forward();
        readLabels();
        int b = b(), nIn = nIn(), nOut = nOut();
        for (int q = 0; q < b * nOut; q++) {
            d[q] = p[q] - d[q]; // δ = p − y
        }
        Gradient g = new DefaultGradient();
        double[] gw = new double[nIn * nOut]; // row-major [nIn, nOut]
        double[] gb = new double[nOut];
        double[] dx = new double[b * nIn];
        for (int r = 0; r < b; r++) {
            int po = r * nOut, xo = r * nIn;
            for (int j = 0; j < nOut; j++) {
                gb[j] += d[po + j];
            }
            for (int i = 0; i < nIn; i++) {
                double xi = x[xo + i], s = 0;
                for (int j = 0, wo = i * nOut; j < nOut; j++) {
                    gw[wo + j] += xi * d[po + j];
                    s += d[po + j] * w[wo + j];
                }
                dx[xo + i] = s;
            }
        }
        INDArray gW = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        if (columnMajor(gW) && Strides.denseC(gW.reshape('f', new long[] {(long) nIn * nOut}))) {
            double[] t = new double[nIn * nOut];
            transpose(gw, t, nIn, nOut);
            io.write(t, nIn * nOut, gW.reshape('f', new long[] {(long) nIn * nOut}));
        } else {
            gW.assign(Nd4j.create(gw, new long[] {nIn, nOut}, 'c').castTo(gW.dataType()));
        }
        g.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, gW);
        if (layerConf().hasBias()) {
            INDArray gB = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            io.write(gb, nOut, gB);
            g.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, gB);
        }
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), new long[] {b, nIn}, 'c');
        io.write(dx, b * nIn, epsOut);
        weightNoiseParams.clear();
        return new Pair<>(g, epsOut);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        lastFast = fast() && labels != null;
        if (!lastFast) {
            return super.computeScore(fullNetRegTerm, training, workspaceMgr);
        }
        forward();
        readLabels();
        double eps = ((LossMCXENT) layerConf().getLossFn()).getSoftmaxClipEps();
        double s = 0;
        for (int q = 0; q < b() * nOut(); q++) {
            if (d[q] != 0) {
                double pq = p[q];
                if (eps > 0) {
                    pq = Math.min(Math.max(pq, eps), 1 - eps);
                }
                s -= d[q] * Math.log(pq);
            }
        }
        if (conf().isMiniBatch()) {
            s /= getInputMiniBatchSize();
        }
        score = s + fullNetRegTerm;
        return score;
    }

    /** Whether {@code a} [rows, cols] is a dense column-major view (DL4J's weight layout). */
    private static boolean columnMajor(INDArray a) {
        long[] st = a.stride();
        return a.rank() == 2 && st[0] == 1 && (st[1] == a.size(0) || a.size(1) == 1);
    }

    /** dst [cols, rows] = transpose of src [rows, cols] (both row-major). */
    private static void transpose(double[] src, double[] dst, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[r * cols + c];
            }
        }
    }

    // ---- INDArray access ----

    private void read(INDArray a, double[] dst, int count) {
        if (a.length() != count) {
            throw new IllegalArgumentException("FastOutput " + layerId() + ": expected " + count + " values, got shape "
                    + Arrays.toString(a.shape()));
        }
        io.read(a, dst, count);
    }
}
