package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue 18 item 2: {@code Model.load} of a file from an untrusted source. The crafted files are
 * made here from a real saved model by replacing one entry.
 */
class ModelLoadSafetyTest {

    private static Model tiny() {
        return Sequential.of(new Layer.Embedding(20, 4), new Layer.Bidirectional(new Layer.LSTM(3)), new Layer.Dense(2, "softmax"))
                .name("tiny").compile(Optimizer.adam(0.01), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
    }

    private static final INDArray X = Nd4j.createFromArray(new int[][] {{1, 2, 3}, {4, 5, 19}}).castTo(DataType.FLOAT);

    @Test
    void metadataIsJsonAndRoundTripsWithTheOptimiserState(@TempDir Path dir) throws IOException {
        Model m = tiny();
        m.network().fit(X, Nd4j.createFromArray(new float[][] {{0}, {1}}));
        Path f = dir.resolve("m.zip");
        m.save(f);
        try (ZipFile z = new ZipFile(f.toFile())) {
            String json = new String(z.getInputStream(z.getEntry(Model.META_ENTRY)).readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"Bidirectional\""), json);
            assertFalse(json.contains("rnnlab."), "no class names in the metadata: " + json);
            assertEquals(null, z.getEntry("rnnlab-model"), "no Java-serialized entry any more");
        }
        Model back = Model.load(f);
        assertEquals(m.predict(X), back.predict(X));
        assertEquals(m.summary(), back.summary());
        assertEquals(m.layers(), back.layers());
        assertEquals(m.network().getUpdater().getStateViewArray(), back.network().getUpdater().getStateViewArray());
    }

    @Test
    void filesWithTheOldSerializedMetadataStillLoad(@TempDir Path dir) throws IOException {
        Model m = tiny();
        Path f = dir.resolve("m.zip");
        m.save(f);
        Path old = rewrite(f, dir.resolve("old.zip"), Map.of(Model.META_ENTRY, n -> null, "rnnlab-model", n -> serialize(m.meta())));
        assertEquals(m.predict(X), Model.load(old).predict(X));
    }

    @Test
    void aDeserializationBombIsRefusedWithinASecond(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.zip");
        tiny().save(f);
        byte[] bomb = serialize(bomb());
        assertTrue(bomb.length < 10_000, "a few KB: " + bomb.length);
        Path crafted = rewrite(f, dir.resolve("bomb.zip"), Map.of(Model.META_ENTRY, n -> null, "rnnlab-model", n -> bomb));
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(IllegalArgumentException.class, () -> Model.load(crafted)));
        assertTrue(e.getMessage().contains("bomb.zip") && e.getMessage().contains("save it again"), e.getMessage());
    }

    @Test
    void aWrongObjectTypeGivesAClearError(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.zip");
        tiny().save(f);
        Path crafted = rewrite(f, dir.resolve("string.zip"), Map.of(Model.META_ENTRY, n -> null,
                "rnnlab-model", n -> serialize("not a model")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(crafted));
        assertTrue(e.getMessage().contains("java.lang.String") && e.getMessage().contains("not rnnlab model metadata"), e.getMessage());
    }

    @Test
    void aConfigurationNamingAForeignClassIsRefusedBeforeDl4jReadsIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.zip");
        tiny().save(f);
        for (String evil : new String[] {"com.sun.rowset.JdbcRowSetImpl", "org.nd4j.Foo<com.evil.Gadget>"}) {
            Path crafted = rewrite(f, dir.resolve("evil.zip"), Map.of("configuration.json", json -> new String(json, StandardCharsets.UTF_8)
                    .replaceFirst("\"@class\" : \"[^\"]+\"", "\"@class\" : \"" + evil + "\"").getBytes(StandardCharsets.UTF_8)));
            IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                    () -> assertThrows(IllegalArgumentException.class, () -> Model.load(crafted)));
            assertTrue(e.getMessage().contains("'" + evil + "'") && e.getMessage().contains("may only name"), e.getMessage());
        }
        // Jackson's array form of a type id: ["class", {...}]
        Path wrapped = rewrite(f, dir.resolve("wrapped.zip"), Map.of("configuration.json", json -> new String(json, StandardCharsets.UTF_8)
                .replaceFirst("\"confs\" : \\[", "\"confs\" : [ [\"java.util.HashMap\", {}], ").getBytes(StandardCharsets.UTF_8)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(wrapped));
        assertTrue(e.getMessage().contains("'java.util.HashMap'"), e.getMessage());
    }

    @Test
    void entriesDl4jWouldDeserializeAreRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.zip");
        tiny().save(f);
        Path crafted = rewrite(f, dir.resolve("pp.zip"), Map.of("preprocessor.bin", n -> serialize(bomb())));
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(IllegalArgumentException.class, () -> Model.load(crafted)));
        assertTrue(e.getMessage().contains("'preprocessor.bin'"), e.getMessage());
    }

    @Test
    void aParameterCountThatDoesNotMatchIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.zip");
        tiny().save(f);
        Path crafted = rewrite(f, dir.resolve("big.zip"), Map.of("configuration.json", json -> new String(json, StandardCharsets.UTF_8)
                .replaceFirst("\"nout\" : 4,", "\"nout\" : 2000000000,").getBytes(StandardCharsets.UTF_8)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(crafted));
        assertTrue(e.getMessage().contains("parameters"), e.getMessage());
    }

    @Test
    void metadataThatDoesNotFitTheNetworkIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("m.zip");
        tiny().save(f);
        Path crafted = rewrite(f, dir.resolve("ranges.zip"), Map.of(Model.META_ENTRY, json -> new String(json, StandardCharsets.UTF_8)
                .replaceFirst("\"ranges\" : \\[ \\[ 0, 1 \\]", "\"ranges\" : [ [ 0, 99 ]").getBytes(StandardCharsets.UTF_8)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.load(crafted));
        assertTrue(e.getMessage().contains("[0, 99]"), e.getMessage());
    }

    /** The classic nested-HashSet deserialization bomb: hashing it on read takes 2^100 steps. */
    private static Set<Object> bomb() {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("x");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    private static byte[] serialize(Object o) {
        try (ByteArrayOutputStream b = new ByteArrayOutputStream(); ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(o);
            out.flush();
            return b.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A copy of zip {@code from} where each named entry is replaced (null removes it; new names are added). */
    static Path rewrite(Path from, Path to, Map<String, UnaryOperator<byte[]>> change) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); OutputStream raw = Files.newOutputStream(to);
             ZipOutputStream out = new ZipOutputStream(raw)) {
            Set<String> done = new HashSet<>();
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] b;
                try (InputStream s = in.getInputStream(e)) {
                    b = s.readAllBytes();
                }
                if (change.containsKey(e.getName())) {
                    b = change.get(e.getName()).apply(b);
                    done.add(e.getName());
                }
                if (b != null) {
                    out.putNextEntry(new ZipEntry(e.getName()));
                    out.write(b);
                    out.closeEntry();
                }
            }
            for (var c : change.entrySet()) {
                byte[] b = done.contains(c.getKey()) ? null : c.getValue().apply(null);
                if (b != null) {
                    out.putNextEntry(new ZipEntry(c.getKey()));
                    out.write(b);
                    out.closeEntry();
                }
            }
        }
        return to;
    }
}
