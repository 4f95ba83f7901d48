package rnnlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The trainer on the shapes the notebooks use: token ids [N, T] through an embedding and an LSTM,
 * and images [N, 1, H, W] through a small CNN (whose output layer has an input preprocessor).
 */
class ArchitecturesTest {

    @BeforeAll
    static void oneThread() {
        Nd4j.getEnvironment().setMaxThreads(1);
    }

    @Test
    void embeddingLstmLearnsWhichTokenDominates() {
        int n = 160;
        int t = 6;
        Random r = new Random(3);
        float[][] ids = new float[n][t];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            for (int j = 0; j < t; j++) {
                ids[i][j] = r.nextDouble() < 0.8 ? 1 + y[i] : 3;
            }
        }
        INDArray x = Nd4j.createFromArray(ids);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).updater(new Adam(0.02)).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(4).nOut(4).inputLength(t).build())
                .layer(new LastTimeStep(new LSTM.Builder().nIn(4).nOut(8).activation(Activation.TANH)
                        .dataFormat(RNNFormat.NCW).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(8).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build());
        net.init();
        History h = Trainer.fit(net, x, y, FitOptions.builder().verbose(0).seed(1).epochs(12).batchSize(16)
                .validationSplit(0.25).build());
        assertTrue(h.last("val_accuracy") > 0.9, h.toString());
        INDArray labels = Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(n, 1);
        assertEquals(net.score(new DataSet(x, labels), false), Trainer.evaluate(net, x, y, 16).loss(), 1e-5);
    }

    @Test
    void cnnWithPreprocessedOutputLayerScoresLikeDl4j() {
        int n = 64;
        Random r = new Random(4);
        float[][][][] img = new float[n][1][6][6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            for (int a = 0; a < 6; a++) {
                for (int b = 0; b < 6; b++) {
                    img[i][0][a][b] = (float) ((a / 2 == y[i] ? 1.0 : 0.0) + 0.3 * r.nextGaussian());
                }
            }
        }
        INDArray x = Nd4j.createFromArray(img);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2)
                .dataType(DataType.FLOAT).updater(new Adam(0.02)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 1))
                .build());
        net.init();
        assertTrue(net.getLayerWiseConfigurations().getInputPreProcess(2) != null, "the output layer has a preprocessor");
        MultiLayerNetwork before = net.clone();
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, n, 3);
        for (int i = 0; i < n; i++) {
            oneHot.putScalar(i, y[i], 1);
        }
        History h = Trainer.fit(net, x, y, FitOptions.builder().verbose(0).epochs(1).batchSize(n).shuffle(false).build());
        assertEquals(before.score(new DataSet(x, oneHot), true), h.loss().get(0), 1e-5);
        int[] pred = Trainer.predictClasses(before, x);
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += pred[i] == y[i] ? 1 : 0;
        }
        assertEquals(correct / (double) n, h.accuracy().get(0), 1e-12, "training accuracy from the pre-update forward pass");
        assertEquals(net.score(new DataSet(x, oneHot), false), Trainer.evaluate(net, x, oneHot, 10).loss(), 1e-5);
        History more = Trainer.fit(net, x, y, FitOptions.builder().verbose(0).seed(3).epochs(15).batchSize(16).build());
        assertTrue(more.last("accuracy") > 0.9, more.toString());
    }

    @Test
    void outputCaptureFiresDuringFit() {
        MultiLayerNetwork net = Nets.binary(1);
        OutputCapture capture = new OutputCapture(net);
        net.setListeners(capture);
        MetricAccumulator acc = new MetricAccumulator(Task.of(net));
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 2);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 1);
        capture.arm(y, acc);
        net.fit(new DataSet(x, y));
        capture.disarm();
        assertTrue(capture.fired());
        assertEquals(8, acc.seen());
    }
}
