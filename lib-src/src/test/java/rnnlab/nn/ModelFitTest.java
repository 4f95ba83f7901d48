package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.Layer.Dense;
import rnnlab.nn.Layer.Embedding;
import rnnlab.nn.Layer.LSTM;
import rnnlab.train.FitOptions;
import rnnlab.train.History;
import rnnlab.train.Scores;
import rnnlab.train.Trainer;

/** Keras's {@code model.fit / evaluate / history} on {@link Model}: same results as the Trainer, inputs checked first. */
class ModelFitTest {

    /** Sequences of 12 token ids; label 1 iff token 7 occurs (a task an LSTM learns in a few epochs). */
    private static int[][] tokens(int n, Random r, int[] labels) {
        int[][] x = new int[n][12];
        for (int i = 0; i < n; i++) {
            boolean pos = r.nextBoolean();
            for (int t = 0; t < 12; t++) {
                x[i][t] = 1 + r.nextInt(6);
            }
            if (pos) {
                x[i][r.nextInt(12)] = 7;
            }
            labels[i] = pos ? 1 : 0;
        }
        return x;
    }

    private static Model lstm() {
        return new Sequential().add(new Embedding(8, 8, 12)).add(new LSTM(8)).add(new Dense(1, "sigmoid"))
                .seed(3).compile(Optimizer.adam(1e-2), Loss.BINARY_CROSSENTROPY);
    }

    @Test
    void fitIsTheTrainersFitAndKeepsTheHistory() {
        int[] y = new int[256];
        INDArray x = Nd4j.createFromArray(tokens(256, new Random(1), y));
        FitOptions opts = FitOptions.builder().epochs(12).batchSize(32).validationSplit(0.25).verbose(0).seed(5).build();

        Model model = lstm();
        assertNull(model.history());
        History h = model.fit(x, y, opts);
        assertSame(h, model.history());
        assertEquals(12, h.epochs());
        assertTrue(h.last("val_accuracy") > 0.9, "learns the separable toy task: " + h.last("val_accuracy"));

        Model same = lstm();
        History viaTrainer = Trainer.fit(same.network(), x, y, opts);
        assertEquals(viaTrainer.last("loss"), h.last("loss"), 1e-6, "model.fit is the Trainer's loop, seed for seed");

        Scores s = model.evaluate(x, y);
        assertEquals(Trainer.evaluate(model.network(), x, y).loss(), s.loss(), 1e-9);
        assertEquals(s.accuracy(), model.evaluate(x, Nd4j.createFromArray(y).reshape(256, 1).castTo(x.dataType()), 100).accuracy(), 1e-9);
    }

    @Test
    void badInputIsNamedBeforeAnyTraining() {
        Model model = lstm();
        INDArray tooLong = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.INT, 4, 13);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.fit(tooLong, new int[4], FitOptions.builder().verbose(0).build()));
        assertTrue(e.getMessage().contains("input_length=12") && e.getMessage().contains("pad_sequences(maxlen=12)"), e.getMessage());

        INDArray bigIds = Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3}});
        e = assertThrows(IllegalArgumentException.class, () -> model.fit(bigIds, new int[] {1}, FitOptions.builder().verbose(0).build()));
        assertTrue(e.getMessage().contains("input_dim=8") && e.getMessage().contains("num_words=8"), e.getMessage());
        assertNull(model.history(), "nothing was trained");

        INDArray ok = Nd4j.createFromArray(new int[][] {{1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 5}});
        e = assertThrows(IllegalArgumentException.class, () -> model.fit(ok, ok.dup(),
                FitOptions.builder().verbose(0).validationData(bigIds, Nd4j.ones(1, 1)).build()));
        assertTrue(e.getMessage().startsWith("validation_data x:"), e.getMessage());

        Model notCompiled = new Sequential().add(new Embedding(8, 8, 12)).add(new LSTM(8)).add(new Dense(1, "sigmoid")).build();
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> notCompiled.fit(ok, new int[] {1},
                FitOptions.builder().verbose(0).build()));
        assertTrue(s.getMessage().contains("compile("), s.getMessage());
    }
}
