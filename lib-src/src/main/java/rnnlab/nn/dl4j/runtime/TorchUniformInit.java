package rnnlab.nn.dl4j.runtime;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default initialisation as a DL4J weight initialiser: values drawn from
 * {@code U(-bound, bound)}.
 *
 * <ul>
 *   <li>{@link #fanIn()}: {@code bound = 1/sqrt(fan_in)}, what {@code nn.Linear} and {@code nn.Conv2d}
 *       get from {@code reset_parameters} ({@code kaiming_uniform_(a=sqrt(5))} works out to exactly
 *       this; fan_in is {@code in_features}, or {@code in_channels × kh × kw}, which DL4J passes for
 *       its dense and convolution layers).</li>
 *   <li>{@link #of(double)}: a fixed bound; {@code of(1/sqrt(hidden_size))} is what {@code nn.RNN},
 *       {@code nn.LSTM} and {@code nn.GRU} use for every weight.</li>
 * </ul>
 * Keras's defaults differ (glorot_uniform kernels, orthogonal recurrent kernels). (Report 001's
 * 2-layer tanh RNN on MNIST stalled after two epochs with either initialisation; the cause was not
 * the initialisation but the Trainer resetting Adam's state at every validation pass, issue 7.)
 * Serialisable with the network's configuration (Jackson: fields, no-argument constructor).
 */
public final class TorchUniformInit implements IWeightInit {

    /** The fixed bound, or 0 for {@code 1/sqrt(fan_in)}. */
    private double bound;

    /** For Jackson; the same as {@link #fanIn()}. */
    public TorchUniformInit() {
        this(0);
    }

    private TorchUniformInit(double bound) {
        this.bound = bound;
    }

    /** {@code U(±1/sqrt(fan_in))}: {@code nn.Linear} / {@code nn.Conv2d}. */
    public static TorchUniformInit fanIn() {
        return new TorchUniformInit(0);
    }

    /**
     * {@code U(±bound)}; for a recurrent layer of {@code H} units PyTorch uses {@code 1/sqrt(H)}.
     *
     * @throws IllegalArgumentException if the bound is not a positive finite number
     */
    public static TorchUniformInit of(double bound) {
        if (!(bound > 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException("bound is " + bound + "; allowed: a positive finite number");
        }
        return new TorchUniformInit(bound);
    }

    /** The bound in use for a parameter with this fan-in. */
    public double bound(double fanIn) {
        return bound > 0 ? bound : 1.0 / Math.sqrt(Math.max(1.0, fanIn));
    }

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double b = bound(fanIn);
        Nd4j.rand(paramView, Nd4j.getDistributions().createUniform(-b, b));
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorchUniformInit t && Double.compare(t.bound, bound) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(bound);
    }

    @Override
    public String toString() {
        return bound > 0 ? "TorchUniformInit(bound=" + bound + ")" : "TorchUniformInit(1/sqrt(fan_in))";
    }
}
