package rnnlab.train;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.Layer;
import rnnlab.nn.Loss;
import rnnlab.nn.Optimizer;
import rnnlab.nn.Sequential;

/**
 * Where does {@link Trainer#fit} spend time beyond {@code MultiLayerNetwork.fit}? A benchmark main
 * (not a test: it prints numbers and asserts nothing). On the report-000 model (Embedding(10000, 32)
 * → LSTM(32) → Dense(1, sigmoid), RMSprop, batch 128) it times one epoch of S steps per variant,
 * the variants interleaved round by round so that they see the same machine load, and prints the
 * median seconds per step and each variant's ratio to the bare DL4J loop:
 * <ul>
 *   <li>{@code dl4j}: {@code net.fit(DataSet)} on batches sliced beforehand (no listeners);</li>
 *   <li>{@code +gather}: the same, each batch gathered by the shuffled indices as Trainer does;</li>
 *   <li>{@code +capture}: and the listener that scores the training forward pass (OutputCapture);</li>
 *   <li>{@code +score}: and {@code net.score()} plus the metric bookkeeping per batch;</li>
 *   <li>{@code trainer v0} / {@code trainer v1}: {@code Trainer.fit}, one epoch, silent / with the
 *       Keras progress bar (printed to a null stream);</li>
 *   <li>{@code trainer v0 val}: with {@code validationSplit(0.2)}: the epoch time (training steps
 *       plus the validation pass) per training step — what a per-step figure from epoch times shows.</li>
 * </ul>
 * Run: {@code mvn -B -q -o test-compile -pl lib-src/bench -am} then
 * {@code java -cp lib-src/bench/target/test-classes:lib-src/target/classes:lib-src/target/lib/* rnnlab.train.TrainerOverheadBench [steps] [rounds] [timesteps] [dropout]}.
 * It lives in the bench module's test sources but in package {@code rnnlab.train}, as a white-box test
 * would: it times Trainer's package-private pieces ({@code OutputCapture}, {@code MetricAccumulator},
 * {@code Task}, {@code Trainer.rows}), which the library does not make public for it.
 * It ends with the History of a seeded {@code Trainer.fit}, to compare before and after a change.
 *
 * <p>Measured (one run, 6 steps × 500 time steps, dropouts 0.2, 5 rounds, OMP_NUM_THREADS=1, load
 * average 5.5 on 2 cores): CPU time per step relative to {@code dl4j}: +gather 0.98, +capture 0.98,
 * +score 1.03, trainer v0 0.95, trainer v1 0.97, trainer v0 val 1.01 — no per-batch overhead above
 * the ±5 % round-to-round spread, while the WALL time per step of the same variants ranged 0.53–0.72 s
 * (0.68 s for {@code dl4j}) from the machine's load alone. A Trainer-vs-DL4J gap seen in separate,
 * wall-clock runs on this shared machine is load, not Trainer.
 */
public final class TrainerOverheadBench {

    private TrainerOverheadBench() {
    }

