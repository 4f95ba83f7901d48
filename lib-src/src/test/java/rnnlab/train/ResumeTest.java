package rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** Issue 22 point 3: a run stopped after epoch k and resumed ends as one that never stopped. */
class ResumeTest {

    @BeforeAll
    static void oneThread() {
        Nd4j.getEnvironment().setMaxThreads(1);
    }

    private static final int[] Y = new int[96];
    private static final INDArray X = Nets.blobs(96, 2, 21, Y);

    /** Dropout (keep 0.7): the masks come from ND4J's generator, so its position must be restored too. */
    private static MultiLayerNetwork net() {
        return Nets.binary(3, new Adam(0.05), 0.7);
    }

    private static FitOptions.Builder opts() {
        return FitOptions.builder().verbose(0).seed(11).epochs(5).batchSize(16).validationSplit(0.25);
    }

    @Test
    void aRunInterruptedAfterEpochTwoAndResumedFromItsBackupEndsWithTheSameWeights(@TempDir Path dir) {
        MultiLayerNetwork whole = net();
        History full = Trainer.fit(whole, X, Y, opts().build());

        Path backup = dir.resolve("backups/run.bak");
        LambdaCallback stopButtonAfterTwo = LambdaCallback.builder().onEpochEnd((e, logs) -> {
            if (e == 2) {
                Thread.currentThread().interrupt();
            }
        }).build();
        History first;
        try {
            first = Trainer.fit(net(), X, Y, opts().callbacks(new BackupAndRestore(backup), stopButtonAfterTwo).build());
        } finally {
            Thread.interrupted();
        }
        assertTrue(first.interrupted());
        assertEquals(2, first.epochs());
        assertTrue(Files.exists(backup), "an interrupted run keeps its backup");

        // The same cell run again, as after a kernel restart: a new network built the same way.
        MultiLayerNetwork second = net();
        History resumed = Trainer.fit(second, X, Y, opts().callbacks(new BackupAndRestore(backup)).build());
        assertEquals(5, resumed.epochs(), "the History holds the backed-up epochs and the new ones");
        assertEquals(full.loss(), resumed.loss());
        assertEquals(full.valLoss(), resumed.valLoss());
        assertEquals(whole.params(), second.params());
        assertEquals(whole.getUpdater().getStateViewArray(), second.getUpdater().getStateViewArray());
        assertEquals(whole.getIterationCount(), second.getIterationCount());
        assertFalse(Files.exists(backup), "a run that completed deletes its backup");
    }

    @Test
    void initialEpochReplaysTheShufflesButNotTheDropoutDraws(@TempDir Path dir) throws Exception {
        MultiLayerNetwork whole = net();
        Trainer.fit(whole, X, Y, opts().build());
        // Keep the backup of a completed 2-epoch run, then load its weights by hand and continue with
        // initialEpoch(2): same batches, but the dropout masks start from the seed, not where epoch 2 left them.
        Path backup = dir.resolve("two.bak");
        MultiLayerNetwork two = net();
        Trainer.fit(two, X, Y, opts().epochs(2).callbacks(new BackupAndRestore(backup).keepingBackup()).build());
        assertTrue(Files.exists(backup));
        History rest = Trainer.fit(two, X, Y, opts().initialEpoch(2).build());
        assertEquals(3, rest.epochs(), "the History holds the epochs this fit ran");
        assertNotEquals(whole.params(), two.params(), "without the generator's position dropout draws other masks");

        var e = assertThrows(IllegalArgumentException.class, () -> opts().initialEpoch(5).build());
        assertTrue(e.getMessage().contains("initialEpoch(4).epochs(10)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(net(), X, Y, opts().seed(12).callbacks(new BackupAndRestore(backup)).build()));
        assertTrue(e.getMessage().contains("seed 11") && e.getMessage().contains("seed(11)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(net(), X, Y, opts().batchSize(8).callbacks(new BackupAndRestore(backup)).build()));
        assertTrue(e.getMessage().contains("batches per epoch"), e.getMessage());
    }
}
