package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Model files saved before {@code rnnlab.nn.dl4j} had sub-packages name rnnlab's layers, dropout and
 * initialiser as {@code rnnlab.nn.dl4j.X}: {@code Model.load} still reads them
 * ({@link rnnlab.nn.dl4j.FormerNames}). The old files are made here from new ones by moving every class
 * name back.
 */
class FormerClassNamesTest {

    private static final String CONFIG = "configuration.json";

    @Test
    void modelsSavedUnderTheFormerNamesLoad(@TempDir Path dir) throws IOException {
        Model fused = Sequential.of(new Layer.Embedding(20, 4),
                new Layer.Bidirectional(new Layer.LSTM(3).dropout(0.2).returnSequences(true)), new Layer.GRU(3),
                new Layer.Dense(2, "softmax")).torchInit().compile(Optimizer.adam(0.01), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
        Model reference = Sequential.of(new Layer.Embedding(20, 4), new Layer.GRU(3).returnSequences(true),
                new Layer.Bidirectional(new Layer.SimpleRNN(3)), new Layer.Dense(2, "softmax")).referenceLayers(true)
                .compile(Optimizer.adam(0.01), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
        Model lenet = Classifiers.leNet5(10).compile(Optimizer.adam(1e-3), Loss.SPARSE_CATEGORICAL_CROSSENTROPY);
        INDArray tokens = Nd4j.createFromArray(new int[][] {{1, 2, 3}, {4, 5, 19}}).castTo(DataType.FLOAT);
        Set<String> named = new TreeSet<>();
        named.addAll(assertLoadsUnderFormerNames(fused, tokens, dir.resolve("fused")));
        named.addAll(assertLoadsUnderFormerNames(reference, tokens, dir.resolve("reference")));
        named.addAll(assertLoadsUnderFormerNames(lenet, Nd4j.rand(DataType.FLOAT, 2, 1, 32, 32), dir.resolve("lenet")));
        assertEquals(new TreeSet<>(List.of("BidirectionalLastStep", "FastConvolution", "FastDense", "FastOutput",
                "FastSubsampling", "FusedBidirectional", "FusedRecurrent", "GruLayer", "ScatterEmbedding",
                "TimeSharedDropout", "TorchUniformInit")), named, "the classes of rnnlab.nn.dl4j these models name");
    }

    /** Saves {@code m}, moves its class names back, loads that file; returns the simple names of the rnnlab classes it named. */
    private static Set<String> assertLoadsUnderFormerNames(Model m, INDArray x, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path now = dir.resolve("now.zip");
        m.save(now);
        String conf;
        try (ZipFile z = new ZipFile(now.toFile())) {
            conf = new String(z.getInputStream(z.getEntry(CONFIG)).readAllBytes(), StandardCharsets.UTF_8);
        }
        String former = conf.replaceAll("\"rnnlab\\.nn\\.dl4j\\.(recurrent|conv|dense|runtime)\\.", "\"rnnlab.nn.dl4j.");
        assertNotEquals(conf, former, "the configuration names rnnlab's layers");
        assertFalse(former.matches("(?s).*\"rnnlab\\.nn\\.dl4j\\.[a-z]+\\..*"), "every class name moved back");
        Path old = ModelLoadSafetyTest.rewrite(now, dir.resolve("old.zip"),
                Map.of(CONFIG, b -> former.getBytes(StandardCharsets.UTF_8)));
        Model back = Model.load(old);
        assertEquals(m.predict(x), back.predict(x));
        assertEquals(m.summary(), back.summary());
        Set<String> named = new TreeSet<>();
        Matcher c = Pattern.compile("\"rnnlab\\.nn\\.dl4j\\.(\\w+)\"").matcher(former);
        while (c.find()) {
            named.add(c.group(1));
        }
        return named;
    }
}
