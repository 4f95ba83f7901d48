package rnnlab.nn.dl4j.dense;

import java.util.Arrays;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.dl4j.runtime.Blas;
import rnnlab.nn.dl4j.runtime.Strides;

/**
 * The computation of {@link FastDense}: out = act(x·W + b) with act ReLU or identity; the products
 * x·W (forward), x<sup>T</sup>δ (weight gradient, written straight into the gradient view) and δW<sup>T</sup>
 * (input gradient, straight into the output array) go to OpenBLAS through
 * {@link Blas#gemmInCaller} (single-thread-sized calls on the caller's thread); bias, activation and
 * its derivative are Java loops over the [batch, nOut] values (in double, rounded once). The input and
 * the activations of a training forward pass are kept for the backward pass. Other configurations
 * (other activations, layer norm, dropout, weight noise, masks, rank ≠ 2) run DL4J's
 * {@link DenseLayer} code unchanged.
 */
public class FastDenseImpl extends DenseLayer {

    /** Off-heap copies of the input [b, nIn] and of δ [b, nOut]; the forward product [b, nOut]. */
    private INDArray xBuf, zBuf, dBuf;
    /** Activations [b·nOut] of the kept forward pass; bias [nOut]; staging. */
    private double[] act = new double[0], bias = new double[0], stage = new double[0];
    private final DoubleStaging io = new DoubleStaging();
    /** The input whose forward pass is kept (identity), or null. */
    private INDArray keptFor;

    /** Created by {@link FastDense#instantiate}. */
    public FastDenseImpl(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether this layer's configuration and input take the fast path. */
    boolean fast() {
        org.deeplearning4j.nn.conf.layers.DenseLayer lc = layerConf();
        IActivation a = lc.getActivationFn();
        DataType dt = input == null ? null : input.dataType();
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        return !lc.hasLayerNorm()
                && (a instanceof ActivationIdentity || a.equals(new ActivationReLU()))
                && lc.getIDropout() == null && lc.getWeightNoise() == null
                && input != null && input.rank() == 2 && maskArray == null
                && (dt == DataType.FLOAT || dt == DataType.DOUBLE)
                && w.dataType() == dt && weightLayout(w) != 0
                && (long) input.size(0) * Math.max(input.size(1), lc.getNOut()) < Integer.MAX_VALUE;
    }

    /** 'f' for a dense column-major [nIn, nOut] view (DL4J's layout), 'c' for dense row-major, 0 otherwise. */
    private static char weightLayout(INDArray w) {
        long[] s = w.stride();
        if (w.rank() != 2) {
            return 0;
        }
        if (s[0] == 1 && (s[1] == w.size(0) || w.size(1) == 1)) {
            return 'f';
        }
        return Strides.denseC(w) ? 'c' : 0;
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
        assertInputSet(false);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(),
                new long[] {input.size(0), layerConf().getNOut()}, 'c');
        forward(out);
        keptFor = training ? input : null;
        return out;
    }

