package rnnlab.bench;

import java.util.Arrays;

/**
 * Wall-clock timing of a repeated step: a few untimed warm-up calls, then the median of timed
 * calls, like {@code timeit} with a warm-up or {@code torch.utils.benchmark.Timer.blocked_autorange}.
 * ND4J's CPU ops are synchronous, so the wall time of a call is the time of its work.
 */
public final class Timing {

    private Timing() {
    }

    /** A measurement: every timed repetition in milliseconds, in run order. */
    public record Result(double[] millis) {
        /** Checks there is at least one timing. */
        public Result {
            if (millis == null || millis.length == 0) {
                throw new IllegalArgumentException("millis: need at least one timing, got none");
            }
            millis = millis.clone();
        }

        /** The median in milliseconds (the mean of the middle two for an even count). */
        public double median() {
            double[] s = millis.clone();
            Arrays.sort(s);
            int n = s.length;
            return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
        }

        /** The fastest repetition in milliseconds. */
        public double min() {
            return Arrays.stream(millis).min().orElseThrow();
        }

        /** The slowest repetition in milliseconds. */
        public double max() {
            return Arrays.stream(millis).max().orElseThrow();
        }

        @Override
        public String toString() {
            return String.format("median %.1f ms (min %.1f, max %.1f, n=%d)", median(), min(), max(), millis.length);
        }
    }

    /**
     * Runs {@code step} {@code warmup} times untimed, then {@code reps} times timed.
     *
     * @param warmup untimed calls first, at least 0
     * @param reps   timed calls, at least 1
     * @param step   the work of one step
     */
    public static Result measure(int warmup, int reps, Runnable step) {
        return measure(warmup, 0, reps, step);
    }

    /**
     * Runs {@code step} untimed until it has run at least {@code warmup} times and for at least
     * {@code warmupSeconds} (so that the JIT has compiled a fast step's Java code, as
     * {@code blocked_autorange} keeps running until timings settle), then {@code reps} times timed. A
     * slow step (longer than {@code warmupSeconds}) is warmed up {@code warmup} times only.
     *
     * @param warmup        untimed calls at least, at least 0
     * @param warmupSeconds untimed seconds at least, at least 0
     * @param reps          timed calls, at least 1
     * @param step          the work of one step
     */
    public static Result measure(int warmup, double warmupSeconds, int reps, Runnable step) {
        return measure(warmup, warmupSeconds, reps, 0, step);
    }

    /**
     * {@link #measure(int, double, int, Runnable)}, timing at least {@code reps} calls and more until the
     * timed calls have taken {@code timedSeconds} (as {@code blocked_autorange}'s {@code min_run_time}):
     * a step of a few milliseconds is then timed hundreds of times, so that one descheduled call or a
     * slow phase of the machine does not decide the median.
     *
     * @param timedSeconds timed seconds at least, at least 0
     */
    public static Result measure(int warmup, double warmupSeconds, int reps, double timedSeconds, Runnable step) {
        if (warmupSeconds < 0 || Double.isNaN(warmupSeconds)) {
            throw new IllegalArgumentException("warmupSeconds: must be >= 0, got " + warmupSeconds);
        }
        if (timedSeconds < 0 || Double.isNaN(timedSeconds)) {
            throw new IllegalArgumentException("timedSeconds: must be >= 0, got " + timedSeconds);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup: must be >= 0, got " + warmup);
        }
        if (reps < 1) {
            throw new IllegalArgumentException("reps: must be >= 1, got " + reps);
        }
        long warmStart = System.nanoTime();
        for (int i = 0; i < warmup || (System.nanoTime() - warmStart) / 1e9 < warmupSeconds; i++) {
            step.run();
        }
        double[] ms = new double[Math.max(reps, 64)];
        int n = 0;
        double total = 0;
        while (n < reps || total < timedSeconds * 1e3) {
            long t0 = System.nanoTime();
            step.run();
            double t = (System.nanoTime() - t0) / 1e6;
            if (n == ms.length) {
                ms = Arrays.copyOf(ms, 2 * n);
            }
            ms[n++] = t;
            total += t;
        }
        return new Result(Arrays.copyOf(ms, n));
    }

    /**
     * Resets this process's peak resident set size to its current size (Linux: {@code 5} written to
     * {@code /proc/self/clear_refs}), so that {@link #peakRssKb} then measures one piece of work; returns
     * false where that is not possible.
     */
    public static boolean resetPeakRss() {
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /** Peak resident set size of this process in kB (VmHWM from /proc/self/status), or -1 if unknown. */
    public static long peakRssKb() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
