package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.Layer.Bidirectional;
import rnnlab.nn.Layer.Dense;
import rnnlab.nn.Layer.Dropout;
import rnnlab.nn.Layer.Embedding;
import rnnlab.nn.Layer.GRU;
import rnnlab.nn.Layer.LSTM;
import rnnlab.nn.Layer.SimpleRNN;

/** Parameter counts and shapes equal to Keras's (numbers from the reports), summary layout, errors, save/load. */
class SequentialTest {

    private static List<Long> params(Model m) {
        return m.rows().stream().map(Model.Row::params).toList();
    }

    @Test
    void predictRunsInKerasBatchesAndGivesTheWholeBatchAnswer() {
        Model m = Classifiers.rowSequenceClassifier(TorchRecurrent.Cell.LSTM, 8, 16, 2, 0.3, 10).build();
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 75, 8, 8);   // 75 = 2 batches of 32 + 11
        INDArray whole = m.network().output(x, false);
        for (int batch : new int[] {32, 7, 75, 200}) {
            INDArray p = m.predict(x, batch);
            assertArrayEquals(whole.shape(), p.shape(), "batch " + batch);
            assertTrue(whole.equalsWithEps(p, 1e-5), "batch " + batch + " gives the whole-batch outputs");
        }
        assertArrayEquals(whole.argMax(1).toIntVector(), m.predictClasses(x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(x, 0));
        assertTrue(e.getMessage().contains("batch_size is 0"), e.getMessage());
    }

    @Test
    void report002SimpleRnnSummary() {
        Model m = Sequential.of(new Embedding(10000, 32), new SimpleRNN(32), new Dense(1, "sigmoid"))
                .compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
        assertEquals(List.of(320_000L, 2_080L, 33L), params(m));
        assertEquals(322_113L, m.countParams());
        assertEquals("(None, None, 32)", m.rows().get(0).outputShape().toString());
        assertEquals("(None, 32)", m.rows().get(1).outputShape().toString());
        assertEquals("(None, 1)", m.outputShape().toString());
        String expected = String.join("\n",
                "Model: \"sequential\"",
                "_________________________________________________________________",
                " Layer (type)                Output Shape              Param #   ",
                "=================================================================",
                " embedding (Embedding)       (None, None, 32)          320000    ",
                "                                                                 ",
                " simple_rnn (SimpleRNN)      (None, 32)                2080      ",
                "                                                                 ",
                " dense (Dense)               (None, 1)                 33        ",
                "                                                                 ",
                "=================================================================",
                "Total params: 322,113",
                "Trainable params: 322,113",
                "Non-trainable params: 0",
                "_________________________________________________________________", "");
        assertEquals(expected, m.summary());
    }

    @Test
    void report000LstmWithDropouts() {
        Model m = Sequential.of(new Embedding(10000, 32), new LSTM(32).dropout(0.2).recurrentDropout(0.2),
                new Dense(1, "sigmoid")).compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
        assertEquals(List.of(320_000L, 8_320L, 33L), params(m));
        assertEquals(328_353L, m.countParams());
        assertTrue(m.warnings().isEmpty(), "the fused LSTM applies recurrent_dropout: " + m.warnings());
        var lstm = (org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep) m.network().getLayerWiseConfigurations()
                .getConf(1).getLayer();
        var fused = (rnnlab.nn.dl4j.recurrent.FusedRecurrent) lstm.getUnderlying();
        assertEquals(0.2, fused.getRecurrentDropout(), "recurrent_dropout reaches the fused layer");
        assertEquals(new rnnlab.nn.dl4j.recurrent.TimeSharedDropout(0.2), fused.getIDropout(), "input dropout, one mask per sequence");

        // DL4J's own LSTM (the reference layers) cannot: one warning naming the argument, nothing else
        Model ref = Sequential.of(new Embedding(10000, 32), new LSTM(32).dropout(0.2).recurrentDropout(0.2),
                new Dense(1, "sigmoid")).referenceLayers(true).compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
        assertEquals(1, ref.warnings().size(), "reference LSTM: warned " + ref.warnings());
        assertTrue(ref.warnings().get(0).contains("recurrent_dropout=0.2") && ref.warnings().get(0).contains("IGNORED"),
                ref.warnings().get(0));
        assertEquals(328_353L, ref.countParams());
    }

