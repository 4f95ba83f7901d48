package rnnlab.nn.dl4j.recurrent;

import java.util.Collection;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.LayerWiring;

/**
 * DL4J layer configuration for a gated recurrent unit with the gate equations of PyTorch's
 * {@code torch.nn.GRU} and Keras's {@code tf.keras.layers.GRU(reset_after=True)} (the TF2 default).
 *
 * <p>DL4J 1.0.0-M2.1 has no GRU for {@code MultiLayerNetwork}, so this one is hand-written (forward
 * and backward pass in {@link GruLayerImpl}). For input {@code x_t} and previous state {@code h}:
 * <pre>
 *   r  = sigmoid(x W_r + b_ir + h U_r + b_hr)
 *   z  = sigmoid(x W_z + b_iz + h U_z + b_hz)
 *   n  = tanh   (x W_n + b_in + r * (h U_n + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 * Parameters ({@link GruParamInitializer}): {@code W} [nIn, 3H] = torch {@code weight_ih_l0}<sup>T</sup>,
 * {@code RW} [H, 3H] = torch {@code weight_hh_l0}<sup>T</sup>, {@code b} [1, 6H] = torch
 * {@code bias_ih_l0} followed by {@code bias_hh_l0}; gate blocks in torch's order r, z, n (Keras
 * stores z, r, h). Count: 3 (H·nIn + H·H + 2H), equal to both Keras and torch.
 *
 * <p>{@code recurrentDropout} mirrors Keras's {@code recurrent_dropout}: one mask per sequence (fixed
 * across time steps) on the state fed to the recurrent kernel, during training only. Input dropout
 * is the usual DL4J {@code dropOut(IDropout)}; use {@link TimeSharedDropout} for Keras's semantics.
 * Masking (DL4J mask arrays) is not supported and is rejected.
 */
public class GruLayer extends BaseRecurrentLayer {

    private double recurrentDropout;

    /** For Jackson (DL4J's JSON configuration). */
    public GruLayer() {
    }

    private GruLayer(Builder b) {
        super(b);
        this.recurrentDropout = b.recurrentDropout;
    }

    /** Keras {@code recurrent_dropout}: fraction of the recurrent state units dropped (0 = none). */
    public double getRecurrentDropout() {
        return recurrentDropout;
    }

    /** Jackson setter. */
    public void setRecurrentDropout(double recurrentDropout) {
        this.recurrentDropout = recurrentDropout;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("GRU", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new GruLayerImpl(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return GruParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long n = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, GruLayer.class, inputType, out)
                .standardMemory(n, 0)
                .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public String toString() {
        return "GruLayer(nIn=" + nIn + ", nOut=" + nOut + ", recurrentDropout=" + recurrentDropout + ")";
    }

    /** Builder in DL4J's style: {@code new GruLayer.Builder().nIn(32).nOut(64).build()}. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        private double recurrentDropout;

        /** Keras {@code recurrent_dropout} in [0, 1). */
        public Builder recurrentDropout(double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("GRU recurrent_dropout must be in [0, 1), got " + rate);
            }
            this.recurrentDropout = rate;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public GruLayer build() {
            return new GruLayer(this);
        }
    }
}
