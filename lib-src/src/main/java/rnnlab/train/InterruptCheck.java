package rnnlab.train;

import rnnlab.lab.Interrupt;

/**
 * Stops {@code fit} when the notebook's stop button is pressed ({@link Interrupt}: the rnnlab
 * kernel's request, or an interrupt of the calling thread) — the Java side of Python's
 * {@code KeyboardInterrupt} reaching a Keras loop. It checks before every epoch, every training
 * batch and every validation batch, so training stops at the next batch boundary; the completed
 * epochs are kept and the History says {@code interrupted}. Always installed by {@link Training}.
 */
final class InterruptCheck implements Callback {

    private Training training;
    private int epoch;

    @Override
    public void onTrainBegin(Training training) {
        this.training = training;
    }

    @Override
    public void onEpochBegin(int epoch) {
        this.epoch = epoch;
        if (Interrupt.requested()) {
            training.interrupt("Interrupted before epoch " + epoch + ": keeping the " + training.completedEpochs() + " completed epochs.");
        }
    }

    @Override
    public void onBatchBegin(int batch) {
        if (Interrupt.requested()) {
            training.interrupt("Interrupted in epoch " + epoch + " at batch " + batch + "/" + training.steps()
                    + ": keeping the " + training.completedEpochs() + " completed epochs (model.history()).");
        }
    }

    @Override
    public void onTestBatchBegin(int batch) {
        if (Interrupt.requested()) {
            training.interrupt("Interrupted during validation of epoch " + epoch + ": keeping the "
                    + training.completedEpochs() + " completed epochs (model.history()).");
        }
    }
}
