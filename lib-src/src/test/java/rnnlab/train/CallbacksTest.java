package rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

/** The fit loop's {@link Callback}s: user hooks, stop requests, and the built-in callbacks passed as callbacks. */
class CallbacksTest {

    @BeforeAll
    static void oneThread() {
        Nd4j.getEnvironment().setMaxThreads(1);
    }

    private static final int[] Y = new int[80];
    private static final INDArray X = Nets.blobs(80, 2, 9, Y);

    /** 60 training samples in batches of 16: 4 steps per epoch, 20 validation samples. */
    private static FitOptions.Builder opts() {
        return FitOptions.builder().verbose(0).seed(3).epochs(3).batchSize(16).validationSplit(0.25);
    }

    @Test
    void userCallbacksSeeEveryHookAndDoNotChangeTheNumbers() {
        History plain = Trainer.fit(Nets.binary(5), X, Y, opts().build());

        List<String> events = new ArrayList<>();
        List<Map<String, Double>> epochLogs = new ArrayList<>();
        int[] batches = new int[1];
        LambdaCallback cb = LambdaCallback.builder()
                .onTrainBegin(t -> events.add("begin " + t.epochs() + "x" + t.steps() + " " + t.metricNames().size()))
                .onEpochBegin(e -> events.add("epoch " + e))
                .onBatchBegin(b -> batches[0]++)
                .onBatchEnd((b, logs) -> {
                    assertTrue(b >= 1 && b <= 4, "1-based batch " + b);
                    assertTrue(logs.containsKey("loss") && !logs.containsKey("val_loss"), logs.toString());
                })
                .onEpochEnd((e, logs) -> epochLogs.add(Map.copyOf(logs)))
                .onTrainEnd(t -> events.add("end " + t.epoch()))
                .build();
        History h = Trainer.fit(Nets.binary(5), X, Y, opts().callbacks(cb).build());

        assertEquals(plain.loss(), h.loss(), "a callback that only watches leaves the arithmetic alone");
        assertEquals(plain.valAccuracy(), h.valAccuracy());
        assertEquals(List.of("begin 3x4 10", "epoch 1", "epoch 2", "epoch 3", "end 3"), events);
        assertEquals(12, batches[0]);
        for (int e = 1; e <= 3; e++) {
            assertEquals(h.epoch(e), epochLogs.get(e - 1), "onEpochEnd's logs are the History's row " + e);
        }
    }

    @Test
    void stopTrainingEndsTheFitAsKerasStopTrainingDoes() {
        Training[] running = new Training[1];
        LambdaCallback afterTwo = LambdaCallback.builder().onTrainBegin(t -> running[0] = t)
                .onEpochEnd((e, logs) -> {
                    if (e == 2) {
                        running[0].stopTraining();
                    }
                }).build();
        MultiLayerNetwork stopped = Nets.binary(5);
        History h = Trainer.fit(stopped, X, Y, opts().epochs(10).callbacks(afterTwo).build());
        assertEquals(2, h.epochs());
        assertTrue(h.stoppedEarly());
        assertFalse(h.interrupted());
        MultiLayerNetwork twoEpochs = Nets.binary(5);
        History h2 = Trainer.fit(twoEpochs, X, Y, opts().epochs(2).build());
        assertEquals(h2.loss(), h.loss());
        assertEquals(twoEpochs.params(), stopped.params(), "stopping after epoch 2 of 10 leaves the weights of a 2-epoch run");
        assertFalse(h2.stoppedEarly(), "ran all its epochs");

        // A stop before a batch ends the fit there; the unfinished epoch is not recorded.
        LambdaCallback inBatch = LambdaCallback.builder().onTrainBegin(t -> running[0] = t)
                .onBatchBegin(b -> {
                    if (running[0].epoch() == 2 && b == 3) {
                        running[0].stopTraining();
                    }
                }).build();
        History h3 = Trainer.fit(Nets.binary(5), X, Y, opts().epochs(10).callbacks(inBatch).build());
        assertEquals(1, h3.epochs());
        assertTrue(h3.stoppedEarly());
    }

    @Test
    void earlyStoppingAmongCallbacksWorksAndResetsForTheNextFit() {
        int[] y = new int[40];
        INDArray x = Nets.blobs(40, 2, 10, y);
        // Learning rate 0 and no shuffling: the loss never changes; patience 2 stops at epoch 3.
        EarlyStopping es = EarlyStopping.on("loss").withPatience(2);
        FitOptions o = FitOptions.builder().verbose(0).seed(7).epochs(10).shuffle(false).callbacks(es).build();
        for (int run = 1; run <= 2; run++) {
            History h = Trainer.fit(Nets.binary(1, new Sgd(0.0), 1.0), x, y, o);
            assertEquals(3, h.epochs(), "run " + run);
            assertTrue(h.stoppedEarly());
            assertEquals(3, es.stoppedEpoch());
        }
    }

    @Test
    void aMonitorTheRunDoesNotLogIsRefusedBeforeTraining() {
        MultiLayerNetwork net = Nets.binary(5);
        INDArray before = net.params().dup();
        History.Recorder recorder = new History.Recorder();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, X, Y,
                FitOptions.builder().verbose(0).callbacks(ModelCheckpoint.best("val_accuracy"), recorder).build()));
        assertTrue(e.getMessage().startsWith("ModelCheckpoint monitors 'val_accuracy'")
                && e.getMessage().contains("no validation data"), e.getMessage());
        assertEquals(before, net.params(), "nothing trained");
        assertEquals(null, recorder.history(), "the History callback never began");

        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().callbacks((Callback) null).build());
        assertTrue(e.getMessage().contains("one is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LambdaCallback.builder().onEpochEnd(null));
        assertTrue(e.getMessage().contains("onEpochEnd is null"), e.getMessage());
    }
}
