package rnnlab.bench;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Measures one IMDB training step (Embedding → SimpleRNN/LSTM → Dense) on whichever nd4j-native
 * binary is on the classpath, to choose the classifier by measurement. Prints one line of JSON.
 *
 * <p>Usage: {@code BackendProbe which} (print the loaded binary) or {@code BackendProbe <simplernn|lstm> [warmup] [reps] [ENABLED|NONE] [NONE|HOST|DEVICE] [helpers:true|false]}.
 * The native library that javacpp actually loaded is printed so the run is checkable.
 */
public final class BackendProbe {

    private BackendProbe() {
    }

    /** The path of the libnd4jcpu that javacpp loaded (its directory names the classifier). */
    static String loadedBinary() {
        return Loader.getLoadedLibraries().entrySet().stream()
                .filter(e -> e.getKey().contains("nd4jcpu")).map(Map.Entry::getValue).findFirst().orElse("?");
    }

    /** Entry point; see the class comment for arguments. */
    public static void main(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: BackendProbe <simplernn|lstm> [warmup] [reps] [ws ENABLED|NONE] [cache NONE|HOST|DEVICE] [helpers true|false]");
        }
        if (args[0].equals("which")) {
            Nd4j.create(1);
            System.out.println(loadedBinary());
            return;
        }
        Dl4jModels.Cell cell = Dl4jModels.Cell.parse(args[0]);
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        WorkspaceMode ws = args.length > 3 ? WorkspaceMode.valueOf(args[3].toUpperCase(Locale.ROOT)) : WorkspaceMode.ENABLED;
        CacheMode cache = args.length > 4 ? CacheMode.valueOf(args[4].toUpperCase(Locale.ROOT)) : CacheMode.NONE;
        if (args.length > 5) {
            Nd4j.getEnvironment().allowHelpers(Boolean.parseBoolean(args[5]));
        }
        int batch = 128, time = 500, vocab = 10000;
        MultiLayerNetwork net = Dl4jModels.imdbClassifier(cell, vocab, 32, 32, new Dl4jModels.Engine(ws, cache));
        Random rnd = new Random(1);
        float[][] ids = new float[batch][time];
        float[][] y = new float[batch][1];
        for (int i = 0; i < batch; i++) {
            for (int t = 0; t < time; t++) {
                ids[i][t] = rnd.nextInt(vocab);
            }
            y[i][0] = rnd.nextInt(2);
        }
        INDArray x = Nd4j.create(ids);
        DataSet ds = new DataSet(x, Nd4j.create(y));
        for (int i = 0; i < warmup; i++) {
            net.fit(ds);
        }
        // Wall time and process CPU time per step: on a shared machine the CPU time of a
        // single-threaded run is the contention-robust measure of the work a binary does.
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double[] wall = new double[reps];
        double[] cpu = new double[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            net.fit(ds);
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
        }
        Timing.Result r = new Timing.Result(wall);
        Timing.Result rc = new Timing.Result(cpu);
        String lib = loadedBinary();
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        System.out.printf(Locale.ROOT,
                "{\"cpu_median_ms\":%.1f,\"cpu_min_ms\":%.1f,\"cell\":\"%s\",\"ws\":\"%s\",\"cache\":\"%s\",\"helpers\":%b,\"median_ms\":%.1f,\"min_ms\":%.1f,\"max_ms\":%.1f,"
                        + "\"reps\":%d,\"omp\":%d,\"binaryLevel\":%d,\"params\":%d,\"lib\":\"%s\",\"build\":\"%s\"}%n",
                rc.median(), rc.min(), cell, ws, cache, Nd4j.getEnvironment().helpersAllowed(), r.median(), r.min(), r.max(), reps,
                ops.ompGetMaxThreads(), ops.binaryLevel(), Dl4jModels.paramCount(net), lib,
                ops.buildInfo().replace("\n", " | ").replace("\"", "'"));
    }
}
