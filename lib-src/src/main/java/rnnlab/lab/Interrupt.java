package rnnlab.lab;

/**
 * The notebook's stop button as a flag that long-running library loops check at safe points —
 * {@code rnnlab.train.Trainer} between batches, {@code rnnlab.charrnn.CharRnnTrainer} between
 * iterations — the Java counterpart of Python's {@code KeyboardInterrupt} reaching a Keras or PyTorch
 * training loop.
 *
 * <p>A stop is requested either by the rnnlab kernel ({@link #request()}, on Jupyter's
 * {@code interrupt_request}; it is cleared when the next cell starts) or, anywhere else, by
 * interrupting the thread ({@link Thread#interrupt()}). The flag is not cleared by the loop that
 * stops, so a cell that trains several models in a loop stops all of them, as an interrupted Python
 * cell does.
 */
public final class Interrupt {

    private static volatile boolean requested;

    private Interrupt() {
    }

    /** Whether a stop was requested for the running cell, or the current thread is interrupted. */
    public static boolean requested() {
        return requested || Thread.currentThread().isInterrupted();
    }

    /** Requests a stop (the kernel does this on Jupyter's interrupt). */
    public static void request() {
        requested = true;
    }

    /** Clears the request (the kernel does this when a cell starts). The thread's own flag is untouched. */
    public static void clear() {
        requested = false;
    }
}
