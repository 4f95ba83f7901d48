package rnnlab.nn.dl4j.runtime;

import java.nio.FloatBuffer;
import java.util.List;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * DL4J's {@link MultiLayerUpdater} with Adam done in one fused Java pass over all of a network's
 * gradients, in the spirit of PyTorch's {@code torch.optim.Adam(..., fused=True)}: the division by the
 * minibatch size, both moment updates and the step for every parameter in one loop, instead of
 * DL4J's per-layer division ops, per-parameter regularisation views and one native Adam op per
 * updater block (each native op also pays OpenMP's wake-up of sleeping threads: LeNet-5's update
 * took ~1.3 ms of a ~6.5 ms step, a fifth of it the Adam arithmetic itself).
 *
 * <p>It computes exactly what DL4J's {@link AdamUpdater} computes, in the same order and in float
 * (m = β₁m + (1−β₁)g, v = β₂v + (1−β₂)g², step = α·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε), t = iteration + 1),
 * reads and writes the same state arrays (so saving, loading, cloning and {@code getUpdater()} see a
 * normal {@code MultiLayerUpdater}), and leaves the step in the gradient array for DL4J's solver to
 * subtract. It applies only where that is all DL4J would do: float gradients, every updater block
 * Adam, no regularisation, no gradient normalisation, every parameter divided by the minibatch
 * (not BatchNormalization's running statistics); any other network, or a gradient that is not the
 * network's own view, takes {@link MultiLayerUpdater#update} unchanged.
 */
public final class FusedUpdater extends MultiLayerUpdater {

    /** Whether the fused pass applies to this network (decided on first use: blocks are made lazily). */
    private Boolean applies;
    private float[] g = new float[0], m = new float[0], v = new float[0];

    private FusedUpdater(MultiLayerNetwork net, INDArray state) {
        super(net, state);
    }

    /**
     * Gives an initialised network this updater, keeping its updater state (the Adam moments so far);
     * returns the network. A network whose configuration does not qualify (see the class) still works:
     * every update then runs DL4J's own code.
     */
    public static MultiLayerNetwork install(MultiLayerNetwork net) {
        if (net.getUpdater(false) instanceof FusedUpdater) {
            return net;
        }
        INDArray state = net.getUpdater(true).getStateViewArray();
        net.setUpdater(new FusedUpdater(net, state));
        return net;
    }

    /** Whether the last {@link #update} took the fused pass (for tests). */
    boolean lastFused;

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize, LayerWorkspaceMgr ws) {
        INDArray flat = getFlattenedGradientsView();
        if (applies == null) {
            applies = qualifies();
        }
        lastFused = applies && flat != null && Strides.denseC(flat) && isNetworksOwn(gradient.gradient(), flat)
                && blocksViewInto(flat);
        if (!lastFused) {
            super.update(gradient, iteration, epoch, batchSize, ws);
            return;
        }
        float divisor = isMiniBatch() ? batchSize : 1f;
        for (UpdaterBlock ub : updaterBlocks) {
            adam(ub, (AdamUpdater) ub.getGradientUpdater(), iteration, epoch, divisor);
        }
    }

    /**
     * Whether {@code g} is the network's gradient array itself (the same memory), not an external one.
     * ({@code Gradient.gradient()} returns a new reshaped view on every call, so DL4J's own identity test
     * treats every gradient as external and re-derives its per-layer division views each step.)
     */
    private static boolean isNetworksOwn(INDArray g, INDArray flat) {
        return g != null && g.length() == flat.length() && g.dataType() == flat.dataType() && Strides.denseC(g)
                && start(g) == start(flat);
    }

    /** Whether every block's gradient view is its range of {@code flat} (not of an array the network has since replaced). */
    private boolean blocksViewInto(INDArray flat) {
        for (UpdaterBlock ub : updaterBlocks) {
            if (start(ub.getGradientView()) != start(flat) + (long) ub.getParamOffsetStart() * flat.dataType().width()) {
                return false;
            }
        }
        return true;
    }

    /** The memory address of {@code a}'s first value. */
    private static long start(INDArray a) {
        return a.data().address() + a.offset() * a.dataType().width();
    }

    private boolean qualifies() {
        for (UpdaterBlock ub : updaterBlocks) {
            if (ub.getGradientUpdater() == null) {
                ub.init();
            }
            GradientUpdater<?> u = ub.getGradientUpdater();
            if (!(u instanceof AdamUpdater) || ub.skipDueToPretrainConfig(false) || ub.getGradientView() == null
                    || ub.getGradientView().dataType() != DataType.FLOAT) {
                return false;
            }
            AdamUpdater a = (AdamUpdater) u;
            if (!Strides.denseC(a.getM()) || !Strides.denseC(a.getV()) || !Strides.denseC(ub.getGradientView())
                    || a.getM().dataType() != DataType.FLOAT || a.getV().dataType() != DataType.FLOAT) {
                return false;
            }
            for (UpdaterBlock.ParamState p : ub.getLayersAndVariablesInBlock()) {
                Trainable layer = p.getLayer();
                TrainingConfig c = layer.getConfig();
                List<Regularization> r = c.getRegularizationByParam(p.getParamName());
                GradientNormalization gn = c.getGradientNormalization();
                if ((r != null && !r.isEmpty()) || (gn != null && gn != GradientNormalization.None)
                        || !layer.updaterDivideByMinibatch(p.getParamName())) {
                    return false;
                }
            }
        }
        return true;
    }

    private void adam(UpdaterBlock ub, AdamUpdater u, int iteration, int epoch, float divisor) {
        Adam c = u.getConfig();
        INDArray gv = ub.getGradientView(), mv = u.getM(), vv = u.getV();
        int n = (int) gv.length();
        if (g.length < n) {
            g = new float[n];
            m = new float[n];
            v = new float[n];
        }
        FloatBuffer gb = gv.data().asNioFloat(), mb = mv.data().asNioFloat(), vb = vv.data().asNioFloat();
        int go = (int) gv.offset(), mo = (int) mv.offset(), vo = (int) vv.offset();
        gb.get(go, g, 0, n);
        mb.get(mo, m, 0, n);
        vb.get(vo, v, 0, n);
        float beta1 = (float) c.getBeta1(), beta2 = (float) c.getBeta2(), eps = (float) c.getEpsilon();
        float lr = (float) c.getLearningRate(iteration, epoch);
        float beta1t = (float) Math.pow(beta1, iteration + 1), beta2t = (float) Math.pow(beta2, iteration + 1);
        float alpha = lr * (float) Math.sqrt(1f - beta2t) / (1f - beta1t);
        if (Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0f) {
            alpha = eps; // as libnd4j's adam_updater
        }
        step(g, m, v, n, divisor, beta1, beta2, eps, alpha);
        gb.put(go, g, 0, n);
        mb.put(mo, m, 0, n);
        vb.put(vo, v, 0, n);
    }

    /** The fused Adam pass: one loop, every array at the same index (vectorised by C2). */
    static void step(float[] g, float[] m, float[] v, int n, float divisor, float beta1, float beta2, float eps, float alpha) {
        float c1 = 1f - beta1, c2 = 1f - beta2;
        for (int i = 0; i < n; i++) {
            float gi = g[i] / divisor;
            float mi = beta1 * m[i] + gi * c1;
            float vi = beta2 * v[i] + gi * gi * c2;
            m[i] = mi;
            v[i] = vi;
            g[i] = mi * alpha / ((float) Math.sqrt(vi) + eps);
        }
    }
}
