package rnnlab.kernel;

import java.io.PrintStream;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.Layer;
import rnnlab.nn.Model;
import rnnlab.nn.Sequential;

/**
 * Loads ND4J's native backend and DL4J's training path on a background thread while the kernel's
 * main thread creates JShell and runs the start-up script, so a notebook's first model cell finds
 * them loaded (lib-src/bench/BACKEND.md, "Kernel start-up").
 *
 * <p>Measured on a fresh kernel, the first cell that touches ND4J spent ~1 s loading the backend
 * (JavaCPP, OpenBLAS, libnd4j) and another ~0.3 s loading and linking DL4J's layer, updater and
 * workspace classes on its first {@code fit}; JShell's start-up (~1.5-2 s of javac work) ran before
 * that, on one thread, with the second core idle. Here the two run side by side.
 *
 * <p>What the warm-up does cannot change a notebook's results: it trains a throw-away model of a few
 * parameters on its own thread, and ND4J's random generator ({@code Nd4j.getRandom()}) is per thread,
 * so the seeds a notebook sets on its own thread see the same sequence as without the warm-up. Nothing
 * is printed to {@code System.out}/{@code System.err} (which the kernel swaps for a cell's streams);
 * a failure is reported once on the kernel's own log stream and is otherwise harmless (the first cell
 * then loads what it needs, as before). A cell that needs ND4J while the warm-up still loads it waits
 * for the class initialisation to finish instead of doing it twice.
 *
 * <p>Off with {@code RNNLAB_KERNEL_WARMUP=0} in the kernel's environment.
 */
public final class Warmup {

    /** Environment variable that turns the warm-up off when set to {@code 0}, {@code false} or {@code no}. */
    public static final String ENV = "RNNLAB_KERNEL_WARMUP";

    private Warmup() {
    }

    /** Whether the kernel environment {@code env} asks for the warm-up (the default). */
    static boolean enabled(String value) {
        if (value == null) {
            return true;
        }
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        return !(v.equals("0") || v.equals("false") || v.equals("no") || v.equals("off"));
    }

    /** Starts the warm-up on a daemon thread named {@code rnnlab-warmup} (unless turned off) and returns it, or null. */
    static Thread startInBackground(PrintStream log) {
        if (!enabled(System.getenv(ENV))) {
            return null;
        }
        Thread t = new Thread(() -> {
            try {
                run();
                KernelLauncher.trace("warm-up done");
            } catch (Throwable e) { // never let the warm-up take the kernel down
                log.println("rnnlab: kernel warm-up failed (harmless; the first cell loads ND4J itself): " + e);
                log.flush();
            }
        }, "rnnlab-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The work: ND4J's backend, then one RMSprop step of a tiny Embedding → LSTM → Dense model built
     * through {@link Sequential} (the lab notebooks' route: rnnlab's fused layers, DL4J's network,
     * updater and workspaces). About 1-1.5 s of CPU on a cold JVM, most of it class loading.
     */
    static void run() {
        Nd4j.create(new float[] {1f, 2f}, new long[] {1, 2});
        KernelLauncher.trace("warm-up: ND4J backend loaded");
        Model model = new Sequential()
                .add(new Layer.Embedding(8, 4).inputLength(3))
                .add(new Layer.LSTM(4))
                .add(new Layer.Dense(1, "sigmoid"))
                .compile("rmsprop", "binary_crossentropy");
        float[][] ids = {{1, 2, 3}, {4, 5, 6}};
        float[][] ys = {{0}, {1}};
        model.network().fit(new DataSet(Nd4j.create(ids), Nd4j.create(ys)));
    }
}