    private void forward(INDArray out) {
        DataType dt = input.dataType();
        int b = (int) input.size(0), nIn = (int) input.size(1), nOut = (int) layerConf().getNOut();
        if (nIn != layerConf().getNIn()) {
            throw new IllegalArgumentException("FastDense " + layerId() + " expects " + layerConf().getNIn()
                    + " inputs (dimension 1 of [batch, features]), got shape " + Arrays.toString(input.shape()));
        }
        if (xBuf == null || xBuf.dataType() != dt || xBuf.size(0) != b) {
            xBuf = Nd4j.createUninitializedDetached(dt, b, nIn);
            zBuf = Nd4j.createUninitializedDetached(dt, b, nOut);
            dBuf = Nd4j.createUninitializedDetached(dt, b, nOut);
            act = new double[b * nOut];
            stage = new double[Math.max(b * nIn, b * nOut)];
        }
        copy(input, xBuf, b * nIn);
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        // W is [nIn, nOut]: column-major (DL4J's layout) is row-major W^T, used transposed
        boolean f = weightLayout(w) == 'f';
        Blas.gemmInCaller(false, f, b, nOut, nIn, xBuf, 0, nIn, w, 0, f ? nIn : nOut, 0, zBuf, 0, nOut);
        if (bias.length != nOut) {
            bias = new double[nOut];
        }
        if (layerConf().hasBias()) {
            io.read(getParam(DefaultParamInitializer.BIAS_KEY), bias, nOut);
        } else {
            Arrays.fill(bias, 0);
        }
        io.read(zBuf, act, b * nOut);
        boolean relu = relu();
        for (int i = 0, p = 0; i < b; i++) {
            for (int j = 0; j < nOut; j++, p++) {
                double v = act[p] + bias[j];
                act[p] = relu ? Math.max(v, 0) : v;
            }
        }
        io.write(act, b * nOut, out);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fast()) {
            keptFor = null;
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        if (keptFor == null || keptFor != input) {
            forward(Nd4j.createUninitializedDetached(input.dataType(), input.size(0), layerConf().getNOut()));
        }
        int b = (int) input.size(0), nIn = (int) input.size(1), nOut = (int) layerConf().getNOut();
        if (epsilon.length() != (long) b * nOut) {
            throw new IllegalArgumentException("FastDense " + layerId() + ": output gradient has shape "
                    + Arrays.toString(epsilon.shape()) + ", expected [" + b + ", " + nOut + "]");
        }
        double[] d = stage;
        io.read(epsilon, d, b * nOut);
        if (relu()) {
            for (int p = 0; p < b * nOut; p++) {
                d[p] = act[p] > 0 ? d[p] : 0;
            }
        }
        Gradient g = new DefaultGradient();
        if (layerConf().hasBias()) {
            INDArray gB = gradientViews.get(DefaultParamInitializer.BIAS_KEY);
            double[] sums = new double[nOut];
            for (int i = 0, p = 0; i < b; i++) {
                for (int j = 0; j < nOut; j++, p++) {
                    sums[j] += d[p];
                }
            }
            io.write(sums, nOut, gB);
            g.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, gB);
        }
        io.write(d, b * nOut, dBuf);
        INDArray gW = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        char gl = weightLayout(gW);
        if (gl == 'f') { // row-major dW^T [nOut, nIn] = δ^T x
            Blas.gemmInCaller(true, false, nOut, nIn, b, dBuf, 0, nOut, xBuf, 0, nIn, 0, gW, 0, nIn);
        } else if (gl == 'c') { // row-major dW [nIn, nOut] = x^T δ
            Blas.gemmInCaller(true, false, nIn, nOut, b, xBuf, 0, nIn, dBuf, 0, nOut, 0, gW, 0, nOut);
        } else {
            INDArray t = Nd4j.createUninitializedDetached(gW.dataType(), nIn, nOut);
            Blas.gemmInCaller(true, false, nIn, nOut, b, xBuf, 0, nIn, dBuf, 0, nOut, 0, t, 0, nOut);
            gW.assign(t);
        }
        g.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, gW);
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        boolean f = weightLayout(w) == 'f';
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), new long[] {b, nIn}, 'c');
        // dx [b, nIn] = δ W^T: with W column-major (= row-major W^T [nOut, nIn]) that is δ · (row-major W^T)
        Blas.gemmInCaller(false, !f, b, nIn, nOut, dBuf, 0, nOut, w, 0, f ? nIn : nOut, 0, epsOut, 0, nIn);
        weightNoiseParams.clear();
        keptFor = null;
        return new Pair<>(g, epsOut);
    }

    @Override
    public void clear() {
        super.clear();
        keptFor = null;
    }

    // ---- INDArray access ----

    private void copy(INDArray src, INDArray dst, int count) {
        io.read(src, stage, count);
        io.write(stage, count, dst);
    }
}
