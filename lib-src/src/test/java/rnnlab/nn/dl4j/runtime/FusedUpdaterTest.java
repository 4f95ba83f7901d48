package rnnlab.nn.dl4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * {@link FusedUpdater} against DL4J's own {@code MultiLayerUpdater}: the same parameters and Adam
 * moments after several steps (batch 10, so the minibatch division is not a power of two; a
 * learning rate per layer, i.e. two updater blocks), the fallback for what it does not fuse
 * (L2 regularisation, RMSprop), and a save/load round trip of the updater state.
 */
class FusedUpdaterTest {

    private static MultiLayerNetwork net(IUpdater first, IUpdater second, double l2) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT);
        if (l2 > 0) {
            b.l2(l2);
        }
        MultiLayerConfiguration conf = b.list()
                .layer(new DenseLayer.Builder().nIn(7).nOut(9).activation(Activation.TANH).updater(first).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(9).nOut(4)
                        .activation(Activation.SOFTMAX).updater(second).build())
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    private static DataSet data(int seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, 7).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 10, 4);
        for (int i = 0; i < 10; i++) {
            y.putScalar(i, (i * 7 + seed) % 4, 1f);
        }
        return new DataSet(x, y);
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 2e-6 * scale, what + ": max difference " + diff + " (scale " + scale + ")");
    }

    /** Trains a reference and a fused copy side by side; returns whether every fused step took the fused pass. */
    private static boolean sideBySide(IUpdater first, IUpdater second, double l2, int steps) {
        MultiLayerNetwork ref = net(first, second, l2);
        MultiLayerNetwork fused = FusedUpdater.install(net(first, second, l2));
        assertEquals(ref.params(), fused.params(), "same start");
        boolean allFused = true;
        for (int s = 0; s < steps; s++) {
            DataSet d = data(s);
            ref.fit(d);
            fused.fit(d);
            allFused &= ((FusedUpdater) fused.getUpdater()).lastFused;
            assertClose(ref.params(), fused.params(), "parameters after step " + (s + 1));
            assertClose(ref.getUpdater().getStateViewArray(), fused.getUpdater().getStateViewArray(),
                    "updater state after step " + (s + 1));
        }
        return allFused;
    }

    @Test
    void adamMatchesDl4jsUpdaterStepByStep() {
        assertTrue(sideBySide(new Adam(0.01), new Adam(0.003, 0.8, 0.99, 1e-6), 0, 25), "Adam blocks take the fused pass");
    }

    @Test
    void whatItDoesNotFuseRunsDl4jsCode() {
        assertFalse(sideBySide(new Adam(0.01), new Adam(0.01), 1e-3, 5), "L2 regularisation: DL4J's code");
        assertFalse(sideBySide(new RmsProp(0.01), new Adam(0.01), 0, 5), "an RMSprop block: DL4J's code");
    }

    @Test
    void installKeepsTheStateAndSavingRestoresIt(@TempDir Path dir) throws Exception {
        MultiLayerNetwork n = net(new Adam(0.01), new Adam(0.01), 0);
        n.fit(data(1)); // moments made by DL4J's own updater
        INDArray before = n.getUpdater().getStateViewArray().dup();
        FusedUpdater.install(n);
        assertInstanceOf(FusedUpdater.class, n.getUpdater());
        assertEquals(before, n.getUpdater().getStateViewArray(), "installing keeps the moments");
        assertEquals(n, FusedUpdater.install(n), "installing twice is harmless");
        n.fit(data(2));
        File f = dir.resolve("m.zip").toFile();
        ModelSerializer.writeModel(n, f, true);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(f, true);
        assertEquals(n.params(), back.params());
        assertEquals(n.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray(), "moments saved and restored");
    }
}
