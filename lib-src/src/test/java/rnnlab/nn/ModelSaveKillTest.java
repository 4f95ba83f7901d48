package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Issue 18 item 1 with a real process kill: a child JVM saves a large model over an existing good
 * file in a loop and is killed (SIGKILL) in the middle of the loop; the file must still load.
 */
class ModelSaveKillTest {

    private static final int UNITS = 1200; // ~2.9 M parameters: a 20-40 MB zip with the updater state

    @Test
    void killingTheJvmDuringASaveLeavesThePreviousFileLoadable(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("model.zip");
        Model good = Sequential.of(new Layer.Dense(UNITS, "relu"), new Layer.Dense(UNITS, "relu"), new Layer.Dense(1, "sigmoid"))
                .inputFeatures(UNITS).seed(1).compile("adam", "binary_crossentropy");
        good.save(target);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, UNITS);
        INDArray expected = good.predict(x);
        // Kill at a few different moments into the save loop: each one must leave a loadable file.
        long[] killAfterMillis = {400, 1100, 1900};
        for (long wait : killAfterMillis) {
            Process child = start(target);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                List<String> seen = new ArrayList<>();
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("saving 1")) {
                    seen.add(line);
                }
                assertTrue(line != null, "the child never reached its second save: " + seen);
                Thread.sleep(wait);
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child did not die");
            }
            Model back = Model.load(target);
            assertEquals(expected, back.predict(x), "the file after a kill " + wait + " ms into the loop");
        }
        try (Stream<Path> left = Files.list(dir)) {
            // a killed writer cannot remove its own temporary file: at most one per kill, all hidden
            left.filter(p -> !p.equals(target)).forEach(p -> assertTrue(p.getFileName().toString().startsWith("."), p.toString()));
        }
    }

    private static Process start(Path target) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx1g", "--add-modules=jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), SaveLoop.class.getName(), target.toString(), String.valueOf(UNITS)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }
}
