package rnnlab.train;

/**
 * Thrown by {@link Trainer#fit} when the training loss of a batch is NaN or infinite — usually
 * exploding gradients. Mirrors what Keras's {@code TerminateOnNaN} callback does (stop), but as an
 * error that says where it happened and what to try. {@link #history()} holds the epochs completed
 * before it (also {@code model.history()} after {@code Model.fit}). The network is not left with the
 * NaN/∞ weights: its weights and optimizer state are put back to those of the end of the last
 * completed epoch, or of the start of the {@code fit} if none completed (the message says which),
 * so it still predicts and can be trained on. NaN/∞ in the data itself is an
 * {@link IllegalArgumentException} before training starts.
 */
public final class TrainingDivergedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final transient History history;
    private final int epoch;
    private final int batch;
    private final double loss;

    TrainingDivergedException(String message, History history, int epoch, int batch, double loss) {
        super(message);
        this.history = history;
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /** The History of the epochs completed before the loss became non-finite. */
    public History history() {
        return history;
    }

    /** The 1-based epoch in which it happened. */
    public int epoch() {
        return epoch;
    }

    /** The 1-based batch (step) of that epoch. */
    public int batch() {
        return batch;
    }

    /** The loss value (NaN or infinite). */
    public double loss() {
        return loss;
    }
}
