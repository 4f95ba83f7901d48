package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.train.FitOptions;
import rnnlab.train.History;
import rnnlab.train.ModelCheckpoint;

/** Issue 18 items 3, 4 and 8 on {@link Model}: divergence, NaN inputs, checkpoint format. */
class FaultsTest {

    /** Two Gaussian blobs in 4 dimensions, labels 0/1. */
    private static INDArray blobs(int n, int[] y, long seed) {
        Random r = new Random(seed);
        float[][] x = new float[n][4];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) (r.nextGaussian() + (y[i] == 1 ? 1.5 : -1.5));
            }
        }
        return Nd4j.createFromArray(x);
    }

    private static Model dense() {
        return Sequential.of(new Layer.Dense(8, "relu"), new Layer.Dense(1, "sigmoid")).inputFeatures(4).seed(2)
                .compile(Optimizer.adam(0.01), Loss.BINARY_CROSSENTROPY);
    }

    private static FitOptions.Builder quiet() {
        return FitOptions.builder().verbose(0).seed(1).batchSize(16);
    }

    @Test
    void theBestModelCheckpointIsAFileModelLoadReads(@TempDir Path dir) {
        int[] y = new int[80];
        INDArray x = blobs(80, y, 1);
        Path file = dir.resolve("best.zip");
        Model m = dense();
        History h = m.fit(x, y, quiet().epochs(4).validationSplit(0.5).checkpoint(ModelCheckpoint.toFile(file, "val_loss")).build());
        Model best = Model.load(file);
        assertEquals(m.summary(), best.summary());
        INDArray xVal = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(40, 80), org.nd4j.linalg.indexing.NDArrayIndex.all());
        int[] yVal = java.util.Arrays.copyOfRange(y, 40, 80);
        assertEquals(h.best("val_loss"), best.evaluate(xVal, yVal, 16).loss(), 1e-5);
    }
}
