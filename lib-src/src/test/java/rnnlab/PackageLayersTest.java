package rnnlab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The library's packages form layers, bottom to top, and a package never uses one above it (issue 20).
 * {@link #LAYERS} is the one statement of that order; each package's {@code package-info.java} says
 * what it is for. The check reads the sources: every {@code import} and every fully qualified
 * {@code rnnlab.x.Y} in code (comments and strings stripped) counts as a use.
 */
class PackageLayersTest {

    /**
     * Bottom → top. Packages on one line are peers that must not use each other. A package not listed
     * takes the layer of its nearest listed parent ({@code rnnlab.nn.dl4j.conv} is in {@code rnnlab.nn.dl4j}'s).
     */
    static final List<List<String>> LAYERS = List.of(
            List.of("rnnlab.display", "rnnlab.lab"),   // rendering to Jupyter; the lab's settings and interrupt flag
            List.of("rnnlab.text"),                    // Keras's preprocessing: tokenizer, pad_sequences
            List.of("rnnlab.data"),                    // datasets → integer sequences / tensors
            List.of("rnnlab.eval"),                    // metrics, classification reports, the bag-of-words baseline
            List.of("rnnlab.nn.dl4j"),                 // DL4J layers and kernels behind rnnlab.nn
            List.of("rnnlab.train"),                   // the fit loop, callbacks, history (Keras: Model extends Trainer)
            List.of("rnnlab.nn"),                      // Sequential, layers, Model: summary, fit, predict, save
            List.of("rnnlab.charrnn"),                 // report 004's hand-written cells
            List.of("rnnlab.plot"),                    // figures and tables
            List.of("rnnlab.view"),                    // interactive views of padding, layers and steps
            List.of("rnnlab.notebook"));               // a notebook's reproduction table and full-run record

    static final Path MAIN = Path.of("src", "main", "java");

    private static final Pattern USE = Pattern.compile("\\b(rnnlab(?:\\.[a-z][a-z0-9_]*)+)\\.[A-Z*]");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    static int layerOf(String pkg) {
        String best = null;
        int layer = -1;
        for (int i = 0; i < LAYERS.size(); i++) {
            for (String p : LAYERS.get(i)) {
                if ((pkg.equals(p) || pkg.startsWith(p + ".")) && (best == null || p.length() > best.length())) {
                    best = p;
                    layer = i;
                }
            }
        }
        return layer;
    }

    /** The listed package a package belongs to ({@code rnnlab.nn.dl4j.conv} → {@code rnnlab.nn.dl4j}). */
    static String home(String pkg) {
        String best = pkg;
        int len = -1;
        for (List<String> layer : LAYERS) {
            for (String p : layer) {
                if ((pkg.equals(p) || pkg.startsWith(p + ".")) && p.length() > len) {
                    best = p;
                    len = p.length();
                }
            }
        }
        return best;
    }

    /** Source text without comments and string/char literals, so Javadoc links and messages are not uses. */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    static List<Path> sources() {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String packageOf(Path file, String src) {
        Matcher m = PACKAGE.matcher(code(src));
        assertTrue(m.find(), file + " has no package declaration");
        return m.group(1);
    }

    @Test
    void everyPackageIsInALayer() throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path f : sources()) {
            String pkg = packageOf(f, Files.readString(f));
            if (layerOf(pkg) < 0) {
                missing.add(pkg + " (" + f + ")");
            }
        }
        assertEquals(List.of(), missing, "packages not in PackageLayersTest.LAYERS: add them to the layer they belong to");
    }

    @Test
    void noPackageUsesOneAboveItOrAPeer() throws IOException {
        TreeSet<String> wrong = new TreeSet<>();
        for (Path f : sources()) {
            String src = Files.readString(f);
            String pkg = packageOf(f, src);
            int layer = layerOf(pkg);
            Matcher m = USE.matcher(code(src));
            while (m.find()) {
                String used = m.group(1);
                if (home(used).equals(home(pkg))) {
                    continue;
                }
                int usedLayer = layerOf(used);
                if (usedLayer >= layer) {
                    wrong.add(f + ": " + pkg + " (layer " + layer + ") uses " + used + " (layer " + usedLayer + ")");
                }
            }
        }
        assertEquals(new TreeSet<>(), wrong, "a package may use only packages in layers below its own (PackageLayersTest.LAYERS)");
    }

    @Test
    void everyPackageHasItsPage() throws IOException {
        TreeSet<String> missing = new TreeSet<>();
        for (Path f : sources()) {
            if (!Files.exists(f.resolveSibling("package-info.java"))) {
                missing.add(packageOf(f, Files.readString(f)));
            }
        }
        assertEquals(new TreeSet<>(), missing, "every package needs a package-info.java saying what it is for");
    }

    @Test
    void theCheckSeesAnUpwardUse() {
        String src = "package rnnlab.data;\nimport rnnlab.nn.Model; // a comment naming rnnlab.plot.Figure\n"
                + "class X { String s = \"rnnlab.view.PadExplorer\"; Object o = rnnlab.train.History.class; }";
        Matcher m = USE.matcher(code(src));
        List<String> used = new ArrayList<>();
        while (m.find()) {
            used.add(m.group(1));
        }
        assertEquals(List.of("rnnlab.nn", "rnnlab.train"), used, "imports and qualified names count; comments and strings do not");
        assertTrue(layerOf("rnnlab.nn") > layerOf("rnnlab.data"));
        assertEquals(layerOf("rnnlab.nn.dl4j"), layerOf("rnnlab.nn.dl4j.conv"));
        assertTrue(layerOf("rnnlab.nn") > layerOf("rnnlab.nn.dl4j.conv"));
        assertEquals(-1, layerOf("rnnlab.unknown"));
    }
}
