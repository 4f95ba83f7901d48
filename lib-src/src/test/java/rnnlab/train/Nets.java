package rnnlab.train;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny DL4J networks and toy data sets for the trainer tests. */
final class Nets {

    private Nets() {
    }

    /** Dense(8, tanh) [+ dropout] → one sigmoid output, binary cross-entropy. */
    static MultiLayerNetwork binary(long seed, IUpdater updater, double dropoutRetain) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(updater).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH)
                        .dropOut(dropoutRetain).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(8).nOut(1)
                        .activation(Activation.SIGMOID).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.build());
        net.init();
        return net;
    }

    static MultiLayerNetwork binary(long seed) {
        return binary(seed, new Adam(0.05), 1.0);
    }

    /** Dense(8, tanh) → softmax over {@code classes}, multi-class cross-entropy. */
    static MultiLayerNetwork categorical(long seed, int classes) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** The same network as {@link #categorical} but with Keras's sparse_categorical_crossentropy (class-id labels). */
    static MultiLayerNetwork sparse(long seed, int classes) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).updater(new Adam(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(8).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(new org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT()).nIn(8)
                        .nOut(classes).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    /** {@code n} points in 2-D: class 1 around (+1.5, +1.5), class 0 around (-1.5, -1.5), interleaved. */
    static INDArray blobs(int n, int classes, long seed, int[] labelsOut) {
        java.util.Random r = new java.util.Random(seed);
        float[][] x = new float[n][2];
        for (int i = 0; i < n; i++) {
            int c = i % classes;
            labelsOut[i] = c;
            double angle = 2 * Math.PI * c / classes + (classes == 2 ? Math.PI / 4 : 0);
            x[i][0] = (float) (2 * Math.cos(angle) + 0.5 * r.nextGaussian());
            x[i][1] = (float) (2 * Math.sin(angle) + 0.5 * r.nextGaussian());
        }
        return Nd4j.createFromArray(x);
    }
}
