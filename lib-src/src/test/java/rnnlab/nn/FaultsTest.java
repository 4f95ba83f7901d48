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

    /**
     * Sets the first parameter to NaN after training iteration {@code poisonAt} (counted over the
     * network's life), so the next batch's loss is NaN; remembers the weights and optimiser state
     * after iteration {@code keepAt}.
     */
    private static final class Poison extends org.deeplearning4j.optimize.api.BaseTrainingListener {
        final int keepAt;
        final int poisonAt;
        INDArray keptParams;
        INDArray keptState;

        Poison(int keepAt, int poisonAt) {
            this.keepAt = keepAt;
            this.poisonAt = poisonAt;
        }

        @Override
        public void iterationDone(org.deeplearning4j.nn.api.Model model, int iteration, int epoch) {
            org.deeplearning4j.nn.multilayer.MultiLayerNetwork net = (org.deeplearning4j.nn.multilayer.MultiLayerNetwork) model;
            if (iteration + 1 == keepAt) {
                keptParams = net.params().dup();
                keptState = net.getUpdater().getStateViewArray().dup();
            }
            if (iteration + 1 == poisonAt) {
                net.params().putScalar(0, Double.NaN);
            }
        }
    }

    @Test
    void divergenceRestoresTheLastCompletedEpochAndTheModelStillPredicts() {
        int[] y = new int[64];
        INDArray x = blobs(64, y, 3);
        Model m = dense();
        // 4 batches per epoch: keep the state after epoch 2 (iteration 8), poison in epoch 3's first batch
        Poison p = new Poison(8, 9);
        m.network().addListeners(p);
        var e = assertThrows(rnnlab.train.TrainingDivergedException.class, () -> m.fit(x, y, quiet().epochs(5).build()));
        assertEquals(3, e.epoch());
        assertEquals(2, e.batch());
        assertTrue(e.getMessage().contains("restored the weights and optimizer state of the end of epoch 2"), e.getMessage());
        assertEquals(p.keptParams, m.network().params());
        assertEquals(p.keptState, m.network().getUpdater().getStateViewArray());
        INDArray out = m.predict(x);
        assertTrue(Double.isFinite(out.sumNumber().doubleValue()), "predicts with the last good weights");
        assertEquals(2, m.history().epochs());
    }

    @Test
    void divergenceInTheFirstEpochRestoresTheStartOfThisFit() {
        int[] y = new int[64];
        INDArray x = blobs(64, y, 4);
        Model m = dense();
        m.fit(x, y, quiet().epochs(2).build()); // an earlier fit whose work must survive
        INDArray before = m.predict(x);
        INDArray params = m.network().params().dup();
        INDArray state = m.network().getUpdater().getStateViewArray().dup();
        m.network().addListeners(new Poison(-1, 8 + 2)); // the second fit's second batch
        var e = assertThrows(rnnlab.train.TrainingDivergedException.class, () -> m.fit(x, y, quiet().epochs(3).build()));
        assertEquals(1, e.epoch());
        assertTrue(e.getMessage().contains("restored the weights and optimizer state of the start of this fit"), e.getMessage());
        assertEquals(params, m.network().params());
        assertEquals(state, m.network().getUpdater().getStateViewArray());
        assertEquals(before, m.predict(x));
    }

    @Test
    void nanOrInfinityInTheInputsIsNamedBeforeTraining() {
        int[] y = new int[64];
        INDArray x = blobs(64, y, 5);
        x.putScalar(new long[] {37, 2}, Double.NaN);
        Model m = dense();
        INDArray params = m.network().params().dup();
        var e = assertThrows(IllegalArgumentException.class, () -> m.fit(x, y, quiet().epochs(1).build()));
        assertTrue(e.getMessage().startsWith("x contains NaN at [37, 2]"), e.getMessage());
        assertTrue(!e.getMessage().contains("exploding"), e.getMessage());
        assertEquals(params, m.network().params(), "nothing trained");

        INDArray xv = blobs(20, new int[20], 6);
        xv.putScalar(new long[] {19, 3}, Double.NEGATIVE_INFINITY);
        var v = assertThrows(IllegalArgumentException.class, () -> m.fit(blobs(64, y, 5), y,
                quiet().epochs(1).validationData(xv, new int[20]).build()));
        assertTrue(v.getMessage().contains("validationX contains -Infinity at [19, 3]"), v.getMessage());

        INDArray yNan = Nd4j.createFromArray(new float[64]).reshape(64, 1);
        yNan.putScalar(new long[] {9, 0}, Double.NaN);
        var l = assertThrows(IllegalArgumentException.class, () -> m.fit(blobs(64, y, 5), yNan, quiet().epochs(1).build()));
        assertTrue(l.getMessage().contains("y contains NaN at [9, 0]"), l.getMessage());
    }

    @Test
    void nanOrInfiniteTokenIdsAreRejectedLikeOutOfRangeIds() {
        Model m = Sequential.of(new Layer.Embedding(10, 4, 3), new Layer.LSTM(2), new Layer.Dense(1, "sigmoid"))
                .compile("rmsprop", "binary_crossentropy");
        INDArray tooBig = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 12, 6}});
        String outOfRange = assertThrows(IllegalArgumentException.class, () -> m.predict(tooBig)).getMessage();
        assertTrue(outOfRange.contains("token ids must be in [0, 9]"), outOfRange);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            INDArray x = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}});
            x.putScalar(new long[] {1, 2}, bad);
            var e = assertThrows(IllegalArgumentException.class, () -> m.predict(x));
            assertTrue(e.getMessage().contains("token ids must be in [0, 9]") && e.getMessage().contains(bad + " at [1, 2]"),
                    e.getMessage());
            var f = assertThrows(IllegalArgumentException.class, () -> m.fit(x, new int[] {0, 1}, quiet().epochs(1).build()));
            assertEquals(e.getMessage(), f.getMessage());
        }
    }
}
