package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.train.FitOptions;
import rnnlab.train.History;
import rnnlab.train.ModelCheckpoint;

/**
 * Issue 22 point 3 through {@link Model}: a checkpoint written every epoch holds weights and optimizer
 * state, and {@code initialEpoch} continues from it as if the run had never stopped.
 */
class ResumeFromCheckpointTest {

    @Test
    void modelLoadOfAnEveryEpochCheckpointThenInitialEpochEndsAsAnUnstoppedRun(@TempDir Path dir) {
        Random r = new Random(5);
        int[] y = new int[96];
        float[][] xs = new float[96][4];
        for (int i = 0; i < 96; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 4; j++) {
                xs[i][j] = (float) (r.nextGaussian() + (y[i] == 1 ? 0.7 : -0.7));
            }
        }
        INDArray x = Nd4j.createFromArray(xs);
        FitOptions o = FitOptions.builder().verbose(0).seed(1).batchSize(16).epochs(5).validationSplit(0.25).build();

        Model whole = dense();
        History full = whole.fit(x, y, o);

        Path file = dir.resolve("every-epoch.zip");
        dense().fit(x, y, o.toBuilder().epochs(2).checkpoint(ModelCheckpoint.everyEpoch(file)).build());
        Model resumed = Model.load(file);
        History rest = resumed.fit(x, y, o.toBuilder().initialEpoch(2).build());

        assertEquals(full.loss().subList(2, 5), rest.loss());
        assertEquals(full.valAccuracy().subList(2, 5), rest.valAccuracy());
        assertEquals(whole.network().params(), resumed.network().params());
        assertEquals(whole.network().getUpdater().getStateViewArray(), resumed.network().getUpdater().getStateViewArray());
    }

    private static Model dense() {
        return Sequential.of(new Layer.Dense(8, "relu"), new Layer.Dense(1, "sigmoid")).inputFeatures(4).seed(2)
                .compile(Optimizer.adam(0.01), Loss.BINARY_CROSSENTROPY);
    }
}
