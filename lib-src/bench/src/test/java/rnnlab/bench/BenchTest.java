package rnnlab.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTest {

    @Test
    void imdbModelsHaveTheKerasParameterCountsOfReports002And000() {
        // Report 002: Embedding(10000,32) + SimpleRNN(32) + Dense(1) = 322,113; report 000 with LSTM(32) = 328,353.
        MultiLayerNetwork rnn = Dl4jModels.imdbClassifier(Dl4jModels.Cell.SIMPLE_RNN, 10000, 32, 32, Dl4jModels.Engine.DEFAULT);
        MultiLayerNetwork lstm = Dl4jModels.imdbClassifier(Dl4jModels.Cell.LSTM, 10000, 32, 32, Dl4jModels.Engine.DEFAULT);
        assertEquals(322_113, Dl4jModels.paramCount(rnn));
        assertEquals(328_353, Dl4jModels.paramCount(lstm));
    }

    @Test
    void lenet5HasTheTorchParameterCountOfReport001() {
        // conv1 6*25+6, conv2 16*150+16, fc 576*120+120, 120*84+84, 84*10+10 = 82,826 (PyTorch counts the same).
        assertEquals(156 + 2416 + 69_240 + 10_164 + 850, Dl4jModels.paramCount(Dl4jModels.lenet5(Dl4jModels.Engine.DEFAULT)));
    }

    @Test
    void charRnnCasesTrainTheReport004CellsOnTheShippedNames() {
        // Tutorial RNN: i2h Linear(57+128, 128) + i2o Linear(57+128, 18) = 23,808 + 3,348 = 27,156 (torch counts the same).
        Path zip = Path.of("../../data/names/data.zip");
        Bench.Workload w = Bench.charRnn(rnnlab.charrnn.CharRnnModel.Cell.RNN, zip);
        assertEquals(27_156, w.params());
        assertEquals(Bench.CHAR_ITERS, w.samplesPerStep());
        assertTrue(w.flopsPerStep() > 0);
        w.step().run(); // one step of CHAR_ITERS names trains without error
        assertEquals(4 * 185 * 128 + 4 * 128 + 128 * 18 + 18,
                Bench.charRnn(rnnlab.charrnn.CharRnnModel.Cell.LSTM, zip).params());
    }

    @Test
    void loadAverageIsReadLikeUptime() {
        assertTrue(Bench.loadAverage().matches("[0-9.]+, [0-9.]+, [0-9.]+"), Bench.loadAverage());
    }

    @Test
    void timingTakesTheMedianAfterWarmup() {
        int[] calls = {0};
        Timing.Result r = Timing.measure(2, 3, () -> calls[0]++);
        assertEquals(5, calls[0]);
        assertEquals(3, r.millis().length);
        assertEquals(2.0, new Timing.Result(new double[]{5, 1, 2}).median());
        assertEquals(2.5, new Timing.Result(new double[]{4, 1, 2, 3}).median());
        assertThrows(IllegalArgumentException.class, () -> Timing.measure(0, 0, () -> { }));
        // A time-based warm-up keeps running a fast step until the time has passed, a slow one only `warmup` times.
        int[] fast = {0};
        long t0 = System.nanoTime();
        Timing.measure(1, 0.05, 2, () -> fast[0]++);
        assertTrue((System.nanoTime() - t0) / 1e9 >= 0.05 && fast[0] > 3, "fast steps warm up for 0.05 s: " + fast[0]);
        int[] slow = {0};
        Timing.measure(1, 0.01, 2, () -> {
            slow[0]++;
            long until = System.nanoTime() + 20_000_000L; // a 20 ms step (parkNanos may return early)
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        });
        assertEquals(3, slow[0], "a step slower than the warm-up time is warmed up once");
        assertThrows(IllegalArgumentException.class, () -> Timing.measure(1, -1, 1, () -> { }));
        assertTrue(Timing.peakRssKb() > 0, "VmHWM is readable on Linux");
    }

    @Test
    void timedSecondsKeepTimingFastStepsButNotSlowOnes() {
        // A 1 ms step with 0.05 s of timed steps: steps are timed until 0.05 s are reached (about 50 on an
        // idle machine; fewer when the machine is busy, which is why the count is not asserted), and every
        // step's timing is returned.
        Runnable ms1 = () -> {
            long until = System.nanoTime() + 1_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        };
        int[] calls = {0};
        Timing.Result fast = Timing.measure(0, 0, 3, 0.05, () -> {
            calls[0]++;
            ms1.run();
        });
        double total = java.util.Arrays.stream(fast.millis()).sum();
        assertEquals(calls[0], fast.millis().length, "every timed step is returned");
        assertTrue(fast.millis().length >= 3 && total >= 50, fast.millis().length + " timings, " + total + " ms");
        // A step longer than the timed seconds is timed `reps` times only.
        int[] slow = {0};
        Timing.Result r = Timing.measure(0, 0, 2, 0.001, () -> {
            slow[0]++;
            ms1.run();
            ms1.run();
        });
        assertEquals(2, r.millis().length);
        assertEquals(2, slow[0]);
        assertThrows(IllegalArgumentException.class, () -> Timing.measure(0, 0, 1, -0.5, () -> { }));
    }

    @Test
    void rnnFlopsCountBothGemmsOfEveryGateAndStep() {
        // LSTM(32) on 32-dim input, batch 128 x 500: 2 * 128 * 500 * 4*32 * (32+32).
        assertEquals(2.0 * 128 * 500 * 128 * 64, Bench.rnnForwardFlops(128, 500, 32, 32, 4));
    }

    @Test
    void optionsRejectUnknownCasesAndFlagsByName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("torch_bench.py"), "print('{}')");
        Bench.Options o = Bench.Options.parse(new String[]{"--quick", "--cases", "imdb_lstm,imdb_gru", "--script", script.toString()});
        assertTrue(o.quick());
        assertEquals(List.of("imdb_lstm", "imdb_gru"), o.cases());
        assertFalse(o.torchKeepDenormals(), "PyTorch flushes subnormals unless asked not to");
        assertTrue(Bench.Options.parse(new String[]{"--torch-keep-denormals", "--script", script.toString()}).torchKeepDenormals());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bench.Options.parse(new String[]{"--cases", "imdb_xyz", "--script", script.toString()}));
        assertTrue(e.getMessage().contains("imdb_xyz") && e.getMessage().contains("imdb_simplernn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Bench.Options.parse(new String[]{"--fast"}));
        assertTrue(e.getMessage().contains("--quick"), e.getMessage());
        // PyTorch runs under both OpenMP wait policies unless told otherwise; unknown ones are named.
        assertEquals(List.of("PASSIVE", "default"), o.torchWaitPolicies());
        assertEquals(List.of("ACTIVE"), Bench.Options.parse(new String[]{"--torch-wait-policies", "ACTIVE", "--script",
                script.toString()}).torchWaitPolicies());
        e = assertThrows(IllegalArgumentException.class,
                () -> Bench.Options.parse(new String[]{"--torch-wait-policies", "PASSIVE,spin", "--script", script.toString()}));
        assertTrue(e.getMessage().contains("'spin'") && e.getMessage().contains("default"), e.getMessage());
        assertEquals(1.0, o.timedSeconds());
        assertEquals(2, o.rounds(false), "--quick: two rounds per side");
        assertEquals(1, o.rounds(true), "a heavy case: one round");
        assertEquals(3, Bench.Options.parse(new String[]{"--script", script.toString()}).rounds(false));
    }
}
