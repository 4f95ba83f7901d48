package rnnlab.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import rnnlab.data.DataSource;
import rnnlab.data.Mnist;
import rnnlab.data.MnistSplit;
import rnnlab.data.MnistTransform;
import rnnlab.nn.Classifiers;
import rnnlab.nn.Loss;
import rnnlab.nn.Optimizer;
import rnnlab.nn.TorchRecurrent;

/**
 * Run by hand (not a test; needs the full MNIST): the step-by-step comparison of report 001's RNN
 * classifier (dropout 0) with PyTorch that found issue 7's cause. Writes to {@code OUT} the initial
 * parameters ({@code p0_<layer>_<param>.f32}), the first {@code steps} mini-batches of 64 MNIST rows
 * in file order ({@code x.f32} [n, 32 features, 32 steps], {@code y.f32}), the summed gradient of
 * step 0 ({@code g0_*}), the parameters after steps 1..3 ({@code p1_*} ..) and every step's loss
 * ({@code java_losses.txt}); all little-endian float32, C order, DL4J's layouts. Then
 * {@code /usr/bin/python3 lib-src/bench/torch_rnn_steps.py OUT} loads the same weights into
 * {@code torch.nn.RNN}, trains on the same batches with {@code torch.optim.Adam} and prints where the
 * two part. {@code java ... rnnlab.bench.RnnStepDump DATA_DIR OUT [steps]}
 * (class path: see {@link rnnlab.bench}).
 */
public final class RnnStepDump {

    private RnnStepDump() {
    }

    static void write(Path f, INDArray a) throws IOException {
        float[] d = a.dup('c').castTo(DataType.FLOAT).data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(4 * d.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : d) {
            b.putFloat(v);
        }
        Files.write(f, b.array());
    }

    static void dumpParams(MultiLayerNetwork net, Path dir, String prefix) throws IOException {
        for (int i = 0; i < net.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> e : net.getLayer(i).paramTable().entrySet()) {
                write(dir.resolve(prefix + "_" + i + "_" + e.getKey() + ".f32"), e.getValue());
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Path data = Path.of(args[0]);
        Path out = Path.of(args[1]);
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Files.createDirectories(out);
        int bs = 64;
        MnistSplit train = Mnist.load(DataSource.of(data)).train().head(steps * bs);
        INDArray x = train.sequences(MnistTransform.report001());
        INDArray oneHot = train.labelsOneHot();
        write(out.resolve("x.f32"), x);
        write(out.resolve("y.f32"), Nd4j.createFromArray(train.labels()).castTo(DataType.FLOAT));
        MultiLayerNetwork net = Classifiers.rowSequenceClassifier(TorchRecurrent.Cell.RNN, 32, 128, 2, 0.0, 10).seed(42)
                .compile(Optimizer.adam(1e-3).epsilon(1e-8), Loss.CATEGORICAL_CROSSENTROPY).network();
        dumpParams(net, out, "p0");
        try (PrintWriter losses = new PrintWriter(Files.newBufferedWriter(out.resolve("java_losses.txt")))) {
            for (int s = 0; s < steps; s++) {
                INDArray xb = x.get(NDArrayIndex.interval(s * bs, (s + 1) * bs)).dup('c');
                INDArray yb = oneHot.get(NDArrayIndex.interval(s * bs, (s + 1) * bs), NDArrayIndex.all()).dup('c');
                if (s == 0) {
                    net.setInput(xb);
                    net.setLabels(yb);
                    net.computeGradientAndScore();
                    for (Map.Entry<String, INDArray> e : net.gradient().gradientForVariable().entrySet()) {
                        write(out.resolve("g0_" + e.getKey() + ".f32"), e.getValue());
                    }
                }
                net.fit(new DataSet(xb, yb));
                losses.println(net.score());
                if (s < 3) {
                    dumpParams(net, out, "p" + (s + 1));
                }
            }
        }
        System.out.println("wrote " + steps + " steps to " + out);
    }
}