    @Test
    void report003Summaries() {
        Model e = Sequential.of(new Embedding(100, 32, 400)).build();
        assertEquals("(None, 400, 32)", e.outputShape().toString());
        assertEquals(3_200L, e.countParams());
        assertEquals(List.of(3_200L), params(e));
        INDArray out = e.predict(Nd4j.zeros(DataType.INT32, 1, 400));
        assertArrayEquals(new long[] {1, 32, 400}, out.shape(), "DL4J layout [batch, features, time]");

        Model s = Sequential.of(new Embedding(10, 5, 6), new SimpleRNN(128), new Dense(5, "softmax"))
                .compile(Optimizer.rmsprop(), Loss.CATEGORICAL_CROSSENTROPY);
        assertEquals(List.of(50L, 17_152L, 645L), params(s));
        assertEquals(17_847L, s.countParams());
        assertEquals("(None, 6, 5)", s.rows().get(0).outputShape().toString());

        Model l = Sequential.of(new Embedding(10, 5, 6), new LSTM(128), new Dense(5, "softmax"))
                .compile(Optimizer.rmsprop(), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
        assertEquals(List.of(50L, 68_608L, 645L), params(l));
        assertEquals(69_303L, l.countParams());
        assertTrue(l.summary().contains(" lstm (LSTM) "));
    }

    @Test
    void gruBidirectionalAndStackedCounts() {
        // Keras GRU(64, reset_after=True) on 32 inputs: 3 * (64*32 + 64*64 + 2*64) = 18,816
        Model g = Sequential.of(new Embedding(4000, 32, 400), new GRU(64).dropout(0.3).recurrentDropout(0.2),
                new Dense(1, "sigmoid")).compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
        assertEquals(List.of(128_000L, 18_816L, 65L), params(g));
        assertTrue(g.warnings().isEmpty(), "GRU implements recurrent_dropout");

        Model b = Sequential.of(new Embedding(1000, 16), new Bidirectional(new LSTM(8).returnSequences(true)),
                new Bidirectional(new GRU(8)), new Dense(2, "softmax"))
                .compile(Optimizer.adam(), Loss.CATEGORICAL_CROSSENTROPY);
        // Keras: Bidirectional(LSTM(8)) on 16 = 2*4*8*(16+8+1) = 1,600; Bidirectional(GRU(8)) on 16 = 2*3*(8*16+64+16) = 1,248
        assertEquals(List.of(16_000L, 1_600L, 1_248L, 34L), params(b));
        assertEquals("(None, None, 16)", b.rows().get(1).outputShape().toString());
        assertEquals("(None, 16)", b.rows().get(2).outputShape().toString());
        assertEquals(List.of("embedding", "bidirectional", "bidirectional_1", "dense"), b.layerNames());
    }

    @Test
    void bidirectionalFinalStateIsBackwardLayersLastState() {
        // Keras Bidirectional(return_sequences=False): the backward half is the backward layer after reading
        // the whole (reversed) sequence, which equals the backward half of the full sequence output at t = 0.
        Model seq = Sequential.of(new Embedding(20, 4), new Bidirectional(new GRU(3).returnSequences(true))).seed(7).build();
        Model last = Sequential.of(new Embedding(20, 4), new Bidirectional(new GRU(3))).seed(7).build();
        last.network().setParams(seq.network().params());
        INDArray x = Nd4j.createFromArray(new int[][] {{1, 5, 7, 2, 9}, {3, 3, 0, 19, 4}}).castTo(DataType.FLOAT);
        INDArray full = seq.predict(x);   // [2, 6, 5]
        INDArray fin = last.predict(x);   // [2, 6]
        for (int i = 0; i < 2; i++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(full.getDouble(i, k, 4), fin.getDouble(i, k), 1e-6, "forward half = last step");
                assertEquals(full.getDouble(i, 3 + k, 0), fin.getDouble(i, 3 + k), 1e-6, "backward half = step 0");
            }
        }
    }

