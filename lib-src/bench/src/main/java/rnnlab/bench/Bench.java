package rnnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * The side-by-side benchmark: our (DL4J) training step against PyTorch's on the same CPU, with the
 * same threads, batch, sequence length and layer sizes. In the spirit of
 * {@code torch.utils.benchmark}: warm-up steps (at least {@link #WARMUP_SECONDS} of them, so that the
 * JIT has compiled the Java kernels of fast steps; both sides warm up alike), then the median of timed
 * steps.
 *
 * <p>For each case it times our step in this JVM, then runs {@code lib-src/bench/torch_bench.py}
 * for the same case with {@code /usr/bin/python3} (interleaved case by case, so both sides see
 * similar machine load), and prints {@code ratio <case> <ours/pytorch>}. Options:
 * <ul>
 *   <li>{@code --quick}: fewer repetitions (a warm-up of at least 1 step and 3 s, then at least 3 timed
 *       steps and 1 s of them, in 2 rounds per side; 1+1 in one round for the heavy report-001 case, whose
 *       DL4J-reference row is then skipped); without it at least 2 steps and 6 s, then at least 5 timed
 *       steps and 3 s, in 3 rounds. Rounds alternate ours and PyTorch's, and each side's fastest round
 *       counts;</li>
 *   <li>{@code --out BENCHMARKS.md}: also write a Markdown table (date, machine, numbers, ratios);</li>
 *   <li>{@code --cases a,b}: only these cases (default: all);</li>
 *   <li>{@code --threads N}: PyTorch threads (default 2; set {@code OMP_NUM_THREADS} for ours);</li>
 *   <li>{@code --layers fused|reference|both}: our recurrent layers — the fused
 *       {@code rnnlab.nn.dl4j.recurrent.FusedRecurrent} (default), DL4J's reference layers, or both: each
 *       recurrent case is then timed with the fused layers, PyTorch, and the reference layers, in
 *       that order, and also printed as {@code ratio <case>_reference <ours/pytorch>};</li>
 *   <li>{@code --python PATH}, {@code --script PATH}: the interpreter and the torch script;</li>
 *   <li>{@code --kernel NAME}: the rnnlab kernelspec the {@code kernel_first_step} case starts (default
 *       {@code rnnlab}; the PyTorch side starts {@code python3});</li>
 *   <li>{@code --names ZIP}: the names corpus of the report-004 {@code charrnn_*} cases (default: the
 *       shipped sample {@code data/names/data.zip});</li>
 *   <li>{@code --torch-keep-denormals}: run PyTorch with its default subnormal arithmetic; without it
 *       {@code torch.set_flush_denormal(True)}, since our fused layers flush tiny gradients too.</li>
 *   <li>{@code --torch-wait-policies LIST}: the {@code OMP_WAIT_POLICY} values PyTorch runs under, one
 *       process each, the fastest counted (default {@code PASSIVE,default}; {@code default} leaves the
 *       variable unset; also {@code ACTIVE}).</li>
 * </ul>
 * Run it with {@code lib-src/bench/run-bench.sh [options]}.
 */
public final class Bench {

    /** Seconds of untimed warm-up steps per case in {@code --quick} (twice that without). */
    static final double WARMUP_SECONDS = 3;

    /**
     * Seconds of timed steps at least per case and side in {@code --quick} (three times that without): a
     * LeNet-5 step of ~5 ms is then timed ~200 times instead of 3 (PyTorch's small steps vary by 2× from
     * one call to the next on this machine; BACKEND.md "Run-to-run variance").
     */
    static final double TIMED_SECONDS = 1;

    /** Values of {@code --torch-wait-policies}: OpenMP's {@code OMP_WAIT_POLICY} for PyTorch, {@code default} = unset. */
    static final List<String> WAIT_POLICIES = List.of("PASSIVE", "ACTIVE", "default");

    /** PyTorch's wait policies without {@code --torch-wait-policies}: ours (PASSIVE) and libgomp's default. */
    static final List<String> DEFAULT_WAIT_POLICIES = List.of("PASSIVE", "default");

    /** One measured workload on our side: the step to time, and what it costs. */
    public record Workload(Runnable step, long params, double flopsPerStep, int samplesPerStep) {
    }

    /**
     * A benchmark case: a name shared with {@code torch_bench.py}, a description, and how to build
     * our side with the given recurrent layers ({@code null} = pending: our layer is not available
     * yet; cases without recurrent layers ignore the argument).
     */
    public record Case(String name, String description, boolean heavy, boolean inference,
            Function<Dl4jModels.Layers, Workload> ours) {
        /** Checks the name. */
        public Case {
            if (name == null || !name.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("case name must be [a-z0-9_]+, got '" + name + "'");
            }
        }
    }

    static final int IMDB_B = 128, IMDB_T = 500, IMDB_VOCAB = 10000, IMDB_DIM = 32, IMDB_UNITS = 32;
    static final int MNIST_B = 64;
    /** Iterations (names) per timed step of the report-004 cases. */
    static final int CHAR_ITERS = 200;
    static final int R001_B = 64, R001_T = 500, R001_VOCAB = 25000, R001_DIM = 128, R001_HIDDEN = 256;

    /** All cases, in run order. Adding a case (e.g. our GRU once rnnlab.nn has it) is one line here. */
    public static final List<Case> CASES = List.of(
            new Case("imdb_simplernn", "IMDB Embedding(10000,32) → SimpleRNN(32) → Dense(1), RMSprop, batch 128×500", false, false,
                    l -> imdb(Dl4jModels.Cell.SIMPLE_RNN, false, l)),
            new Case("imdb_lstm", "IMDB Embedding(10000,32) → LSTM(32) → Dense(1), RMSprop, batch 128×500", false, false,
                    l -> imdb(Dl4jModels.Cell.LSTM, false, l)),
            new Case("imdb_gru", "IMDB Embedding(10000,32) → GRU(32) → Dense(1), RMSprop, batch 128×500", false, false,
                    l -> imdb(Dl4jModels.Cell.GRU, false, l)),
            new Case("mnist_lenet5", "MNIST LeNet-5 on 1×32×32, Adam, batch 64", false, false, Bench::lenet5),
            new Case("mnist_lstm2", "MNIST rows: 2-layer LSTM(128) over 32 steps → Dense(10), Adam, batch 64", false, false,
                    Bench::mnistLstm2),
            new Case("imdb001_bilstm2", "Report 001: Embedding(25000,128) → 2-layer BiLSTM(256) → Dense(1), Adam, batch 64×500", true, false,
                    Bench::biLstm001),
            new Case("imdb_lstm_infer", "Inference: IMDB LSTM(32) forward pass, batch 128×500 (samples/s)", false, true,
                    l -> imdb(Dl4jModels.Cell.LSTM, true, l)),
            new Case("charrnn_rnn", "Report 004: the tutorial RNN (57+128 → 128 | 18), one name per iteration, SGD 0.005; a step = "
                    + CHAR_ITERS + " iterations", false, false, null),
            new Case("charrnn_lstm", "Report 004: the hand-written LSTM cell (i2f, i2i, i2o, i2c, out), one name per iteration; a step = "
                    + CHAR_ITERS + " iterations", false, false, null),
            new Case("charrnn_gru", "Report 004: the hand-written GRU cell (i2z, i2r, i2n, out), one name per iteration; a step = "
                    + CHAR_ITERS + " iterations", false, false, null),
            new Case("kernel_first_step", "Fresh Jupyter kernel → first trained step: start request to the reply of one cell that "
                    + "builds Embedding(1000,32) → LSTM(32) → Dense(1) and trains one RMSprop step on 32×100 ids (ours: the rnnlab "
                    + "kernel; PyTorch: the python3 kernel); one start each", false, false, null));

    /** Whether a case has layers with a fused and a reference implementation (chosen by {@code --layers}). */
    static boolean hasReference(Case c) {
        return !c.name().startsWith("charrnn_") && !c.name().equals("kernel_first_step");
    }

    /**
     * Report 004's workload, the same on both sides ({@code torch_bench.py} picks the same names): the
     * names corpus zip's languages in sorted order, iteration j trains on language {@code j mod L}, its
     * name number {@code (7·(j div L)) mod count}; {@link #CHAR_ITERS} iterations of
     * {@code CharRnnModel.trainStep} (the tutorial's {@code train()}: zero_grad, forward letter by letter,
     * NLLLoss, backward, SGD) per step. FLOPs: the modules' matrix products for every letter × 3.
     */
    static Workload charRnn(rnnlab.charrnn.CharRnnModel.Cell cell, Path namesZip) {
        rnnlab.data.NamesData data = rnnlab.data.Names.fromZip(namesZip);
        List<String> langs = data.languages();
        int nl = langs.size(), hidden = 128, in = rnnlab.data.Names.N_LETTERS;
        int[][] letters = new int[CHAR_ITERS][];
        int[] labels = new int[CHAR_ITERS];
        double flops = 0;
        for (int j = 0; j < CHAR_ITERS; j++) {
            List<String> names = data.names(langs.get(j % nl));
            letters[j] = rnnlab.data.Names.letterIndices(names.get((7 * (j / nl)) % names.size()));
            labels[j] = j % nl;
            double perLetter = switch (cell) {
                case RNN -> 2.0 * (in + hidden) * (hidden + nl);
                case LSTM -> 2.0 * (in + hidden) * 4 * hidden + 2.0 * hidden * nl;
                case GRU -> 2.0 * (in + hidden) * 3 * hidden + 2.0 * hidden * nl;
            };
            flops += 3 * perLetter * letters[j].length;
        }
        rnnlab.charrnn.CharRnnModel model = rnnlab.charrnn.CharRnnModel.create(cell, in, hidden, nl, 1);
        return new Workload(() -> {
            for (int j = 0; j < CHAR_ITERS; j++) {
                model.trainStep(letters[j], labels[j], 0.005f);
            }
        }, model.parameterCount(), flops, CHAR_ITERS);
    }

    private Bench() {
    }

    /** Matmul FLOPs of one forward pass of a recurrent layer with {@code gates} gate blocks. */
    static double rnnForwardFlops(int batch, int time, int in, int hidden, int gates) {
        return 2.0 * batch * time * gates * hidden * (double) (in + hidden);
    }

    private static Workload imdb(Dl4jModels.Cell cell, boolean inference, Dl4jModels.Layers layers) {
        MultiLayerNetwork net = Dl4jModels.imdbClassifier(cell, IMDB_VOCAB, IMDB_DIM, IMDB_UNITS, Dl4jModels.Engine.DEFAULT,
                layers);
        Random rnd = new Random(42);
        INDArray x = ids(rnd, IMDB_B, IMDB_T, IMDB_VOCAB);
        INDArray y = binary(rnd, IMDB_B);
        int gates = switch (cell) {
            case SIMPLE_RNN -> 1;
            case LSTM -> 4;
            case GRU -> 3;
        };
        double fwd = rnnForwardFlops(IMDB_B, IMDB_T, IMDB_DIM, IMDB_UNITS, gates) + 2.0 * IMDB_B * IMDB_UNITS;
        if (inference) {
            return new Workload(() -> net.output(x, false), Dl4jModels.paramCount(net), fwd, IMDB_B);
        }
        DataSet ds = new DataSet(x, y);
        return new Workload(() -> net.fit(ds), Dl4jModels.paramCount(net), 3 * fwd, IMDB_B);
    }

    private static Workload lenet5(Dl4jModels.Layers layers) {
        MultiLayerNetwork net = Dl4jModels.lenet5(Dl4jModels.Engine.DEFAULT, layers);
        Random rnd = new Random(42);
        INDArray x = Nd4j.randn(new Random(42).nextLong(), new long[]{MNIST_B, 1, 32, 32});
        INDArray y = oneHot(rnd, MNIST_B, 10);
        double b = MNIST_B;
        double fwd = 2 * b * 6 * 32 * 32 * 25 + 2 * b * 16 * 12 * 12 * 150 + 2 * b * (576 * 120 + 120 * 84 + 84 * 10);
        DataSet ds = new DataSet(x, y);
        return new Workload(() -> net.fit(ds), Dl4jModels.paramCount(net), 3 * fwd, MNIST_B);
    }

    private static Workload mnistLstm2(Dl4jModels.Layers layers) {
        MultiLayerNetwork net = Dl4jModels.mnistLstm2(Dl4jModels.Engine.DEFAULT, layers);
        Random rnd = new Random(42);
        INDArray x = Nd4j.randn(new Random(42).nextLong(), new long[]{MNIST_B, 32, 32});
        INDArray y = oneHot(rnd, MNIST_B, 10);
        double fwd = rnnForwardFlops(MNIST_B, 32, 32, 128, 4) + rnnForwardFlops(MNIST_B, 32, 128, 128, 4) + 2.0 * MNIST_B * 128 * 10;
        DataSet ds = new DataSet(x, y);
        return new Workload(() -> net.fit(ds), Dl4jModels.paramCount(net), 3 * fwd, MNIST_B);
    }

    private static Workload biLstm001(Dl4jModels.Layers layers) {
        MultiLayerNetwork net = Dl4jModels.biLstm2(R001_VOCAB, R001_DIM, R001_HIDDEN, Dl4jModels.Engine.DEFAULT, layers);
        Random rnd = new Random(42);
        INDArray x = ids(rnd, R001_B, R001_T, R001_VOCAB);
        INDArray y = binary(rnd, R001_B);
        double fwd = 2 * rnnForwardFlops(R001_B, R001_T, R001_DIM, R001_HIDDEN, 4)
                + 2 * rnnForwardFlops(R001_B, R001_T, 2 * R001_HIDDEN, R001_HIDDEN, 4) + 2.0 * R001_B * 2 * R001_HIDDEN;
        DataSet ds = new DataSet(x, y);
        return new Workload(() -> net.fit(ds), Dl4jModels.paramCount(net), 3 * fwd, R001_B);
    }

    private static INDArray ids(Random rnd, int batch, int time, int vocab) {
        float[][] a = new float[batch][time];
        for (float[] row : a) {
            for (int t = 0; t < time; t++) {
                row[t] = rnd.nextInt(vocab);
            }
        }
        return Nd4j.create(a);
    }

    private static INDArray binary(Random rnd, int batch) {
        float[][] a = new float[batch][1];
        for (float[] row : a) {
            row[0] = rnd.nextInt(2);
        }
        return Nd4j.create(a);
    }

    private static INDArray oneHot(Random rnd, int batch, int classes) {
        float[][] a = new float[batch][classes];
        for (float[] row : a) {
            row[rnd.nextInt(classes)] = 1f;
        }
        return Nd4j.create(a);
    }

    /** Options of one run; see the class comment. */
    record Options(boolean quick, Path out, List<String> cases, int threads, String python, Path script, String layers,
            String kernel, Path names, boolean torchKeepDenormals, List<String> torchWaitPolicies) {
        /** Seconds of untimed warm-up steps per case and side: {@link #WARMUP_SECONDS}, twice that without {@code --quick}. */
        double warmupSeconds() {
            return quick ? WARMUP_SECONDS : 2 * WARMUP_SECONDS;
        }

        /**
         * Timing rounds per case and side (ours, then PyTorch, alternating; each side's fastest round counts):
         * 2 in {@code --quick}, 3 without; 1 for a heavy case.
         */
        int rounds(boolean heavy) {
            return heavy ? 1 : quick ? 2 : 3;
        }

        /** Seconds of timed steps at least per case and side: {@link #TIMED_SECONDS}, three times that without {@code --quick}. */
        double timedSeconds() {
            return quick ? TIMED_SECONDS : 3 * TIMED_SECONDS;
        }

        static Options parse(String[] args) {
            boolean quick = false;
            String layers = "fused";
            Path out = null;
            List<String> cases = CASES.stream().map(Case::name).toList();
            int threads = 2;
            String python = "/usr/bin/python3";
            Path script = null;
            String kernel = "rnnlab";
            Path names = null;
            boolean keepDenormals = false;
            List<String> policies = DEFAULT_WAIT_POLICIES;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--quick" -> quick = true;
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--cases" -> {
                        cases = List.of(value(args, ++i, a).split(","));
                        for (String c : cases) {
                            if (CASES.stream().noneMatch(k -> k.name().equals(c))) {
                                throw new IllegalArgumentException("--cases: unknown case '" + c + "'; allowed: "
                                        + String.join(", ", CASES.stream().map(Case::name).toList()));
                            }
                        }
                    }
                    case "--threads" -> {
                        threads = Integer.parseInt(value(args, ++i, a));
                        if (threads < 1) {
                            throw new IllegalArgumentException("--threads: must be >= 1, got " + threads);
                        }
                    }
                    case "--python" -> python = value(args, ++i, a);
                    case "--layers" -> {
                        layers = value(args, ++i, a);
                        if (!List.of("fused", "reference", "both").contains(layers)) {
                            throw new IllegalArgumentException("--layers: '" + layers + "' is unknown; allowed: fused, reference, both");
                        }
                    }
                    case "--script" -> script = Path.of(value(args, ++i, a));
                    case "--kernel" -> kernel = value(args, ++i, a);
                    case "--names" -> names = Path.of(value(args, ++i, a));
                    case "--torch-keep-denormals" -> keepDenormals = true;
                    case "--torch-wait-policies" -> {
                        policies = List.of(value(args, ++i, a).split(","));
                        for (String p : policies) {
                            if (!WAIT_POLICIES.contains(p)) {
                                throw new IllegalArgumentException("--torch-wait-policies: '" + p + "' is unknown; allowed: "
                                        + String.join(", ", WAIT_POLICIES) + " (comma-separated; 'default' leaves OMP_WAIT_POLICY unset)");
                            }
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + a
                            + "'; allowed: --quick, --out FILE, --cases a,b, --threads N, --layers fused|reference|both, "
                            + "--python PATH, --script PATH, --kernel KERNELSPEC, --names NAMES_ZIP, --torch-keep-denormals, "
                            + "--torch-wait-policies " + String.join(",", DEFAULT_WAIT_POLICIES));
                }
            }
            if (script == null) {
                script = find("lib-src/bench/torch_bench.py", "bench/torch_bench.py");
            }
            if (names == null) {
                names = find("data/names/data.zip", "../data/names/data.zip");
            }
            if (!Files.isRegularFile(script)) {
                throw new IllegalArgumentException("--script: " + script + " is not a file; pass the path of lib-src/bench/torch_bench.py");
            }
            return new Options(quick, out, cases, threads, python, script, layers, kernel, names, keepDenormals, policies);
        }

        private static String value(String[] args, int i, String opt) {
            if (i >= args.length) {
                throw new IllegalArgumentException(opt + ": needs a value");
            }
            return args[i];
        }

        /** The first of the relative paths that exists in the working directory or a parent, else the first. */
        private static Path find(String... rel) {
            for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
                for (String r : rel) {
                    Path p = d.resolve(r).normalize();
                    if (Files.isRegularFile(p)) {
                        return p;
                    }
                }
            }
            return Path.of(rel[0]);
        }
    }

    /** One case's outcome on both sides (NaN where a side did not run). */
    record Row(Case c, double oursMs, double torchMs, long oursParams, long torchParams, double flops, int samples, String note,
            String torchPolicy, long oursPeakKb, long torchPeakKb) {
        Row(Case c, double oursMs, double torchMs, long oursParams, long torchParams, double flops, int samples, String note) {
            this(c, oursMs, torchMs, oursParams, torchParams, flops, samples, note, "", -1, -1);
        }

        double ratio() {
            return oursMs / torchMs;
        }
    }

    /** Runs the benchmark; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) { // a bad option: its message (which says what is allowed), no stack trace
            System.err.println("rnnlab bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        String loadStart = loadAverage();
        Machine m = Machine.probe();
        System.out.println("# machine: " + m);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        double firstStepMs = Double.NaN;
        List<Row> rows = new ArrayList<>();
        long torchPeakKb = -1;
        long runPeakKb = -1;
        for (Case c : CASES) {
            if (!o.cases().contains(c.name())) {
                continue;
            }
            int warmup = o.quick() ? 1 : 2;
            double warmupSeconds = o.warmupSeconds();
            int reps = o.quick() ? (c.heavy() ? 1 : 3) : (c.heavy() ? 3 : 5);
            if (c.name().equals("kernel_first_step")) {
                rows.add(kernelFirstStep(o, c));
                continue;
            }
            if (c.name().startsWith("charrnn_")) {
                var cell = rnnlab.charrnn.CharRnnModel.Cell.valueOf(c.name().substring("charrnn_".length()).toUpperCase(Locale.ROOT));
                c = new Case(c.name(), c.description(), c.heavy(), c.inference(), l -> charRnn(cell, o.names()));
            }
            if (c.ours() == null) {
                rows.add(new Row(c, Double.NaN, Double.NaN, 0, 0, Double.NaN, 0, "pending: our layer is not available yet"));
                System.out.println("ratio " + c.name() + " pending");
                continue;
            }
            boolean rec = hasReference(c);
            runPeakKb = Math.max(runPeakKb, Timing.peakRssKb());
            boolean perCaseRss = releaseMemory() && Timing.resetPeakRss();
            Dl4jModels.Layers first = rec && o.layers().equals("reference") ? Dl4jModels.Layers.REFERENCE : Dl4jModels.Layers.FUSED;
            Workload w = c.ours().apply(first);
            if (Double.isNaN(firstStepMs)) {
                w.step().run();
                firstStepMs = System.currentTimeMillis() - jvmStart;
            }
            // Rounds: ours, then PyTorch (each wait policy), again; each side counts its fastest round's median,
            // so that a burst of other work on the shared machine during one round does not decide the ratio.
            int rounds = o.rounds(c.heavy());
            Timing.Result ours = null;
            TorchResult t = null;
            List<String> oursRounds = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                Timing.Result mine = round == 1 ? Timing.measure(warmup, warmupSeconds, reps, o.timedSeconds(), w.step())
                        : Timing.measure(1, 0, reps, o.timedSeconds(), w.step());
                oursRounds.add(mine.toString());
                ours = ours == null || mine.median() < ours.median() ? mine : ours;
                TorchResult theirs = runTorch(o, c.name(), warmup, warmupSeconds, reps, round);
                t = t == null ? theirs : t.fasterOf(theirs);
            }
            torchPeakKb = Math.max(torchPeakKb, t.peakKb());
            Row r = new Row(c, ours.median(), t.medianMs(), w.params(), t.params(), w.flopsPerStep(), w.samplesPerStep(), "",
                    t.policy(), perCaseRss ? Timing.peakRssKb() : -1, t.peakKb());
            rows.add(r);
            System.out.printf(Locale.ROOT, "# %-16s ours %s | pytorch %s%n", c.name(), String.join("; ", oursRounds), t.summary());
            System.out.printf(Locale.ROOT, "ratio %s %.2f%n", c.name(), r.ratio());
            if (rec && o.layers().equals("both") && c.heavy() && o.quick()) {
                Case rc = new Case(c.name() + "_reference", c.description() + " — DL4J reference layers", c.heavy(),
                        c.inference(), c.ours());
                rows.add(new Row(rc, Double.NaN, Double.NaN, 0, 0, Double.NaN, 0,
                        "not timed in --quick (several minutes per step); run without --quick"));
                System.out.println("ratio " + rc.name() + " skipped (--quick)");
            } else if (rec && o.layers().equals("both")) {
                w = null;
                Workload wr = c.ours().apply(Dl4jModels.Layers.REFERENCE);
                Timing.Result ref = Timing.measure(warmup, warmupSeconds, reps, o.timedSeconds(), wr.step());
                Case rc = new Case(c.name() + "_reference", c.description() + " — DL4J reference layers", c.heavy(),
                        c.inference(), c.ours());
                Row rr = new Row(rc, ref.median(), r.torchMs(), wr.params(), r.torchParams(), wr.flopsPerStep(),
                        wr.samplesPerStep(), "", r.torchPolicy(), -1, -1);
                rows.add(rr);
                System.out.printf(Locale.ROOT, "# %-16s reference layers %s%n", rc.name(), ref);
                System.out.printf(Locale.ROOT, "ratio %s %.2f%n", rc.name(), rr.ratio());
            }
        }
        // The per-case resets lowered VmHWM; the run's peak is the largest of the cases' peaks and the rest.
        long oursPeakKb = Math.max(runPeakKb, Timing.peakRssKb());
        System.out.printf(Locale.ROOT, "# peak RSS: ours %d MB, pytorch %d MB; JVM start → first trained step %.1f s%n",
                oursPeakKb / 1024, torchPeakKb / 1024, firstStepMs / 1e3);
        if (o.out() != null) {
            Files.writeString(o.out(), markdown(m, o, rows, oursPeakKb, torchPeakKb, firstStepMs, loadStart, loadAverage()),
                    StandardCharsets.UTF_8);
            System.out.println("# wrote " + o.out().toAbsolutePath());
        }
    }

    /**
     * Gives back what earlier cases held, so that the next case's peak resident memory is its own: ND4J's
     * workspaces of this thread (the networks of earlier cases are garbage by now) and, through a GC, the
     * heap that {@code run-bench.sh}'s heap-free ratios let the JVM shrink; then waits briefly for javacpp's
     * deallocator thread. Returns false if interrupted.
     */
    private static boolean releaseMemory() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        System.gc();
        return true;
    }

    /**
     * The {@code kernel_first_step} row: {@code kernel_start.py} (next to the torch script) starts the
     * rnnlab kernelspec {@code --kernel} and then the python3 kernelspec, each time to the reply of a
     * cell that trains one step; kernel restarts (rapaio's silent start) are counted in the note.
     */
    private static Row kernelFirstStep(Options o, Case c) throws IOException, InterruptedException {
        Path script = o.script().resolveSibling("kernel_start.py");
        JsonNode ours = runJson(List.of(o.python(), script.toString(), "--kernel", o.kernel(), "--side", "ours"));
        JsonNode torch = runJson(List.of(o.python(), script.toString(), "--kernel", "python3", "--side", "pytorch"));
        if (ours == null || torch == null) {
            String why = "skipped: kernel_start.py failed for " + (ours == null ? "kernelspec '" + o.kernel() + "'" : "python3")
                    + " (see stderr; register one with environment/kernelspec.py and pass --kernel NAME)";
            System.out.println("ratio " + c.name() + " skipped");
            return new Row(c, Double.NaN, Double.NaN, 0, 0, Double.NaN, 0, why);
        }
        double oursMs = ours.path("seconds").asDouble() * 1e3, torchMs = torch.path("seconds").asDouble() * 1e3;
        String retries = String.format(Locale.ROOT, "kernel `%s`: %d start(s), failed starts %s s; python3: %d start(s)",
                o.kernel(), ours.path("attempts").asInt(), ours.path("failed_attempts_s"), torch.path("attempts").asInt());
        System.out.printf(Locale.ROOT, "# %-16s ours %.0f ms | pytorch %.0f ms; %s%n", c.name(), oursMs, torchMs, retries);
        System.out.printf(Locale.ROOT, "ratio %s %.2f%n", c.name(), oursMs / torchMs);
        Case rc = new Case(c.name(), c.description() + " (" + retries + ")", c.heavy(), c.inference(), c.ours());
        return new Row(rc, oursMs, torchMs, 0, 0, Double.NaN, 1, "");
    }

    /** Runs a command whose last stdout line is JSON; null if it fails. */
    private static JsonNode runJson(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            return null;
        }
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        return last.isEmpty() ? null : new ObjectMapper().readTree(last);
    }

    /**
     * PyTorch's result for one case: the fastest median over the OpenMP wait policies (and rounds) tried,
     * which policy gave it, and a description of every run (policy, round, timings) in the order run.
     */
    record TorchResult(double medianMs, String policy, long params, long peakKb, List<String> runs) {
        /** The faster of this and {@code other}, with both's runs. */
        TorchResult fasterOf(TorchResult other) {
            List<String> all = new ArrayList<>(runs);
            all.addAll(other.runs);
            TorchResult best = other.medianMs < medianMs ? other : this;
            return new TorchResult(best.medianMs, best.policy, best.params, Math.max(peakKb, other.peakKb), all);
        }

        String summary() {
            return String.join("; ", runs) + " → " + policy;
        }
    }

    /**
     * Runs {@code torch_bench.py} for one case once per {@code --torch-wait-policies} value (each in a fresh
     * process, with {@code OMP_WAIT_POLICY} set to it or, for {@code default}, removed) and keeps the
     * fastest median: PyTorch's small steps are up to 2.8× faster with libgomp's default spin-then-sleep
     * than with PASSIVE (LeNet-5 4.3 vs 12 ms), its recurrent steps up to 2× faster with PASSIVE, so each
     * case gets PyTorch's better setting (ours runs as the rnnlab kernel does, PASSIVE).
     */
    private static TorchResult runTorch(Options o, String name, int warmup, double warmupSeconds, int reps, int round)
            throws IOException, InterruptedException {
        TorchResult best = null;
        for (String policy : o.torchWaitPolicies()) {
            JsonNode t = runTorchOnce(o, name, warmup, warmupSeconds, reps, policy);
            JsonNode tc = t.path("cases").path(name);
            double[] ms = new double[tc.path("ms").size()];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = tc.path("ms").get(i).asDouble();
            }
            Timing.Result r = new Timing.Result(ms);
            TorchResult one = new TorchResult(r.median(), policy, tc.path("params").asLong(), t.path("vmhwm_kb").asLong(-1),
                    List.of(policy + (round > 1 ? " (round " + round + ")" : "") + " " + r));
            best = best == null ? one : best.fasterOf(one);
        }
        return best;
    }

    private static JsonNode runTorchOnce(Options o, String name, int warmup, double warmupSeconds, int reps, String policy)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(o.python(), o.script().toString(), "--cases", name, "--threads",
                String.valueOf(o.threads()), "--warmup", String.valueOf(warmup), "--warmup-seconds", String.valueOf(warmupSeconds),
                "--reps", String.valueOf(reps), "--min-seconds", String.valueOf(o.timedSeconds()), "--names-zip", o.names().toString()));
        if (o.torchKeepDenormals()) {
            cmd.add("--keep-denormals");
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (policy.equals("default")) {
            pb.environment().remove("OMP_WAIT_POLICY");
        } else {
            pb.environment().put("OMP_WAIT_POLICY", policy);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + o.python() + " (the PyTorch side needs the system interpreter with"
                    + " python3-torch; pass --python PATH): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0) {
            throw new IllegalStateException("torch_bench.py failed (exit " + rc + ") for case " + name + " with OMP_WAIT_POLICY="
                    + policy + ": " + String.join(" ", cmd));
        }
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        return new ObjectMapper().readTree(last);
    }

    /** What this machine and backend are; the theoretical peak assumes 2 AVX-512 FMA units per core. */
    record Machine(int cores, String cpu, double mhz, boolean avx512, String nd4jBinary, int ompThreads) {
        static Machine probe() throws IOException {
            String cpu = "?";
            double mhz = Double.NaN;
            boolean avx512 = false;
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && cpu.equals("?")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("cpu MHz") && Double.isNaN(mhz)) {
                    mhz = Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
                } else if (line.startsWith("flags")) {
                    avx512 |= line.contains(" avx512f");
                }
            }
            Nd4j.create(1); // load the backend
            String lib = Loader.getLoadedLibraries().values().stream().filter(v -> v.contains("nd4jcpu"))
                    .findFirst().orElse("?");
            String binary = lib.replaceAll(".*/bindings/([^/]+)/.*", "$1");
            return new Machine(Runtime.getRuntime().availableProcessors(), cpu, mhz, avx512, binary,
                    NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
        }

        /** fp32 peak: cores × GHz × (16 lanes × 2 FLOP per FMA × 2 FMA units) with AVX-512, × 8 lanes with AVX2. */
        double peakGflops() {
            return cores * mhz / 1000 * (avx512 ? 64 : 32);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d cores, %s @ %.0f MHz, %s; nd4j-native %s, %d OpenMP threads; fp32 peak %.0f GFLOP/s",
                    cores, cpu, mhz, avx512 ? "AVX-512" : "AVX2", nd4jBinary, ompThreads, peakGflops());
        }
    }

    /** The 1/5/15-minute load averages from /proc/loadavg (as uptime prints them), or "unknown". */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String markdown(Machine m, Options o, List<Row> rows, long oursKb, long torchKb, double firstStepMs,
            String loadStart, String loadEnd) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Benchmarks: rnnlab (DL4J) vs PyTorch on the same CPU\n\n");
        sb.append("Generated by `lib-src/bench/run-bench.sh").append(o.quick() ? " --quick" : "")
                .append(o.layers().equals("fused") ? "" : " --layers " + o.layers())
                .append(o.kernel().equals("rnnlab") ? "" : " --kernel " + o.kernel()).append(" --out BENCHMARKS.md`")
                .append(" on ").append(LocalDate.now()).append(".\n\n");
        sb.append("- Machine: ").append(m).append(".\n");
        sb.append("- Load average (1, 5, 15 min, as `uptime` prints it) at the start: ").append(loadStart)
                .append("; at the end: ").append(loadEnd).append(" (").append(m.cores())
                .append(" cores; above that, the run shared the CPUs with other work).\n");
        sb.append(String.format(Locale.ROOT, "- PyTorch: `%s`, torch.set_num_threads(%d), %s.%n", o.python(), o.threads(),
                o.torchKeepDenormals() ? "subnormal floats kept (PyTorch's default, `--torch-keep-denormals`)"
                        : "torch.set_flush_denormal(True): subnormal floats flushed to zero, as rnnlab's fused layers flush "
                        + "gradients below 2^-100 and TensorFlow's CPU kernels flush subnormals (`--torch-keep-denormals` keeps "
                        + "PyTorch's default, which made report 001's BiLSTM step 60 s instead of 8.5 s)"));
        sb.append(String.format(Locale.ROOT, "- Environment: OMP_NUM_THREADS=%s on both sides; ours with OMP_WAIT_POLICY=%s (as the rnnlab "
                + "kernel runs); PyTorch run once per OpenMP wait policy (%s; `default` = unset, libgomp spins briefly, then sleeps), "
                + "each in a fresh process, and the faster median counted (its policy in brackets): PyTorch's small steps are "
                + "fastest with the default, its recurrent steps with PASSIVE (lib-src/bench/BACKEND.md).%n",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset"),
                String.join(", ", o.torchWaitPolicies())));
        sb.append("- Time per training step: median of timed steps after warm-up (at least " + o.warmupSeconds()
                + " s of untimed steps per case and side, so that the JIT has compiled fast steps' Java kernels; then at least "
                + o.timedSeconds() + " s of timed steps, at least " + (o.quick() ? "3 (1 for report 001's BiLSTM)" : "5 (3 for report 001's BiLSTM)")
                + "), in " + o.rounds(false) + " rounds per case (1 for report 001's BiLSTM) alternating ours and PyTorch's, each side's "
                + "fastest round counted; our side in one JVM, the PyTorch side in a "
                + "subprocess run right after ours for each case (interleaved). The machine is shared, so compare ratios, "
                + "not absolute times.\n");
        sb.append("- Our recurrent layers: ").append(switch (o.layers()) {
            case "reference" -> "DL4J's reference layers (SimpleRnn, LSTM, the step-by-step GruLayer)";
            case "both" -> "the fused `rnnlab.nn.dl4j.recurrent.FusedRecurrent` layers; `<case>_reference` rows: DL4J's reference layers, "
                    + "timed right after the PyTorch run of the same case";
            default -> "the fused `rnnlab.nn.dl4j.recurrent.FusedRecurrent` layers";
        }).append(".\n");
        sb.append("- GFLOP/s counts only the matrix products (forward × 3 for a training step).\n\n");
        sb.append("| case | ours ms/step | PyTorch ms/step | ratio ours/PyTorch | ours GFLOP/s | PyTorch GFLOP/s | params ours / PyTorch "
                + "| peak RSS MB ours / PyTorch |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, String> extra = new LinkedHashMap<>();
        for (Row r : rows) {
            if (!r.note().isEmpty()) {
                sb.append("| ").append(r.c().name()).append(" | ").append(r.note()).append(" | | | | | | |\n");
                continue;
            }
            boolean noFlops = Double.isNaN(r.flops());
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f%s | **%.2f** | %s | %s | %s | %s |%n", r.c().name(),
                    r.oursMs(), r.torchMs(), r.torchPolicy().isEmpty() ? "" : " (" + r.torchPolicy() + ")", r.ratio(),
                    noFlops ? "–" : String.format(Locale.ROOT, "%.1f", r.flops() / r.oursMs() / 1e6),
                    noFlops ? "–" : String.format(Locale.ROOT, "%.1f", r.flops() / r.torchMs() / 1e6),
                    r.oursParams() == 0 ? "–" : String.format(Locale.ROOT, "%,d / %,d", r.oursParams(), r.torchParams()),
                    r.oursPeakKb() < 0 || r.torchPeakKb() < 0 ? "–"
                            : String.format(Locale.ROOT, "%,d / %,d", r.oursPeakKb() / 1024, r.torchPeakKb() / 1024)));
            if (r.c().inference()) {
                extra.put("Inference throughput (" + r.c().name() + ")", String.format(Locale.ROOT,
                        "ours %.0f samples/s, PyTorch %.0f samples/s", r.samples() / r.oursMs() * 1e3, r.samples() / r.torchMs() * 1e3));
            }
        }
        sb.append("\n");
        for (Row r : rows) {
            sb.append("- `").append(r.c().name()).append("`: ").append(r.c().description()).append("\n");
        }
        sb.append("\n");
        extra.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append(".\n"));
        sb.append(String.format(Locale.ROOT, "- Peak resident memory (VmHWM): ours %d MB (whole JVM run), PyTorch %d MB (largest case process). "
                + "Per case (the table's last column): ours is this JVM's peak while the case ran (reset with /proc/self/clear_refs "
                + "after freeing ND4J's workspaces and a GC before the case; it includes the JVM itself and whatever the JVM kept from "
                + "earlier cases), PyTorch's the peak of its case's process.%n", oursKb / 1024, torchKb / 1024));
        sb.append(String.format(Locale.ROOT, "- JVM start → first trained step (our first case): %.1f s.%n", firstStepMs / 1e3));
        sb.append("\nParameter counts differ slightly because PyTorch's recurrent layers carry two bias vectors per gate"
                + " (b_ih and b_hh) where Keras/DL4J carry one; the arithmetic is the same.\n");
        return sb.toString();
    }
}
