package rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class TrainerTest {

    @org.junit.jupiter.api.BeforeAll
    static void oneThread() {
        // The networks are tiny: thread hand-offs cost more than they save on a busy machine.
        Nd4j.getEnvironment().setMaxThreads(1);
    }

    private static final PrintStream SILENT = new PrintStream(java.io.OutputStream.nullOutputStream());

    private static FitOptions.Builder quiet() {
        return FitOptions.builder().verbose(0).seed(7);
    }

    @Test
    void learnsSeparableBinaryTaskWithKerasColumns() {
        int[] y = new int[400];
        INDArray x = Nets.blobs(400, 2, 1, y);
        MultiLayerNetwork net = Nets.binary(1);
        History h = Trainer.fit(net, x, y, quiet().epochs(15).batchSize(32).validationSplit(0.2).build());
        assertEquals(15, h.epochs());
        assertTrue(h.last("val_accuracy") > 0.95, h.toString());
        assertTrue(h.last("accuracy") > 0.95, h.toString());
        assertTrue(h.loss().get(14) < h.loss().get(0), "loss should fall: " + h.loss());
        assertEquals(List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "precision", "recall", "f1",
                "val_precision", "val_recall", "val_f1", "seconds"), h.toTable().columnNames());
        assertEquals(15, h.toTable().rowCount());
        assertTrue(h.mimeBundle().get("text/html").contains("<th>val_accuracy</th>"));
        Scores s = Trainer.evaluate(net, x, y);
        assertTrue(s.accuracy() > 0.95);
        assertEquals(List.of("loss", "accuracy", "precision", "recall", "f1"), List.copyOf(s.values().keySet()));
        int[] classes = Trainer.predictClasses(net, x);
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += classes[i] == y[i] ? 1 : 0;
        }
        assertEquals(s.accuracy(), correct / 400.0, 1e-12);
        assertArrayEquals(new long[]{400, 1}, Trainer.predict(net, x, 7).shape());
    }

    @Test
    void learnsThreeClassesFromIntLabelsAndOneHotAlike() {
        int[] y = new int[300];
        INDArray x = Nets.blobs(300, 3, 2, y);
        History h = Trainer.fit(Nets.categorical(3, 3), x, y, quiet().epochs(10).build());
        assertTrue(h.last("accuracy") > 0.9, h.toString());
        assertEquals(List.of("epoch", "loss", "accuracy", "seconds"), h.toTable().columnNames());
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, 300, 3);
        for (int i = 0; i < 300; i++) {
            oneHot.putScalar(i, y[i], 1);
        }
        History h2 = Trainer.fit(Nets.categorical(3, 3), x, oneHot, quiet().epochs(10).build());
        assertEquals(h.loss(), h2.loss());
        assertEquals(h.accuracy(), h2.accuracy());
        // Separate validation data with int labels.
        int[] yv = new int[60];
        INDArray xv = Nets.blobs(60, 3, 22, yv);
        MultiLayerNetwork net = Nets.categorical(3, 3);
        History hv = Trainer.fit(net, x, y, quiet().epochs(2).validationData(xv, yv).build());
        assertEquals(Trainer.evaluate(net, xv, yv).accuracy(), hv.last("val_accuracy"), 0.0);
    }

    @Test
    void epochMetricsAreMeasuredBeforeEachUpdateLikeKeras() {
        int[] y = new int[64];
        INDArray x = Nets.blobs(64, 2, 3, y);
        MultiLayerNetwork net = Nets.binary(5);
        MultiLayerNetwork before = net.clone();
        INDArray labels = Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(64, 1);
        // One batch holding all samples, no shuffle: the epoch's loss and accuracy are those of the
        // network before its single update.
        History h = Trainer.fit(net, x, y, quiet().epochs(1).batchSize(64).shuffle(false).build());
        assertEquals(before.score(new DataSet(x, labels), true), h.loss().get(0), 1e-6);
        int[] pred = Trainer.predictClasses(before, x);
        int correct = 0;
        for (int i = 0; i < 64; i++) {
            correct += pred[i] == y[i] ? 1 : 0;
        }
        assertEquals(correct / 64.0, h.accuracy().get(0), 1e-12);
        assertNotEquals(before.params(), net.params());
    }

    @Test
    void evaluateLossEqualsDl4jScoreOverAllSamples() {
        int[] y = new int[100];
        INDArray x = Nets.blobs(100, 3, 4, y);
        MultiLayerNetwork net = Nets.categorical(9, 3);
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, 100, 3);
        for (int i = 0; i < 100; i++) {
            oneHot.putScalar(i, y[i], 1);
        }
        double dl4j = net.score(new DataSet(x, oneHot), false);
        assertEquals(dl4j, Trainer.evaluate(net, x, y, 32).loss(), 1e-5);
        assertEquals(dl4j, Trainer.evaluate(net, x, y, 100).loss(), 1e-6);
    }

    /**
     * Scoring the validation data between epochs must not touch the training: the same run with and
     * without validation data ends with bit-identical parameters and optimiser state. (It did not:
     * {@code MultiLayerNetwork.clear()} after scoring dropped DL4J's Solver and with it the Adam
     * moments, so every epoch restarted Adam from zero moments at a late iteration count, without
     * bias correction: steps several times too large, which drove report 001's tanh RNN off course.)
     */
    @Test
    void validationBetweenEpochsKeepsTheOptimizerState() {
        int[] y = new int[96];
        INDArray x = Nets.blobs(96, 3, 12, y);
        int[] yVal = new int[40];
        INDArray xVal = Nets.blobs(40, 3, 13, yVal);
        MultiLayerNetwork plain = Nets.categorical(17, 3);
        MultiLayerNetwork validated = Nets.categorical(17, 3);
        History a = Trainer.fit(plain, x, y, quiet().epochs(3).batchSize(16).build());
        History b = Trainer.fit(validated, x, y, quiet().epochs(3).batchSize(16).validationData(xVal, yVal).build());
        assertEquals(a.loss(), b.loss(), "validation changed the training losses");
        assertEquals(plain.params(), validated.params());
        assertEquals(plain.getUpdater().getStateViewArray(), validated.getUpdater().getStateViewArray());
    }

    /** Keras keeps the optimizer between {@code fit} calls, and {@code evaluate} in between does not reset it. */
    @Test
    void evaluateBetweenFitsKeepsTheOptimizerState() {
        int[] y = new int[64];
        INDArray x = Nets.blobs(64, 3, 14, y);
        MultiLayerNetwork once = Nets.categorical(19, 3);
        MultiLayerNetwork evaluated = Nets.categorical(19, 3);
        FitOptions o = quiet().epochs(1).batchSize(16).build();
        Trainer.fit(once, x, y, o);
        Trainer.fit(evaluated, x, y, o);
        INDArray state = evaluated.getUpdater().getStateViewArray().dup();
        Trainer.evaluate(evaluated, x, y);
        assertEquals(state, evaluated.getUpdater().getStateViewArray(), "evaluate reset the Adam moments");
        Trainer.fit(once, x, y, o);
        Trainer.fit(evaluated, x, y, o);
        assertEquals(once.params(), evaluated.params());
    }

    @Test
    void validationSplitHoldsOutTheLastFractionBeforeShuffling() {
        int n = 103;
        int[] y = new int[n];
        INDArray x = Nets.blobs(n, 2, 5, y);
        MultiLayerNetwork net = Nets.binary(11);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        History h = Trainer.fit(net, x, y, FitOptions.builder().verbose(2).seed(3).epochs(1).batchSize(32)
                .validationSplit(0.2).out(new PrintStream(buf, true, StandardCharsets.UTF_8)).build());
        // floor(103 * 0.8) = 82 training samples → 3 steps of 32; the last 21 samples validate.
        String printed = buf.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("\n3/3 - "), printed);
        INDArray xVal = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(82, 103), org.nd4j.linalg.indexing.NDArrayIndex.all());
        int[] yVal = java.util.Arrays.copyOfRange(y, 82, 103);
        Scores s = Trainer.evaluate(net, xVal, Nd4j.createFromArray(yVal).castTo(DataType.FLOAT).reshape(21, 1), 32);
        assertEquals(s.loss(), h.valLoss().get(0), 0.0);
        assertEquals(s.accuracy(), h.valAccuracy().get(0), 0.0);
        assertEquals(s.get("f1"), h.valF1().get(0), 0.0);
    }

    @Test
    void sameSeedGivesTheSameHistoryToTheLastDigit() {
        int[] y = new int[200];
        INDArray x = Nets.blobs(200, 2, 6, y);
        FitOptions o = quiet().seed(1234).epochs(4).batchSize(16).validationSplit(0.25).build();
        // Dropout (retain 0.8) makes the run depend on ND4J's random generator as well as the shuffle.
        History a = Trainer.fit(Nets.binary(21, new Adam(0.01), 0.8), x, y, o);
        History b = Trainer.fit(Nets.binary(21, new Adam(0.01), 0.8), x, y, o);
        for (String m : a.metricNames()) {
            assertEquals(a.get(m), b.get(m), m);
        }
        assertEquals(1234, a.seed());
        History c = Trainer.fit(Nets.binary(21, new Adam(0.01), 0.8), x, y, o.toBuilder().seed(99).build());
        assertNotEquals(a.loss(), c.loss());
    }

    @Test
    void nonFiniteLossStopsWithEpochBatchAndClippingAdvice() {
        int[] y = new int[64];
        INDArray x = Nets.blobs(64, 2, 8, y);
        // Identity output + squared error + SGD step 1.0 on inputs of size ~2: each step multiplies the
        // error by ~7, so the weights overflow float after some epochs.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Sgd(1.0)).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        History.Recorder recorder = new History.Recorder();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.fit(net, x, y, quiet().epochs(50).batchSize(16).callbacks(recorder).build()));
        assertTrue(e.getMessage().contains("epoch " + e.epoch() + "/50, batch " + e.batch() + "/4"), e.getMessage());
        assertTrue(e.getMessage().contains("gradientNormalization") && e.getMessage().contains("learning rate"), e.getMessage());
        assertTrue(e.epoch() > 1, "the test wants at least one completed epoch; diverged at " + e.epoch());
        assertEquals(e.epoch() - 1, e.history().epochs());
        assertEquals(e.history().loss(), recorder.history().loss(), "a user's History callback holds the same epochs");
    }

    @Test
    void interruptStopsAtTheNextBatchAndKeepsCompletedEpochs() {
        int[] y = new int[80];
        INDArray x = Nets.blobs(80, 2, 9, y);
        MultiLayerNetwork net = Nets.binary(13);
        // 80 samples / batch 8 = 10 steps per epoch; interrupt this thread after the 25th step, i.e.
        // in epoch 3 (as Jupyter's stop button interrupts the cell's thread).
        net.setListeners(new BaseTrainingListener() {
            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                if (iteration == 24) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        History h;
        History.Recorder recorder = new History.Recorder();
        try {
            h = Trainer.fit(net, x, y, FitOptions.builder().seed(1).epochs(10).batchSize(8).verbose(2).callbacks(recorder)
                    .out(new PrintStream(buf, true, StandardCharsets.UTF_8)).build());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is left set");
        } finally {
            Thread.interrupted();
        }
        assertTrue(h.interrupted());
        assertEquals(2, h.epochs());
        assertTrue(recorder.history().interrupted());
        assertEquals(h.loss(), recorder.history().loss());
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("Interrupted in epoch 3 at batch 6/10"), buf.toString());
        assertEquals(1, net.getListeners().size(), "the trainer removes its own listener");
    }

    @Test
    void earlyStoppingFollowsKerasPatienceRule() {
        int[] y = new int[40];
        INDArray x = Nets.blobs(40, 2, 10, y);
        // Learning rate 0 and no shuffling: the loss stays exactly the same; patience 0 stops at epoch 2.
        MultiLayerNetwork net = Nets.binary(1, new Sgd(0.0), 1.0);
        History h = Trainer.fit(net, x, y, quiet().epochs(10).shuffle(false).earlyStopping(EarlyStopping.on("loss")).build());
        assertEquals(2, h.epochs());
        assertTrue(h.stoppedEarly());
        History h3 = Trainer.fit(Nets.binary(1, new Sgd(0.0), 1.0), x, y,
                quiet().epochs(10).shuffle(false).earlyStopping(EarlyStopping.on("loss").withPatience(3)).build());
        assertEquals(4, h3.epochs());
    }

    @Test
    void restoreBestPutsBackTheBestValidationEpoch() {
        int[] y = new int[120];
        INDArray x = Nets.blobs(120, 2, 12, y);
        // Noisy labels and a large step make val_accuracy move around.
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < y.length; i++) {
            if (r.nextDouble() < 0.3) {
                y[i] = 1 - y[i];
            }
        }
        MultiLayerNetwork net = Nets.binary(17, new Adam(0.5), 1.0);
        History h = Trainer.fit(net, x, y, quiet().epochs(8).batchSize(8).validationSplit(0.3).restoreBest(true).build());
        INDArray xVal = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(84, 120), org.nd4j.linalg.indexing.NDArrayIndex.all());
        int[] yVal = java.util.Arrays.copyOfRange(y, 84, 120);
        assertEquals(h.best("val_accuracy"), Trainer.evaluate(net, xVal, yVal).accuracy(), 0.0);
    }

    @Test
    void checkpointFileHoldsTheBestEpoch(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int[] y = new int[60];
        INDArray x = Nets.blobs(60, 2, 15, y);
        java.nio.file.Path file = dir.resolve("best/model.zip");
        MultiLayerNetwork net = Nets.binary(19, new Adam(0.5), 1.0);
        History h = Trainer.fit(net, x, y, quiet().epochs(5).batchSize(8).validationSplit(0.5)
                .checkpoint(ModelCheckpoint.toFile(file, "val_loss")).build());
        MultiLayerNetwork saved = org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(file.toFile());
        INDArray xVal = x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(30, 60), org.nd4j.linalg.indexing.NDArrayIndex.all());
        int[] yVal = java.util.Arrays.copyOfRange(y, 30, 60);
        assertEquals(h.best("val_loss"), Trainer.evaluate(saved, xVal, yVal).loss(), 1e-6);
    }

    @Test
    void badInputsGiveClearMessages() {
        int[] y = new int[50];
        INDArray x = Nets.blobs(50, 2, 13, y);
        MultiLayerNetwork bin = Nets.binary(1);
        FitOptions o = quiet().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(bin, x, java.util.Arrays.copyOf(y, 49), o));
        assertTrue(e.getMessage().startsWith("y has 49 labels but the inputs have 50 samples"), e.getMessage());
        int[] bad = y.clone();
        bad[7] = 2;
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(bin, x, bad, o));
        assertTrue(e.getMessage().contains("y[7] = 2.0 is outside the classes {0, 1}"), e.getMessage());
        int[] bad3 = y.clone();
        bad3[3] = 5;
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(Nets.categorical(1, 3), x, bad3, o));
        assertTrue(e.getMessage().contains("y[3] = 5.0 is outside the classes 0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(bin, x, y,
                quiet().earlyStopping(EarlyStopping.on("val_acc")).build()));
        assertTrue(e.getMessage().contains("'val_acc'") && e.getMessage().contains("no validation data"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(bin, x, y, quiet().restoreBest(true).build()));
        assertTrue(e.getMessage().contains("val_accuracy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(bin, Nd4j.zeros(DataType.FLOAT, 50, 3), y, o));
        assertTrue(e.getMessage().startsWith("x: the network rejected a batch of shape [32, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(bin, x.get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1), org.nd4j.linalg.indexing.NDArrayIndex.all()),
                new int[]{1}, quiet().validationSplit(0.5).build()));
        assertTrue(e.getMessage().contains("not enough to split"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().validationSplit(1.0).build());
        assertTrue(e.getMessage().startsWith("validationSplit must be in [0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().epochs(0).build());
        assertTrue(e.getMessage().startsWith("epochs must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(null, x, y, o));
        assertTrue(e.getMessage().startsWith("net is null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(bin, x, y, quiet().validationSplit(0.2).build()).get("val_acc"));
        assertTrue(e.getMessage().contains("'accuracy' and 'val_accuracy'"), e.getMessage());
    }

    @Test
    void printsKerasLinesAndNothingWhenSilent() {
        int[] y = new int[64];
        INDArray x = Nets.blobs(64, 2, 14, y);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Trainer.fit(Nets.binary(1), x, y, FitOptions.builder().epochs(2).batchSize(16).validationSplit(0.25).verbose(2)
                .seed(1).out(new PrintStream(buf, true, StandardCharsets.UTF_8)).build());
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals("Epoch 1/2", lines[0]);
        // compile(metrics=['accuracy']) (the default): loss and accuracy and their val_ versions, nothing else
        Pattern line = Pattern.compile("3/3 - \\d+s - \\d+(us|ms|s)/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4}"
                + " - val_loss: \\d\\.\\d{4} - val_accuracy: \\d\\.\\d{4}");
        assertTrue(line.matcher(lines[1]).matches(), lines[1]);
        assertEquals("Epoch 2/2", lines[2]);
        assertEquals(4, lines.length, String.join("\n", lines));   // two epochs, two lines each, no extra message
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        Trainer.fit(Nets.binary(1), x, y, FitOptions.builder().epochs(1).batchSize(16).verbose(1)
                .seed(1).out(new PrintStream(bar, true, StandardCharsets.UTF_8)).build());
        assertTrue(bar.toString(StandardCharsets.UTF_8).matches(
                "(?s)Epoch 1/1\n\r4/4 \\[==============================\\] - \\d+s \\d+(us|ms|s)/step - loss: .*\n"), bar.toString());
        ByteArrayOutputStream none = new ByteArrayOutputStream();
        Trainer.fit(Nets.binary(1), x, y, quiet().out(new PrintStream(none)).build());
        assertEquals(0, none.size());
    }

    @Test
    void logPrintsTheRequestedMetricsOnlyAndHistoryKeepsAll() {
        int[] y = new int[64];
        INDArray x = Nets.blobs(64, 2, 14, y);
        ByteArrayOutputStream acc = new ByteArrayOutputStream();
        History h = Trainer.fit(Nets.binary(1), x, y, FitOptions.builder().epochs(1).batchSize(16).validationSplit(0.25)
                .verbose(2).metrics("acc").seed(1).out(new PrintStream(acc, true, StandardCharsets.UTF_8)).build());
        String[] lines = acc.toString(StandardCharsets.UTF_8).split("\n");
        assertTrue(Pattern.compile("3/3 - \\d+s - \\d+(us|ms|s)/step - loss: \\d\\.\\d{4} - acc: \\d\\.\\d{4}"
                + " - val_loss: \\d\\.\\d{4} - val_acc: \\d\\.\\d{4}").matcher(lines[1]).matches(), lines[1]);
        assertTrue(h.has("val_f1") && h.has("precision"), "the History records every metric: " + h.metricNames());

        ByteArrayOutputStream all = new ByteArrayOutputStream();
        Trainer.fit(Nets.binary(1), x, y, FitOptions.builder().epochs(1).batchSize(16).validationSplit(0.25).verbose(2)
                .metrics("accuracy", "precision", "recall", "f1").seed(1)
                .out(new PrintStream(all, true, StandardCharsets.UTF_8)).build());
        String full = all.toString(StandardCharsets.UTF_8).split("\n")[1];
        assertTrue(Pattern.compile("3/3 - \\d+s - \\d+(us|ms|s)/step - loss: \\d\\.\\d{4} - accuracy: \\d\\.\\d{4}"
                + " - precision: \\d\\.\\d{4} - recall: \\d\\.\\d{4} - f1: \\d\\.\\d{4} - val_loss: \\d\\.\\d{4}"
                + " - val_accuracy: \\d\\.\\d{4} - val_precision: \\d\\.\\d{4} - val_recall: \\d\\.\\d{4}"
                + " - val_f1: \\d\\.\\d{4}").matcher(full).matches(), full);

        ByteArrayOutputStream lossOnly = new ByteArrayOutputStream();
        Trainer.fit(Nets.binary(1), x, y, FitOptions.builder().epochs(1).batchSize(16).verbose(2).metrics().seed(1)
                .out(new PrintStream(lossOnly, true, StandardCharsets.UTF_8)).build());
        String l = lossOnly.toString(StandardCharsets.UTF_8).split("\n")[1];
        assertTrue(l.matches("4/4 - \\d+s - \\d+(us|ms|s)/step - loss: \\d\\.\\d{4}"), l);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().metrics("auc").build());
        assertTrue(e.getMessage().contains("'auc'") && e.getMessage().contains("allowed: acc, accuracy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitOptions.builder().metrics("acc", "accuracy").build());
        assertTrue(e.getMessage().contains("not both"), e.getMessage());
        assertEquals(List.of("f1"), FitOptions.builder().metrics("f1").build().toBuilder().build().metrics());
    }

    @Test
    void progressShowsRequestedMetricsInKerasOrderAndSaysWhichItCannot() {
        Map<String, Double> logs = new LinkedHashMap<>();
        for (String k : List.of("loss", "accuracy", "val_loss", "val_accuracy")) {
            logs.put(k, 0.5);
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), 2, 3, List.of("f1", "acc"));
        assertEquals(List.of("loss", "acc", "val_loss", "val_acc"), List.copyOf(p.shown(logs).keySet()));
        p.epochEnd(logs, 1.0);
        p.epochEnd(logs, 1.0);
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.split("not printed: f1", -1).length - 1, text);
    }

    @Test
    void gathersRowsOfHigherRankArrays() {
        INDArray a = Nd4j.arange(24).castTo(DataType.FLOAT).reshape(4, 2, 3);
        INDArray r = Trainer.rows(a, new int[]{2, 0});
        assertArrayEquals(new long[]{2, 2, 3}, r.shape());
        assertEquals(a.slice(2), r.slice(0));
        assertEquals(a.slice(0), r.slice(1));
        assertFalse(SILENT.checkError());
    }

    @Test
    void progressBarAndTimeFormatsFollowKeras() {
        Progress p = new Progress(SILENT, 1, 157);
        assertEquals(" 45/157 [=======>......................]", p.bar(45));
        assertEquals("157/157 [==============================]", p.bar(157));
        assertEquals("76ms/step", Progress.perStep(0.0762));
        assertEquals("1:05", Progress.eta(65));
        assertEquals("8s", Progress.eta(8.4));
    }

    @Test
    void sparseCategoricalCrossentropyTrainsOnClassIdsLikeCategoricalOnOneHot() {
        int[] y = new int[300];
        INDArray x = Nets.blobs(300, 3, 2, y);
        FitOptions opts = quiet().epochs(8).batchSize(32).validationSplit(0.2).build();
        History sparse = Trainer.fit(Nets.sparse(3, 3), x, y, opts);
        assertTrue(sparse.last("accuracy") > 0.9 && sparse.last("val_accuracy") > 0.9, sparse.toString());
        assertEquals(List.of("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds"),
                sparse.toTable().columnNames());

        // Keras: sparse_categorical_crossentropy on ids = categorical_crossentropy on one-hot rows, same
        // weights and seed -> the same run (losses to float rounding, accuracies exactly)
        History categorical = Trainer.fit(Nets.categorical(3, 3), x, y, opts);
        for (String m : List.of("loss", "val_loss")) {
            for (int e = 0; e < 8; e++) {
                assertEquals(categorical.get(m).get(e), sparse.get(m).get(e), 1e-5, m + " epoch " + (e + 1));
            }
        }
        assertEquals(categorical.get("accuracy"), sparse.get("accuracy"));
        assertEquals(categorical.get("val_accuracy"), sparse.get("val_accuracy"));

        // the same ids as long[], as an INT64 [N] vector and as a FLOAT [N,1] column: the same History
        long[] ids = java.util.Arrays.stream(y).asLongStream().toArray();
        INDArray column = Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(300, 1);
        for (History h : List.of(Trainer.fit(Nets.sparse(3, 3), x, ids, opts),
                Trainer.fit(Nets.sparse(3, 3), x, Nd4j.createFromArray(ids), opts),
                Trainer.fit(Nets.sparse(3, 3), x, column, opts))) {
            assertEquals(sparse.get("loss"), h.get("loss"));
            assertEquals(sparse.get("val_accuracy"), h.get("val_accuracy"));
        }

        MultiLayerNetwork net = Nets.sparse(3, 3);
        Trainer.fit(net, x, y, quiet().epochs(8).build());
        Scores s = Trainer.evaluate(net, x, ids);
        int[] predicted = Trainer.predictClasses(net, x);
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += predicted[i] == y[i] ? 1 : 0;
        }
        assertEquals(correct / 300.0, s.accuracy(), 1e-12, "sparse accuracy: argmax equals the id");
        assertTrue(s.accuracy() > 0.9, s.toString());
        History withVal = Trainer.fit(Nets.sparse(3, 3), x, y,
                quiet().epochs(2).validationData(x, ids).build());
        assertEquals(2, withVal.get("val_accuracy").size());
    }

    @Test
    void sparseLabelsOutsideTheClassesOrNotIntegersAreRejectedByName() {
        MultiLayerNetwork net = Nets.sparse(1, 3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 2);
        FitOptions o = FitOptions.builder().verbose(0).build();
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, x, new int[]{0, 1, 2, 3, 1, 2}, o));
        assertTrue(e.getMessage().contains("y[3] = 3.0 is outside the classes 0..2")
                && e.getMessage().contains("integers in [0, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, x, new long[]{0, -1, 2, 0, 1, 2}, o));
        assertTrue(e.getMessage().contains("y[1] = -1.0 is outside the classes 0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.fit(net, x, Nd4j.createFromArray(0, 1.5, 2, 0, 1, 2), o));
        assertTrue(e.getMessage().contains("y[1] = 1.5 is not an integer class id")
                && e.getMessage().contains("integers in [0, 3)"), e.getMessage());
        INDArray oneHot = Nd4j.eye(3).castTo(DataType.FLOAT).repeat(0, 2);
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, x, oneHot, o));
        assertTrue(e.getMessage().contains("y has shape [6, 3]") && e.getMessage().contains("sparse_categorical_crossentropy")
                && e.getMessage().contains("[0, 3)") && e.getMessage().contains("categorical_crossentropy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(net, x, new int[]{0, 1, 2, 0, 1, 2},
                FitOptions.builder().verbose(0).validationData(x, new int[]{0, 1, 2, 0, 7, 2}).build()));
        assertTrue(e.getMessage().contains("validationY[4] = 7.0 is outside the classes 0..2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.evaluate(net, x, new int[]{0, 1, 2, 0, 1, 9}));
        assertTrue(e.getMessage().contains("y[5] = 9.0"), e.getMessage());

        // DL4J's own check refuses one softmax output; with that check off, Trainer names the problem
        MultiLayerNetwork one = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Sgd(0.1))
                .list().layer(new OutputLayer.Builder(new org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT())
                        .nIn(2).nOut(1).activation(Activation.SOFTMAX).build()).validateOutputLayerConfig(false).build());
        one.init();
        e = assertThrows(IllegalArgumentException.class, () -> Trainer.fit(one, x, new int[6], o));
        assertTrue(e.getMessage().contains("sparse_categorical_crossentropy") && e.getMessage().contains("single output"),
                e.getMessage());
    }
}