    /**
     * Gradient checks compare the updater's step with the numerical gradient, so they need SGD with
     * lr 1 on every parameter; torch-style RNN / LSTM stacks update their single bias at twice the
     * learning rate (torch's b_ih + b_hh), which would read as a doubled bias gradient.
     */
    static void plainBiasUpdaters(org.deeplearning4j.nn.multilayer.MultiLayerNetwork net) {
        for (var c : net.getLayerWiseConfigurations().getConfs()) {
            plainBiasUpdater(c.getLayer());
        }
    }

    private static void plainBiasUpdater(org.deeplearning4j.nn.conf.layers.Layer l) {
        if (l instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) {
            b.setBiasUpdater(null);
        } else if (l instanceof org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional b) {
            plainBiasUpdater(b.getFwd());
            plainBiasUpdater(b.getBwd());
        } else if (l instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) {
            plainBiasUpdater(w.getUnderlying());
        }
    }

    @Test
    void bidirectionalFinalStatesTrain() {
        // DL4J's Bidirectional(LastTimeStep) cannot backprop (rank-2 epsilon); the final states are picked
        // from the full sequence instead. Keras Bidirectional(return_sequences=False) and torch's
        // cat(h_n[-2], h_n[-1]) (report 001's text classifiers) must both fit, and their gradients must be right.
        INDArray x = Nd4j.createFromArray(new int[][] {{1, 5, 7, 2, 9}, {3, 3, 0, 19, 4}, {8, 1, 1, 2, 6}})
                .castTo(DataType.DOUBLE);
        INDArray y = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}});
        java.util.function.Function<Optimizer, List<Model>> models = opt -> List.of(
                Sequential.of(new Embedding(20, 4), new Bidirectional(new LSTM(3)), new Dense(1, "sigmoid"))
                        .seed(3).dataType(DataType.DOUBLE).compile(opt, Loss.BINARY_CROSSENTROPY),
                Classifiers.textClassifier(TorchRecurrent.Cell.RNN, 20, 4, 3, 2, true, 0.0, 1)
                        .seed(3).dataType(DataType.DOUBLE).compile(opt, Loss.BINARY_CROSSENTROPY));
        DataType before0 = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (Model m : models.apply(Optimizer.sgd(1.0))) {   // gradient checks need plain SGD, lr 1
                plainBiasUpdaters(m.network());
                assertTrue(org.deeplearning4j.gradientcheck.GradientCheckUtil.checkGradients(
                        new org.deeplearning4j.gradientcheck.GradientCheckUtil.MLNConfig().net(m.network()).input(x).labels(y)
                                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                                .print(org.deeplearning4j.gradientcheck.GradientCheckUtil.PrintMode.FAILURES_ONLY)),
                        m.name() + " gradients");
            }
        } finally {
            Nd4j.setDefaultDataTypes(before0, before0);
        }
        List<Model> trained = models.apply(Optimizer.adam(0.05));
        for (Model m : trained) {
            double before = m.network().score(new org.nd4j.linalg.dataset.DataSet(x, y));
            for (int i = 0; i < 30; i++) {
                m.network().fit(x, y);
            }
            assertTrue(m.network().score(new org.nd4j.linalg.dataset.DataSet(x, y)) < before, m.name() + " learns");
            assertArrayEquals(new long[] {3, 1}, m.predict(x).shape());
        }
        Model keras = trained.get(0);
        Model torch = trained.get(1);
        assertEquals("(None, 6)", keras.rows().get(1).outputShape().toString());
        assertEquals(4 * 20 + 2 * (3 * 4 + 3 * 3 + 3) + 2 * (3 * 6 + 3 * 3 + 3) + 7, torch.countParams());
    }

    @Test
    void badInputsNameTheLayer() {
        Model m = Sequential.of(new Embedding(100, 8, 10), new SimpleRNN(4), new Dense(1, "sigmoid"))
                .compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
        var tooBig = assertThrows(IllegalArgumentException.class, () -> m.checkInput(Nd4j.ones(2, 10).muli(100)));
        assertTrue(tooBig.getMessage().contains("'embedding'") && tooBig.getMessage().contains("input_dim=100"),
                tooBig.getMessage());
        var tooLong = assertThrows(IllegalArgumentException.class, () -> m.predict(Nd4j.zeros(2, 12)));
        assertTrue(tooLong.getMessage().contains("input_length=10") && tooLong.getMessage().contains("longer"),
                tooLong.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> m.predict(Nd4j.zeros(2, 3, 10)));
        assertTrue(rank.getMessage().contains("[batch, 10]"), rank.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> m.checkInput(Nd4j.ones(1, 10).negi()));
        assertTrue(negative.getMessage().contains("token ids must be in [0, 99]"), negative.getMessage());

        Model r = new Sequential().inputSequence(0, 32).add(new LSTM(8)).add(new Dense(10, "softmax"))
                .compile(Optimizer.adam(), Loss.CATEGORICAL_CROSSENTROPY);
        var layout = assertThrows(IllegalArgumentException.class, () -> r.predict(Nd4j.zeros(2, 28, 32)));
        assertTrue(layout.getMessage().contains("'lstm'") && layout.getMessage().contains("[batch, 32, time]"),
                layout.getMessage());

        var noInput = assertThrows(IllegalArgumentException.class, () -> Sequential.of(new LSTM(4)).build());
        assertTrue(noInput.getMessage().contains("inputSequence"), noInput.getMessage());
        var denseSeq = assertThrows(IllegalArgumentException.class, () -> Sequential.of(new Embedding(10, 4),
                new LSTM(4).returnSequences(true), new Dense(3), new Dense(1)).build());
        assertTrue(denseSeq.getMessage().contains("'dense'"), denseSeq.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dense(3, "swishy"));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
        assertThrows(IllegalArgumentException.class, () -> Loss.of("hinge-ish"));
    }

    @Test
    void saveLoadGivesIdenticalPredictions(@TempDir Path dir) {
        Model m = Sequential.of(new Embedding(50, 8), new GRU(6).dropout(0.2).recurrentDropout(0.1), new Dense(3, "softmax")).name("tiny")
                .compile(Optimizer.adam(0.01).clipNorm(1.0), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
        INDArray x = Nd4j.createFromArray(new int[][] {{1, 2, 3, 4}, {49, 0, 7, 7}, {5, 5, 5, 5}}).castTo(DataType.FLOAT);
        INDArray y = Nd4j.createFromArray(new float[][] {{0}, {2}, {1}});
        m.network().fit(x, y); // one step so the updater has state
        INDArray before = m.predict(x);
        Path f = dir.resolve("m.zip");
        m.save(f);
        Model back = Model.load(f);
        assertEquals(before, back.predict(x));
        assertEquals(m.summary(), back.summary());
        assertEquals("tiny", back.name());
        assertEquals(m.optimizer(), back.optimizer());
        assertEquals(Loss.SPARSE_CATEGORICAL_CROSSENTROPY, back.loss());
        assertArrayEquals(m.predictClasses(x), back.predictClasses(x));
        var missing = assertThrows(IllegalArgumentException.class, () -> Model.load(dir.resolve("nope.zip")));
        assertTrue(missing.getMessage().contains("nope.zip"));
    }

    @Test
    void learnsASeparableToyTask() {
        // label = 1 iff token 1 occurs in the sequence; tokens 2..9 are noise
        Nd4j.getRandom().setSeed(3);
        int n = 256, t = 8;
        INDArray x = Nd4j.create(DataType.FLOAT, n, t);
        INDArray y = Nd4j.create(DataType.FLOAT, n, 1);
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < n; i++) {
            boolean pos = i % 2 == 0;
            for (int j = 0; j < t; j++) {
                x.putScalar(i, j, 2 + rnd.nextInt(8));
            }
            if (pos) {
                x.putScalar(i, rnd.nextInt(t), 1);
            }
            y.putScalar(i, 0, pos ? 1 : 0);
        }
        for (Layer rnn : List.of(new GRU(8), new LSTM(8), new SimpleRNN(8))) {
            Model m = Sequential.of(new Embedding(10, 8), rnn, new Dense(1, "sigmoid")).seed(1)
                    .compile(Optimizer.adam(0.02), Loss.BINARY_CROSSENTROPY);
            for (int epoch = 0; epoch < 60; epoch++) {
                m.network().fit(x, y);
            }
            int[] pred = m.predictClasses(x);
            int correct = 0;
            for (int i = 0; i < n; i++) {
                correct += pred[i] == (int) y.getDouble(i, 0) ? 1 : 0;
            }
            double acc = correct / (double) n;
            assertTrue(acc > 0.95, rnn.kerasType() + " accuracy " + acc);
        }
    }
}
