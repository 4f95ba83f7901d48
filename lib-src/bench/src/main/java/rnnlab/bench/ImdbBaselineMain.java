package rnnlab.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import rnnlab.eval.BagOfWordsBaseline;
import rnnlab.eval.ClassificationReport;

/**
 * One-off measurement, not a test: trains {@link BagOfWordsBaseline} on the 25,000 IMDB training
 * reviews and scores the 25,000 test reviews, straight from {@code aclImdb_v1.tar.gz}. Run with the
 * archive path as argument (default /work/shared/datasets/imdb/aclImdb_v1.tar.gz; class path: see
 * {@link rnnlab.bench}). Output of one run: lib-src/bench/imdb_baseline_run.txt.
 */
public final class ImdbBaselineMain {

    private ImdbBaselineMain() {
    }

    public static void main(String[] args) throws IOException {
        Path archive = Path.of(args.length > 0 ? args[0] : "/work/shared/datasets/imdb/aclImdb_v1.tar.gz");
        long t0 = System.nanoTime();
        List<String> trainTexts = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<String> testTexts = new ArrayList<>();
        List<Integer> testLabels = new ArrayList<>();
        try (InputStream in = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(archive))))) {
            TarArchiveInputStream tar = (TarArchiveInputStream) in;
            TarArchiveEntry e;
            while ((e = tar.getNextTarEntry()) != null) {
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".txt")) {
                    continue;
                }
                String[] parts = name.split("/");
                // aclImdb/{train,test}/{pos,neg}/<id>_<rating>.txt
                if (parts.length != 4 || !(parts[2].equals("pos") || parts[2].equals("neg"))) {
                    continue;
                }
                String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                int label = parts[2].equals("pos") ? 1 : 0;
                if (parts[1].equals("train")) {
                    trainTexts.add(text);
                    trainLabels.add(label);
                } else if (parts[1].equals("test")) {
                    testTexts.add(text);
                    testLabels.add(label);
                }
            }
        }
        double readSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("read %d train and %d test reviews in %.1f s%n", trainTexts.size(), testTexts.size(), readSeconds);
        int[] yTrain = trainLabels.stream().mapToInt(Integer::intValue).toArray();
        int[] yTest = testLabels.stream().mapToInt(Integer::intValue).toArray();
        // Choose the learning rate and epochs on a validation split of the TRAINING reviews (20%, shuffled
        // with seed 7), never on the test set; then train on all 25k and score the test set once.
        int n = trainTexts.size();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(7));
        int nFit = n * 4 / 5;
        List<String> fitTexts = new ArrayList<>();
        List<String> valTexts = new ArrayList<>();
        int[] yFit = new int[nFit];
        int[] yVal = new int[n - nFit];
        for (int k = 0; k < n; k++) {
            int i = order.get(k);
            if (k < nFit) {
                fitTexts.add(trainTexts.get(i));
                yFit[k] = yTrain[i];
            } else {
                valTexts.add(trainTexts.get(i));
                yVal[k - nFit] = yTrain[i];
            }
        }
        BagOfWordsBaseline.Options best = null;
        double bestAcc = -1;
        for (double lr : new double[]{1.0, 0.1, 0.02}) {
            for (int epochs : new int[]{1, 3, 5}) {
                BagOfWordsBaseline.Options o = BagOfWordsBaseline.Options.defaults().withLearningRate(lr).withEpochs(epochs);
                BagOfWordsBaseline m = BagOfWordsBaseline.train(fitTexts, yFit, o);
                double acc = m.evaluate(valTexts, yVal).accuracy();
                System.out.printf("lr %.2f epochs %d: validation accuracy %.4f (train %.1f s)%n", lr, epochs, acc, m.trainingSeconds());
                if (acc > bestAcc) {
                    bestAcc = acc;
                    best = o;
                }
            }
        }
        for (BagOfWordsBaseline.Options o : List.of(BagOfWordsBaseline.Options.defaults().withLearningRate(1.0), best)) {
            BagOfWordsBaseline model = BagOfWordsBaseline.train(trainTexts, yTrain, o);
            long t1 = System.nanoTime();
            ClassificationReport r = model.evaluate(testTexts, yTest, List.of("neg", "pos"));
            double evalSeconds = (System.nanoTime() - t1) / 1e9;
            System.out.println(model);
            System.out.printf("test accuracy %.4f (predicting 25k test reviews took %.1f s)%n", r.accuracy(), evalSeconds);
            System.out.println(r);
        }
    }
}
