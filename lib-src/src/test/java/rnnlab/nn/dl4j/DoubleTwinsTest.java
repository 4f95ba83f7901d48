package rnnlab.nn.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The double-precision kernels are generated, not hand-edited: lib-src/pom.xml (execution
 * {@code double-twins}, phase generate-sources) writes each to {@code target/generated-sources/twins} as
 * the header of {@code src/twins/generated-header.txt} followed by its single-precision source with the
 * substitutions of {@code src/twins/twin-substitutions.properties}. These tests read the same two files,
 * so the build's output is checked against the one definition of the substitution.
 */
class DoubleTwinsTest {

    private static final Path MAIN = Path.of("src/main/java");
    private static final Path GENERATED = Path.of("target/generated-sources/twins");
    private static final Path TWINS = Path.of("src/twins");

    /** Single-precision source → generated twin, as lib-src/pom.xml lists them. */
    private static final Map<String, String> TWIN_OF = Map.of(
            "rnnlab/nn/dl4j/recurrent/FusedKernelF.java", "rnnlab/nn/dl4j/recurrent/FusedKernelD.java",
            "rnnlab/nn/dl4j/conv/ConvKernelF.java", "rnnlab/nn/dl4j/conv/ConvKernelD.java",
            "rnnlab/nn/dl4j/conv/VectorConvFloat.java", "rnnlab/nn/dl4j/conv/VectorConvDouble.java");

    @Test
    void everyTwinIsItsSourceWithTheSubstitutions() throws IOException {
        List<String[]> rules = rules();
        String header = Files.readString(TWINS.resolve("generated-header.txt"));
        for (var e : TWIN_OF.entrySet()) {
            Path twin = GENERATED.resolve(e.getValue());
            assertTrue(Files.isRegularFile(twin), twin + " was not generated: run `mvn generate-sources` (or any"
                    + " later phase) in lib-src before running the tests outside Maven");
            String expected = header.replace("@SOURCE@", e.getKey()) + substitute(read(MAIN.resolve(e.getKey())), rules);
            assertEquals(expected, read(twin), twin + " is not the generated twin of " + e.getKey()
                    + ": edit only the source and let `mvn generate-sources` rewrite the twin");
        }
    }

    @Test
    void theBuildGeneratesExactlyTheListedTwins() throws IOException {
        try (Stream<Path> files = Files.walk(GENERATED)) {
            var generated = files.filter(Files::isRegularFile).map(p -> GENERATED.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(TWIN_OF.values()), generated);
        }
    }

    @Test
    void noTwinIsCommittedBesideItsSource() {
        for (String twin : TWIN_OF.values()) {
            assertFalse(Files.exists(MAIN.resolve(twin)), "src/main/java/" + twin + " must not exist: it is generated"
                    + " into target/generated-sources/twins at build time (delete it and edit its single-precision source)");
        }
    }

    /** Ant's {@code <replace replacefilterfile>} applies the rules in the properties' hash order: every order must give the same twin. */
    @Test
    void theSubstitutionDoesNotDependOnTheOrderOfItsRules() throws IOException {
        List<String[]> rules = rules();
        assertTrue(rules.size() >= 3 && rules.size() <= 7, rules.size() + " rules: too many to try every order");
        List<List<String[]>> orders = permutations(rules);
        for (String source : TWIN_OF.keySet()) {
            String text = read(MAIN.resolve(source));
            String first = substitute(text, orders.get(0));
            assertFalse(first.equals(text), source + ": the substitution changed nothing");
            for (List<String[]> order : orders) {
                assertEquals(first, substitute(text, order), source + ": the rules give different twins in different orders;"
                        + " make no rule's key overlap another's or occur in a value");
            }
        }
    }

    private static List<String[]> rules() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(TWINS.resolve("twin-substitutions.properties"), StandardCharsets.ISO_8859_1)) {
            p.load(r); // Ant reads a replacefilterfile as Properties do, in ISO-8859-1
        }
        List<String[]> rules = new ArrayList<>();
        for (String k : new TreeSet<>(p.stringPropertyNames())) {
            rules.add(new String[] {k, p.getProperty(k)});
        }
        return rules;
    }

    private static String substitute(String text, List<String[]> rules) {
        for (String[] r : rules) {
            text = text.replace(r[0], r[1]);
        }
        return text;
    }

    private static List<List<String[]>> permutations(List<String[]> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<String[]>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<String[]> rest = new ArrayList<>(items);
            String[] head = rest.remove(i);
            for (List<String[]> tail : permutations(rest)) {
                List<String[]> p = new ArrayList<>();
                p.add(head);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
