package rnnlab.bench;

import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import rnnlab.data.DataSource;
import rnnlab.data.Imdb;
import rnnlab.data.ImdbData;
import rnnlab.data.ImdbOptions;
import rnnlab.data.ImdbText;
import rnnlab.data.Mnist;
import rnnlab.data.MnistData;
import rnnlab.data.MnistTransform;
import rnnlab.data.Names;
import rnnlab.data.NamesData;

/**
 * Run once by hand (not a test; needs the full data): load times of every loader on the full
 * copies, and the report-000 check. {@code java ... rnnlab.bench.FullDataBenchmark /work/shared/datasets}
 * (class path: see {@link rnnlab.bench}).
 */
public final class FullDataBenchmark {

    private FullDataBenchmark() {
    }

    public static void main(String[] args) {
        DataSource src = DataSource.of(Path.of(args.length > 0 ? args[0] : "/work/shared/datasets"));
        for (int round = 0; round < 2; round++) {
            System.out.println("-- round " + (round + 1) + (round == 0 ? " (cold JVM)" : " (warm JVM)"));
            long t0 = System.nanoTime();
            ImdbData d = Imdb.loadData(src, ImdbOptions.builder().numWords(10000).seed(42).build());
            long t1 = System.nanoTime();
            System.out.printf("IMDB keras-style: %.2f s  train %s test %s unknownTokens=%d%n", (t1 - t0) / 1e9,
                    d.train(), d.test(), d.unknownTokens());
            System.out.println("  train[0][:12] = " + Arrays.toString(Arrays.copyOf(d.train().x()[0], 12)));
            System.out.println("  decoded: " + d.decode(d.train().x()[0]).substring(0, 120));
            t0 = System.nanoTime();
            ImdbText txt = Imdb.loadText(src);
            t1 = System.nanoTime();
            System.out.printf("IMDB raw text: %.2f s  %s / %s%n", (t1 - t0) / 1e9, txt.train(), txt.test());
            t0 = System.nanoTime();
            MnistData m = Mnist.load(src);
            t1 = System.nanoTime();
            INDArray img = m.train().images(MnistTransform.report001());
            long t2 = System.nanoTime();
            INDArray seq = m.train().sequences(MnistTransform.report001());
            long t3 = System.nanoTime();
            System.out.printf("MNIST IDX: %.2f s (%s / %s); 60k images -> [N,1,32,32] %.2f s %s; sequences %.2f s %s%n",
                    (t1 - t0) / 1e9, m.train(), m.test(), (t2 - t1) / 1e9, Arrays.toString(img.shape()),
                    (t3 - t2) / 1e9, Arrays.toString(seq.shape()));
            System.out.printf("  mean %.4f std %.4f of transformed train images%n", img.meanNumber().doubleValue(),
                    img.stdNumber().doubleValue());
            t0 = System.nanoTime();
            NamesData n = Names.load(src);
            t1 = System.nanoTime();
            System.out.printf("Names: %.3f s %s%n", (t1 - t0) / 1e9, n);
        }
    }
}
