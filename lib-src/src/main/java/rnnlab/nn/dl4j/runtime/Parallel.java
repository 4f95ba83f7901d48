package rnnlab.nn.dl4j.runtime;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs the independent pieces of a hand-written kernel (images, planes) on the caller's thread and
 * {@link #threads()}{@code  - 1} helper threads. Pieces are handed out one at a time from a shared
 * counter, and the caller takes part: when the machine is busy and a helper is not scheduled, the
 * caller simply does all pieces itself and waits only for a piece a helper has already started, so a
 * late helper never stalls a step (unlike a fixed split, or OpenMP/OpenBLAS workers that all must
 * arrive). Which thread ran a piece never changes a result: callers reduce per-piece partial results
 * in piece order.
 *
 * <p>Measured on the shared 2-core machine at load 8 (LeNet-5 steps of both versions alternating in
 * one JVM, 4 runs of 80 steps): median step 18–21 ms with one helper vs 19–22 ms without, main-thread
 * CPU 12 vs 15 ms; the caller still waits for pieces a descheduled helper has started (about
 * 1.5 ms per step at that load), which is why the gain is small there. A guard that turned the helper
 * off above a load average of 2.5 was tried and removed: it lost those 5 % on this machine.
 *
 * <p>Threads: {@code OMP_NUM_THREADS} if set (the same budget ND4J and OpenBLAS use), else the
 * available processors, at most the available processors; the system property
 * {@code rnnlab.kernel.threads} overrides the variable. Helpers are daemon threads, started on first use.
 *
 * <p>Public only so that the layer packages beside {@code runtime} can call it; not part of rnnlab's API.
 */
public final class Parallel {

    /** A piece of work: {@code piece} in [0, count), run on thread {@code worker} in [0, threads()). */
    public interface Body {
        void run(int piece, int worker);
    }

    private static volatile int threads = configuredThreads();
    private static volatile Helper[] helpers = new Helper[0];

    private Parallel() {
    }

    private static int configuredThreads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        String s = System.getProperty("rnnlab.kernel.threads", System.getenv("OMP_NUM_THREADS"));
        try {
            return s == null ? cpus : Math.max(1, Math.min(cpus, Integer.parseInt(s.trim())));
        } catch (NumberFormatException e) {
            return cpus;
        }
    }

    /** How many threads (caller included) run the pieces; per-worker scratch arrays need this many. */
    public static int threads() {
        return threads;
    }

    /** For tests: run with {@code n} threads from now on (kernels re-size their per-worker scratch). */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        threads = n;
    }

    /**
     * Runs {@code body} for every piece in [0, count) on at most {@code workers} threads (the number of
     * per-worker scratch arrays the caller has; worker indices stay below it); returns when all pieces
     * have finished. Rethrows a piece's exception.
     */
    public static void forEach(int count, int workers, Body body) {
        int t = Math.min(threads, workers);
        if (t <= 1 || count < 2) {
            for (int i = 0; i < count; i++) {
                body.run(i, 0);
            }
            return;
        }
        Job job = new Job(count, body, Thread.currentThread());
        Helper[] hs = helpers(t - 1);
        for (int h = 0; h < Math.min(t - 1, count - 1); h++) {
            hs[h].offer(job);
        }
        job.work(0);
        int spins = 0;
        while (job.done.get() < count) {
            if (++spins < 200) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(job, 20_000);
            }
        }
        Throwable failure = job.error.get();
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** At least {@code n} started helpers (made on first use, added if the thread count grows). */
    private static Helper[] helpers(int n) {
        Helper[] hs = helpers;
        if (hs.length < n) {
            synchronized (Parallel.class) {
                hs = helpers;
                if (hs.length < n) {
                    Helper[] more = java.util.Arrays.copyOf(hs, n);
                    for (int i = hs.length; i < n; i++) {
                        more[i] = new Helper(i + 1);
                        more[i].start();
                    }
                    helpers = hs = more;
                }
            }
        }
        return hs;
    }

    /** One {@link #forEach} call: the shared piece counter and the count of finished pieces. */
    private static final class Job {
        final int count;
        final Body body;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        Job(int count, Body body, Thread caller) {
            this.count = count;
            this.body = body;
            this.caller = caller;
        }

        void work(int worker) {
            for (int i; (i = next.getAndIncrement()) < count; ) {
                try {
                    if (error.get() == null) {
                        body.run(i, worker);
                    }
                } catch (Throwable t) {
                    error.compareAndSet(null, t);
                } finally {
                    if (done.incrementAndGet() == count && Thread.currentThread() != caller) {
                        LockSupport.unpark(caller);
                    }
                }
            }
        }
    }

    /** A daemon helper thread that works on the jobs offered to it (at most one pending: a newer job replaces an exhausted one). */
    private static final class Helper extends Thread {
        private final int worker;
        private final AtomicReference<Job> pending = new AtomicReference<>();

        Helper(int worker) {
            super("rnnlab-kernel-" + worker);
            this.worker = worker;
            setDaemon(true);
        }

        void offer(Job job) {
            pending.set(job);
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            while (true) {
                Job job = pending.getAndSet(null);
                if (job == null) {
                    LockSupport.park(this);
                    continue;
                }
                job.work(worker);
            }
        }
    }
}
