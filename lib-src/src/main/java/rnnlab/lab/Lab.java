package rnnlab.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The lab's run settings, read once from the environment: the mode (quick or full), the data
 * directory and where figures go.
 *
 * <p>Every setting can be given as an environment variable or as a JVM system property (the
 * property wins). This is the one switch every notebook reads:
 * <ul>
 *   <li>{@code RNNLAB_MODE} / {@code -Drnnlab.mode}: {@code quick} (default: shipped samples, few
 *       epochs) or {@code full} (the report's exact data sizes and hyper-parameters).</li>
 *   <li>{@code RNNLAB_DATA} / {@code -Drnnlab.data}: the data directory the loaders read and
 *       download into; defaults to {@code $XDG_CACHE_HOME/rnnlab} or {@code ~/.cache/rnnlab}. Point
 *       it at a local mirror (for example {@code ../shared/datasets}) on a machine without
 *       internet.</li>
 *   <li>{@code RNNLAB_EPOCHS} / {@code -Drnnlab.epochs}: overrides the number of epochs in either
 *       mode (see {@link #epochs(int, int)}).</li>
 *   <li>{@code RNNLAB_SEED} / {@code -Drnnlab.seed}: overrides the seed a notebook trains with (see
 *       {@link #seed(long)}), to check that a conclusion holds for more than one seed.</li>
 *   <li>{@code RNNLAB_SAMPLES} / {@code -Drnnlab.samples}: the shipped samples directory; defaults
 *       to the project's {@code data/} folder, found by walking up from the working directory.</li>
 *   <li>{@code RNNLAB_FIGURES} / {@code -Drnnlab.figures}: the root folder for saved figures,
 *       defaults to {@code figures/} in the project.</li>
 *   <li>{@code RNNLAB_FULL_RUN_DIR} / {@code -Drnnlab.fullRunDir}: where the notebooks' recorded full
 *       runs are kept ({@link FullRun}), defaults to {@code notebooks/full-run/} in the project.</li>
 *   <li>{@code RNNLAB_NOTEBOOK} and {@code RNNLAB_RUN_DIR}: set by {@code environment/run_notebooks.py}
 *       for its kernel: the notebook's name and the folder where {@link Reproduction} leaves the
 *       table's rows for the runner.</li>
 * </ul>
 * This plays the part of a Keras/PyTorch tutorial's settings cell: one place to look.
 */
public final class Lab {

    /** Which size of run: the default quick one or the report's full settings. */
    public enum Mode {
        /** Shipped samples, few epochs: every notebook in minutes. */
        QUICK,
        /** The report's exact data sizes and hyper-parameters. */
        FULL;

        /** Parses {@code quick} or {@code full} (any case); anything else is an error naming both. */
        public static Mode parse(String text) {
            if (text == null || text.isBlank()) {
                return QUICK;
            }
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "quick" -> QUICK;
                case "full" -> FULL;
                default -> throw new IllegalArgumentException(
                        "RNNLAB_MODE / rnnlab.mode is '" + text + "'; allowed values: quick, full");
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Lab() {
    }

    /** Reads a setting: system property first, then environment variable, else {@code null}. */
    public static String setting(String property, String envVar) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(envVar);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The mode this run is in ({@code RNNLAB_MODE}, default quick). */
    public static Mode mode() {
        return Mode.parse(setting("rnnlab.mode", "RNNLAB_MODE"));
    }

    /** True in quick mode. */
    public static boolean quick() {
        return mode() == Mode.QUICK;
    }

    /** Picks a value by mode: {@code pick(2, 50)} is 2 epochs in quick mode and 50 in full mode. */
    public static <T> T pick(T quickValue, T fullValue) {
        return quick() ? quickValue : fullValue;
    }

    /** {@link #pick(Object, Object)} for ints, to avoid boxing noise in notebook cells. */
    public static int pick(int quickValue, int fullValue) {
        return quick() ? quickValue : fullValue;
    }

    /**
     * The number of epochs to train: {@code epochs(2, 50)} is 2 in quick mode and 50 in full mode,
     * unless {@code RNNLAB_EPOCHS} / {@code -Drnnlab.epochs} is set, which overrides both. The
     * override is for a run on the full data that cannot afford the report's epochs (a full-mode
     * timing run, a class with one lesson to spare); {@link #epochsRemark(int, int)} says so in the
     * reproduction table.
     *
     * @throws IllegalArgumentException if the override is not a positive whole number
     */
    public static int epochs(int quickEpochs, int fullEpochs) {
        Integer override = epochsOverride();
        return override != null ? override : pick(quickEpochs, fullEpochs);
    }

    /** The {@code RNNLAB_EPOCHS} override, or {@code null} when it is not set. */
    public static Integer epochsOverride() {
        String v = setting("rnnlab.epochs", "RNNLAB_EPOCHS");
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("RNNLAB_EPOCHS / rnnlab.epochs is '" + v
                + "'; allowed values: a whole number of epochs from 1 up, or unset for the mode's default");
    }

    /**
     * The remark for a reproduction table's epochs row: "as the report" when this run trained the
     * report's epochs, otherwise why not (quick mode, or the {@code RNNLAB_EPOCHS} override).
     */
    public static String epochsRemark(int epochs, int reportEpochs) {
        if (epochs == reportEpochs) {
            return "as the report";
        }
        if (epochsOverride() != null) {
            return "RNNLAB_EPOCHS=" + epochs + ": " + mode() + " mode with fewer epochs than the report";
        }
        return quick() ? "quick mode: fewer epochs" : "differs from the report";
    }

    /**
     * The seed to train with: {@code seed(42)} is 42 (the report's) unless {@code RNNLAB_SEED} /
     * {@code -Drnnlab.seed} is set, which overrides it. The override is for checking that a
     * notebook's conclusion is true of the method and not of one lucky seed
     * ({@code RNNLAB_SEED=7 environment/lab run 05}).
     *
     * @throws IllegalArgumentException if the override is not a whole number
     */
    public static long seed(long reportSeed) {
        String v = setting("rnnlab.seed", "RNNLAB_SEED");
        if (v == null) {
            return reportSeed;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("RNNLAB_SEED / rnnlab.seed is '" + v
                    + "'; allowed values: a whole number, or unset for the notebook's own seed", e);
        }
    }

    /** The data directory ({@code RNNLAB_DATA}, default the per-user cache). */
    public static Path dataDir() {
        String v = setting("rnnlab.data", "RNNLAB_DATA");
        if (v != null) {
            return Path.of(expandHome(v)).toAbsolutePath().normalize();
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("rnnlab").toAbsolutePath().normalize();
    }

    /** The project root: the nearest folder at or above the working directory holding {@code lib-src}. */
    public static Path projectDir() {
        String v = setting("rnnlab.home", "RNNLAB_HOME");
        if (v != null) {
            return Path.of(expandHome(v)).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve("lib-src")) && Files.isDirectory(q.resolve("data"))) {
                return q;
            }
        }
        return p;
    }

    /** The shipped samples ({@code RNNLAB_SAMPLES}, default {@code <project>/data}). */
    public static Path samplesDir() {
        String v = setting("rnnlab.samples", "RNNLAB_SAMPLES");
        return v != null ? Path.of(expandHome(v)).toAbsolutePath().normalize()
                : projectDir().resolve("data");
    }

    /** The folder for one notebook's figures: {@code <figures root>/<notebook>}; created if needed. */
    public static Path figuresDir(String notebook) {
        Objects.requireNonNull(notebook, "notebook");
        String v = setting("rnnlab.figures", "RNNLAB_FIGURES");
        Path root = v != null ? Path.of(expandHome(v)) : projectDir().resolve("figures");
        Path dir = root.resolve(notebook).toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the figures folder " + dir + ": " + e.getMessage()
                    + "; set RNNLAB_FIGURES to a writable folder", e);
        }
        return dir;
    }

    /** A one-line summary for the top of a notebook. */
    public static String describe() {
        return "rnnlab mode=" + mode() + " data=" + dataDir() + " samples=" + samplesDir();
    }

    private static String expandHome(String p) {
        return p.startsWith("~/") ? System.getProperty("user.home") + p.substring(1) : p;
    }
}
