package rnnlab.nn.dl4j;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The final hidden states of a bidirectional recurrent layer, from its concatenated output
 * sequence: mirrors torch's {@code cat(h_n[-2], h_n[-1])} and Keras's
 * {@code Bidirectional(..., return_sequences=False)}. Input [batch, 2H, time] (forward half first,
 * DL4J's {@code Bidirectional.Mode.CONCAT}); output [batch, 2H] = the forward half at the LAST step
 * and the backward half at step 0 (where the backward direction ends).
 *
 * <p>Why it exists: DL4J 1.0.0-M2.1's {@code BidirectionalLayer} wrapping a {@code LastTimeStep}
 * computes this output, but its {@code backpropGradient} indexes the epsilon as rank 3 and throws
 * ("cannot get size of dimension 2 for rank 2") on the rank-2 epsilon, so such a network cannot be
 * trained. Selecting the two steps from the full bidirectional sequence gives the same values and
 * a working backward pass. Hand-written: no DL4J preprocessor or vertex does this in a
 * MultiLayerNetwork. Masks are not supported (the rnnlab models never mask; torch without packing
 * does not either): a mask is refused.
 *
 * <p>Stateful like DL4J's dropout: it remembers the number of time steps of the last forward pass
 * for the backward pass (one network, one thread).
 */
public class BidirectionalFinalStates implements InputPreProcessor {

    private static final long serialVersionUID = 1L;

    private transient long lastTimeSteps = -1;

    /** For Jackson and DL4J's configuration cloning. */
    public BidirectionalFinalStates() {
    }

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 3 || input.size(1) % 2 != 0) {
            throw new IllegalArgumentException("BidirectionalFinalStates expects the output of a bidirectional layer "
                    + "[batch, 2*hidden, time], got shape " + java.util.Arrays.toString(input.shape()));
        }
        long h = input.size(1) / 2;
        long t = input.size(2);
        lastTimeSteps = t;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(),
                new long[] {input.size(0), 2 * h}, 'c');
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h))
                .assign(input.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h), NDArrayIndex.point(t - 1)));
        out.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h))
                .assign(input.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h), NDArrayIndex.point(0)));
        return out;
    }

    @Override
    public INDArray backprop(INDArray output, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (lastTimeSteps < 1) {
            throw new IllegalStateException("BidirectionalFinalStates.backprop called before preProcess");
        }
        long h = output.size(1) / 2;
        long t = lastTimeSteps;
        INDArray eps = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, output.dataType(),
                new long[] {output.size(0), 2 * h, t}, 'c');
        eps.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h), NDArrayIndex.point(t - 1))
                .assign(output.get(NDArrayIndex.all(), NDArrayIndex.interval(0, h)));
        eps.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h), NDArrayIndex.point(0))
                .assign(output.get(NDArrayIndex.all(), NDArrayIndex.interval(h, 2 * h)));
        return eps;
    }

    @Override
    public InputPreProcessor clone() {
        return new BidirectionalFinalStates();
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent r)) {
            throw new IllegalArgumentException("BidirectionalFinalStates expects a recurrent input type (the output of "
                    + "a bidirectional layer), got " + inputType);
        }
        return InputType.feedForward(r.getSize());
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState,
            int minibatchSize) {
        if (maskArray != null) {
            throw new UnsupportedOperationException("BidirectionalFinalStates does not support masked sequences");
        }
        return new Pair<>(null, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BidirectionalFinalStates;
    }

    @Override
    public int hashCode() {
        return BidirectionalFinalStates.class.hashCode();
    }

    @Override
    public String toString() {
        return "BidirectionalFinalStates()";
    }
}
