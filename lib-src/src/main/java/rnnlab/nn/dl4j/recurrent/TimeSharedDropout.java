package rnnlab.nn.dl4j.recurrent;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.random.impl.BernoulliDistribution;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout whose mask is shared by all time steps of a sequence: the input dropout of
 * Keras's recurrent layers ({@code SimpleRNN/LSTM/GRU(dropout=...)}), which drops the same input
 * features at every step. DL4J's own {@code Dropout} draws a new mask per element and step. For
 * 2-d input it is plain inverted dropout. {@code rate} is the fraction DROPPED (Keras's meaning;
 * DL4J's {@code Dropout(p)} takes the fraction kept).
 */
public class TimeSharedDropout implements IDropout {

    private static final long serialVersionUID = 1L;

    private double rate;
    private transient INDArray mask;

    /** For Jackson. */
    public TimeSharedDropout() {
    }

    /** A dropout dropping {@code rate} of the input features, in [0, 1). */
    public TimeSharedDropout(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /** The fraction dropped. */
    public double getRate() {
        return rate;
    }

    /** Jackson setter. */
    public void setRate(double rate) {
        this.rate = rate;
    }

    @Override
    public INDArray applyDropout(INDArray input, INDArray output, int iteration, int epoch,
            LayerWorkspaceMgr workspaceMgr) {
        long[] maskShape = input.rank() == 3 ? new long[] {input.size(0), input.size(1)} : input.shape();
        mask = sequenceMask(input.dataType(), maskShape, rate);
        return multiply(input, output);
    }

    /**
     * An inverted-dropout mask of the given shape, outside any workspace: each entry 0 with
     * probability {@code rate}, else 1/(1-rate), drawn from ND4J's global random generator. Shared
     * by this input dropout and the recurrent dropout of {@link GruLayerImpl} and
     * {@link FusedRecurrentImpl} (one [batch, units] mask per sequence, reused at every step).
     */
    static INDArray sequenceMask(DataType dt, long[] shape, double rate) {
        double keep = 1.0 - rate;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray m = Nd4j.createUninitialized(dt, shape);
            Nd4j.getExecutioner().exec(new BernoulliDistribution(m, keep));
            return m.divi(keep);
        }
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        if (mask == null) {
            throw new IllegalStateException("TimeSharedDropout.backprop called before applyDropout");
        }
        INDArray r = multiply(gradAtOutput, gradAtInput);
        mask = null;
        return r;
    }

    private INDArray multiply(INDArray in, INDArray out) {
        if (in.rank() == 3) {
            Nd4j.getExecutioner().exec(new BroadcastMulOp(in, mask, out, 0, 1));
            return out;
        }
        return out.assign(in.mul(mask));
    }

    @Override
    public void clear() {
        mask = null;
    }

    @Override
    public TimeSharedDropout clone() {
        return new TimeSharedDropout(rate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimeSharedDropout d && d.rate == rate;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(rate);
    }

    @Override
    public String toString() {
        return "TimeSharedDropout(rate=" + rate + ")";
    }
}
