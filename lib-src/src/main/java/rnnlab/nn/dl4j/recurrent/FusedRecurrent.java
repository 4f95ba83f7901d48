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
 * DL4J layer configuration of a <em>fused</em> recurrent layer: the same models as Keras's
 * {@code SimpleRNN} (tanh), {@code LSTM} and {@code GRU(reset_after=True)} (= {@code torch.nn.RNN /
 * LSTM / GRU}), computed for a whole sequence at once ({@link FusedRecurrentImpl}): one GEMM for all
 * time steps' input projections, then per step only the recurrent GEMM and the gate arithmetic in
 * preallocated buffers; backward likewise (per step the recurrent-gradient GEMM, then one GEMM each
 * for the input-weight gradient, the recurrent-weight gradient and the input gradient). DL4J's own
 * {@code LSTM}/{@code SimpleRnn} issue dozens of small native ops per step instead; this layer exists
 * only for speed (issue 8) and is hand-written because DL4J 1.0.0-M2.1 has no such layer.
 *
 * <p>Parameters are those of the reference layers, with the same keys, shapes and flat order, so
 * weights can be copied between them: {@code W} [nIn, kH], {@code RW} [H, kH], {@code b}:
 * <ul>
 *   <li>{@link Cell#SIMPLE_RNN}: k = 1, b [1, H] (DL4J {@code SimpleRnn}; Keras count).</li>
 *   <li>{@link Cell#LSTM}: k = 4 in DL4J's gate-block order (cell candidate g, forget f, output o,
 *       input i), b [1, 4H], no peepholes (DL4J {@code LSTM}; Keras count 4(H·nIn + H² + H)); the
 *       forget block of b starts at {@code forgetGateBiasInit} (default 1, Keras's
 *       {@code unit_forget_bias}).</li>
 *   <li>{@link Cell#GRU}: k = 3 (r, z, n), b [1, 6H] = b_ih then b_hh, as {@link GruLayer}.</li>
 * </ul>
 * Always returns the whole sequence [batch, H, time]; wrap it in DL4J's {@code LastTimeStep} for the
 * last step (its cost is one slice). Input dropout is the usual {@code dropOut(IDropout)} (use
 * {@link TimeSharedDropout} for Keras's semantics). {@code recurrentDropout} (every cell) mirrors
 * Keras's {@code recurrent_dropout} as {@link GruLayer} does: during training one inverted-dropout
 * mask per sequence ([batch, H], entries 0 or 1/(1-p)) multiplies h<sub>t-1</sub> before the
 * recurrent GEMM at every step, and the backward pass uses the same mask; no mask at inference. The
 * mask is shared by the gates (Keras's {@code implementation=2} form; tf.keras 2.x actually switches
 * to {@code implementation=1} when {@code recurrent_dropout > 0} and draws one mask per gate). The initial state is zero;
 * DL4J mask arrays, {@code rnnTimeStep} and truncated BPTT are not supported and are rejected with
 * an exception naming the alternative (the reference layers). FLOAT and DOUBLE networks are
 * supported (DOUBLE for gradient checks).
 */
public class FusedRecurrent extends BaseRecurrentLayer {

    /** The recurrent cell. */
    public enum Cell {
        /** Keras {@code SimpleRNN} / torch {@code nn.RNN}: h' = tanh(x W + h RW + b). */
        SIMPLE_RNN(1, 1),
        /** Keras {@code LSTM} / torch {@code nn.LSTM} (DL4J's gate-block order g, f, o, i). */
        LSTM(4, 4),
        /** Keras {@code GRU(reset_after=True)} / torch {@code nn.GRU} (blocks r, z, n; two biases). */
        GRU(3, 6);

        private final int gates;
        private final int biases;

        Cell(int gates, int biases) {
            this.gates = gates;
            this.biases = biases;
        }

        /** Number of H-wide blocks of the kernels W and RW. */
        public int gates() {
            return gates;
        }

        /** Number of H-wide blocks of the bias b. */
        public int biases() {
            return biases;
        }
    }

    private Cell cell = Cell.LSTM;
    private double recurrentDropout;
    private double forgetGateBiasInit = 1.0;

    /** For Jackson (DL4J's JSON configuration). */
    public FusedRecurrent() {
    }

    private FusedRecurrent(Builder b) {
        super(b);
        this.cell = b.cell;
        this.recurrentDropout = b.recurrentDropout;
        this.forgetGateBiasInit = b.forgetGateBiasInit;
    }

    /** The cell. */
    public Cell getCell() {
        return cell;
    }

    /** Jackson setter. */
    public void setCell(Cell cell) {
        this.cell = cell;
    }

    /** Keras {@code recurrent_dropout}: fraction of the recurrent state dropped (training only). */
    public double getRecurrentDropout() {
        return recurrentDropout;
    }

    /** Jackson setter: a rate in [0, 1). */
    public void setRecurrentDropout(double recurrentDropout) {
        if (!(recurrentDropout >= 0 && recurrentDropout < 1)) {
            throw new IllegalArgumentException("recurrentDropout must be in [0, 1), got " + recurrentDropout);
        }
        this.recurrentDropout = recurrentDropout;
    }

    /** Initial value of the LSTM forget-gate bias (default 1, as Keras's {@code unit_forget_bias}). */
    public double getForgetGateBiasInit() {
        return forgetGateBiasInit;
    }

    /** Jackson setter. */
    public void setForgetGateBiasInit(double v) {
        this.forgetGateBiasInit = v;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("Fused" + cell, getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new FusedRecurrentImpl(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return FusedParamInitializer.getInstance();
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long n = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, FusedRecurrent.class, inputType, out)
                .standardMemory(n, 0)
                .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public String toString() {
        return "FusedRecurrent(cell=" + cell + ", nIn=" + nIn + ", nOut=" + nOut + ", dropout="
                + (iDropout == null ? "none" : iDropout) + ", recurrentDropout=" + recurrentDropout + ")";
    }

    /** Builder in DL4J's style: {@code new FusedRecurrent.Builder(Cell.LSTM).nIn(32).nOut(64).build()}. */
    public static class Builder extends BaseRecurrentLayer.Builder<Builder> {
        private final Cell cell;
        private double recurrentDropout;
        private double forgetGateBiasInit = 1.0;

        /** A builder for the given cell. */
        public Builder(Cell cell) {
            if (cell == null) {
                throw new IllegalArgumentException("cell must be one of " + java.util.Arrays.toString(Cell.values()));
            }
            this.cell = cell;
        }

        /** Keras {@code recurrent_dropout} in [0, 1). */
        public Builder recurrentDropout(double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException(cell + " recurrent_dropout must be in [0, 1), got " + rate);
            }
            this.recurrentDropout = rate;
            return this;
        }

        /** Initial LSTM forget-gate bias (default 1). */
        public Builder forgetGateBiasInit(double v) {
            this.forgetGateBiasInit = v;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public FusedRecurrent build() {
            return new FusedRecurrent(this);
        }
    }
}
