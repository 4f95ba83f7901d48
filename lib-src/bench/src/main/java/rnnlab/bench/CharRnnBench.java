package rnnlab.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import rnnlab.charrnn.CharRnnModel;
import rnnlab.charrnn.CharRnnTrainer;
import rnnlab.charrnn.NameClassifier;
import rnnlab.charrnn.TrainingHistory;

/**
 * Throwaway benchmark (not a test): ms per training iteration of the three report-004 cells on real
 * names, and optionally validation accuracy after a long run. The torch counterpart is
 * lib-src/bench/torch_charrnn.py. Run from the project folder after {@code environment/lab setup}
 * (or {@code mvn -B -q package -DskipTests}):
 * <pre>
 * java -cp lib-src/bench/target/rnnlab-bench.jar:lib-src/target/rnnlab.jar:lib-src/target/lib/* rnnlab.bench.CharRnnBench [zip] [timedIters] [trainIters]
 * </pre>
 * The zip reading and ASCII folding here only serve the benchmark; the library's loader is rnnlab.data.
 */
public final class CharRnnBench {

    static final String ALL_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,;'";

    private CharRnnBench() {
    }

    public static void main(String[] args) throws IOException {
        Path zip = Path.of(args.length > 0 ? args[0] : "/work/shared/datasets/names/data.zip");
        int timed = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int trainIters = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        List<String> categories = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (ZipInputStream zin = new ZipInputStream(java.nio.file.Files.newInputStream(zip))) {
            // sorted order of categories, as reading sorted(glob(...)) would give
            List<String[]> files = new ArrayList<>();
            for (ZipEntry e; (e = zin.getNextEntry()) != null; ) {
                if (e.getName().endsWith(".txt")) {
                    String lang = e.getName().substring(e.getName().lastIndexOf('/') + 1).replace(".txt", "");
                    String text = new String(zin.readAllBytes(), StandardCharsets.UTF_8);
                    files.add(new String[] {lang, text});
                }
            }
            files.sort((a, b) -> a[0].compareTo(b[0]));
            for (String[] f : files) {
                int k = categories.size();
                categories.add(f[0]);
                for (String line : new BufferedReader(new java.io.StringReader(f[1])).lines().toList()) {
                    String n = unicodeToAscii(line.strip());
                    if (!n.isEmpty()) {
                        names.add(n);
                        labels.add(k);
                    }
                }
            }
        }
        // 90/10 stratification-free random split with a fixed seed
        Integer[] order = new Integer[names.size()];
        Arrays.setAll(order, i -> i);
        java.util.Collections.shuffle(Arrays.asList(order), new Random(42));
        int nVal = names.size() / 10;
        List<String> trN = new ArrayList<>(), vaN = new ArrayList<>();
        List<Integer> trY = new ArrayList<>(), vaY = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            (i < nVal ? vaN : trN).add(names.get(order[i]));
            (i < nVal ? vaY : trY).add(labels.get(order[i]));
        }
        int[] trL = trY.stream().mapToInt(Integer::intValue).toArray();
        int[] vaL = vaY.stream().mapToInt(Integer::intValue).toArray();
        System.out.printf("names %d (train %d, validation %d), categories %d%n", names.size(), trN.size(), vaN.size(), categories.size());
        for (CharRnnModel.Cell cell : CharRnnModel.Cell.values()) {
            NameClassifier clf = new NameClassifier(CharRnnModel.create(cell, 57, 128, categories.size(), 1),
                    categories, ALL_LETTERS::indexOf);
            CharRnnTrainer warm = CharRnnTrainer.builder().iterations(2000).printEvery(1_000_000).seed(7).log(s -> { }).build();
            warm.train(clf, trN, trL, null, null);
            double best = Double.MAX_VALUE;
            double bestCpu = Double.MAX_VALUE;
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int rep = 0; rep < 3; rep++) {
                long c0 = mx.getCurrentThreadCpuTime();
                TrainingHistory h = CharRnnTrainer.builder().iterations(timed).printEvery(1_000_000).seed(rep)
                        .log(s -> { }).build().train(clf, trN, trL, null, null);
                double cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e6 / timed;
                best = Math.min(best, h.msPerIteration());
                bestCpu = Math.min(bestCpu, cpu);
                System.out.printf("java %s rep %d: %.4f ms/iteration wall, %.4f ms/iteration cpu (%d iterations)%n",
                        cell, rep, h.msPerIteration(), cpu, timed);
            }
            System.out.printf("java %s best: %.4f ms/iteration wall, %.4f ms cpu%n", cell, best, bestCpu);
        }
        if (trainIters > 0) {
            List<CharRnnModel.Cell> cells = args.length > 3
                    ? Arrays.stream(args[3].split(",")).map(CharRnnModel.Cell::valueOf).toList()
                    : List.of(CharRnnModel.Cell.values());
            for (CharRnnModel.Cell cell : cells) {
                NameClassifier clf = new NameClassifier(CharRnnModel.create(cell, 57, 128, categories.size(), 1),
                        categories, ALL_LETTERS::indexOf);
                TrainingHistory h = CharRnnTrainer.builder().iterations(trainIters).printEvery(trainIters / 4)
                        .validateEvery(trainIters / 10).seed(11).build().train(clf, trN, trL, vaN, vaL);
                System.out.printf("java %s: %d iterations in %.1f s (%.4f ms/iteration), last avg loss %.4f, validation accuracy %s%n",
                        cell, h.iterations(), h.seconds(), h.msPerIteration(), h.losses().get(h.losses().size() - 1),
                        h.validationAccuracy());
                int[][] cm = clf.confusionMatrix(vaN, vaL);
                double[][] norm = NameClassifier.normalize(cm);
                double balanced = 0;
                for (int k = 0; k < norm.length; k++) {
                    balanced += norm[k][k];
                }
                System.out.printf("java %s: training-set accuracy %.4f, held-out accuracy %.4f, held-out mean per-language recall %.4f%n",
                        cell, clf.accuracy(trN, trL), clf.accuracy(vaN, vaL), balanced / norm.length);
                System.out.println(clf.predict("Dovesky", 3) + " " + clf.predict("Jackson", 3) + " " + clf.predict("Satoshi", 3));
            }
        }
    }

    /** The tutorial's unicodeToAscii: NFD, drop combining marks, keep only all_letters. */
    static String unicodeToAscii(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : Normalizer.normalize(s, Normalizer.Form.NFD).toCharArray()) {
            if (Character.getType(c) != Character.NON_SPACING_MARK && ALL_LETTERS.indexOf(c) >= 0) {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