    private static final PrintStream NULL = new PrintStream(OutputStream.nullOutputStream());

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int timesteps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        double dropout = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        int batch = 128;
        int n = steps * batch;
        Random r = new Random(1);
        float[][] tokens = new float[n][timesteps];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            for (int t = 0; t < timesteps; t++) {
                tokens[i][t] = 1 + r.nextInt(9999);
            }
        }
        INDArray x = Nd4j.createFromArray(tokens);
        INDArray y = Nd4j.createFromArray(labels).castTo(DataType.FLOAT).reshape(n, 1);
        // validation variant: the same training steps plus 20 % more samples held out
        int nv = n + n / 4;
        INDArray xv = Nd4j.concat(0, x, x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n / 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all()));
        INDArray yv = Nd4j.concat(0, y, y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n / 4),
                org.nd4j.linalg.indexing.NDArrayIndex.all()));

        MultiLayerNetwork net = model(dropout).network();
        List<DataSet> sliced = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            sliced.add(new DataSet(Trainer.rowRange(x, (long) s * batch, (long) (s + 1) * batch),
                    Trainer.rowRange(y, (long) s * batch, (long) (s + 1) * batch)));
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Task task = Task.of(net);

        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("dl4j", () -> {
            for (DataSet d : sliced) {
                net.fit(d);
            }
        });
        variants.put("+gather", () -> {
            shuffle(order, r);
            for (int s = 0; s < steps; s++) {
                int[] idx = Arrays.copyOfRange(order, s * batch, (s + 1) * batch);
                net.fit(new DataSet(Trainer.rows(x, idx), Trainer.rows(y, idx)));
            }
        });
        variants.put("+capture", () -> loop(net, x, y, order, r, steps, batch, task, false));
        variants.put("+score", () -> loop(net, x, y, order, r, steps, batch, task, true));
        variants.put("trainer v0", () -> Trainer.fit(net, x, y, FitOptions.builder().epochs(1).batchSize(batch)
                .verbose(0).seed(3).build()));
        variants.put("trainer v1", () -> Trainer.fit(net, x, y, FitOptions.builder().epochs(1).batchSize(batch)
                .verbose(1).out(NULL).seed(3).build()));
        variants.put("trainer v0 val", () -> Trainer.fit(net, xv, yv, FitOptions.builder().epochs(1).batchSize(batch)
                .verbose(0).validationSplit(0.2).seed(3).build()));

        System.out.printf(Locale.ROOT, "TrainerOverheadBench: %d steps of batch %d x %d time steps, LSTM dropouts %s, "
                + "%d rounds (+1 warm-up), OMP_NUM_THREADS=%s, %d samples with validation%n", steps, batch, timesteps,
                dropout, rounds, System.getenv("OMP_NUM_THREADS"), nv);
        // wall time and the process's CPU time (steadier on a shared machine: another process's load
        // stretches the wall time of a step but not the CPU time it takes)
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        Map<String, double[]> wall = new LinkedHashMap<>();
        Map<String, double[]> cpu = new LinkedHashMap<>();
        variants.keySet().forEach(k -> {
            wall.put(k, new double[rounds]);
            cpu.put(k, new double[rounds]);
        });
        for (int round = -1; round < rounds; round++) {
            for (var e : variants.entrySet()) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                e.getValue().run();
                double s = (System.nanoTime() - t0) / 1e9 / steps;
                double c = (os.getProcessCpuTime() - c0) / 1e9 / steps;
                if (round >= 0) {
                    wall.get(e.getKey())[round] = s;
                    cpu.get(e.getKey())[round] = c;
                }
            }
        }
        double baseWall = median(wall.get("dl4j"));
        double baseCpu = median(cpu.get("dl4j"));
        System.out.println("variant          wall s/step  ratio   CPU s/step  ratio   (medians; ratio to dl4j)   CPU s/step of each round");
        for (String k : variants.keySet()) {
            double w = median(wall.get(k));
            double c = median(cpu.get(k));
            System.out.printf(Locale.ROOT, "%-16s %11.4f %6.3f %12.4f %6.3f   %s%n", k, w, w / baseWall, c, c / baseCpu,
                    Arrays.toString(Arrays.stream(cpu.get(k)).map(v -> Math.round(v * 1e4) / 1e4).toArray()));
        }
        History h = Trainer.fit(model(dropout).network(), xv, yv, FitOptions.builder().epochs(2).batchSize(batch).verbose(0)
                .validationSplit(0.2).seed(11).build());
        System.out.println("History (seed 11), to compare before/after: loss " + h.loss() + " accuracy " + h.accuracy()
                + " val_loss " + h.valLoss() + " val_accuracy " + h.valAccuracy());
    }

    /** Report 000's model; {@code dropout} is both LSTM dropouts (the report's: 0.2). */
    private static rnnlab.nn.Model model(double dropout) {
        return Sequential.of(new Layer.Embedding(10000, 32), new Layer.LSTM(32).dropout(dropout).recurrentDropout(dropout),
                        new Layer.Dense(1, "sigmoid")).seed(42)
                .compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
    }

    /** Trainer's batch loop without Trainer: gather, capture listener, and (score) the loss bookkeeping. */
    private static void loop(MultiLayerNetwork net, INDArray x, INDArray y, int[] order, Random r, int steps, int batch,
            Task task, boolean score) {
        OutputCapture capture = new OutputCapture(net);
        List<TrainingListener> previous = new ArrayList<>(net.getListeners());
        net.setListeners(capture);
        MetricAccumulator acc = new MetricAccumulator(task);
        try {
            shuffle(order, r);
            for (int s = 0; s < steps; s++) {
                int[] idx = Arrays.copyOfRange(order, s * batch, (s + 1) * batch);
                INDArray yb = Trainer.rows(y, idx);
                capture.arm(yb, acc);
                net.fit(new DataSet(Trainer.rows(x, idx), yb));
                capture.disarm();
                if (score) {
                    acc.addLoss(net.score(), batch);
                    acc.logs("");
                }
            }
        } finally {
            net.setListeners(previous);
        }
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
