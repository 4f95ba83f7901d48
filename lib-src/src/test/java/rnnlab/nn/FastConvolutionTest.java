package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rnnlab.nn.dl4j.LayerTestKit.assertRel;

import java.util.Arrays;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import rnnlab.nn.dl4j.conv.FastConvolution;
import rnnlab.nn.dl4j.conv.FastConvolutionImpl;
import rnnlab.nn.dl4j.conv.FastSubsampling;
import rnnlab.nn.dl4j.conv.FastSubsamplingImpl;

/**
 * {@link FastConvolution} against DL4J's {@link ConvolutionLayer} with identical weights (outputs,
 * input gradients, weight and bias gradients), against DL4J's numerical gradient check in double;
 * {@link FastSubsampling} against DL4J's max pooling. (LeNet-5 built both ways and trained: rnnlab.bench.Dl4jModelsTest.)
 */
class FastConvolutionTest {

    /** {channels in, channels out, height, width, kernel, padding, batch, relu?, bias?} */
    private static final int[][] CASES = {
        {1, 6, 32, 32, 5, 2, 4, 1, 1},  // LeNet-5 conv 1
        {6, 16, 16, 16, 5, 0, 3, 1, 1}, // LeNet-5 conv 2
        {3, 4, 7, 9, 3, 1, 2, 0, 1},    // identity, non-square input
        {2, 3, 6, 5, 2, 0, 1, 1, 0},    // even kernel, no bias, batch 1
        {2, 2, 4, 4, 3, 3, 2, 1, 1},    // padding larger than half the kernel
    };

    private static ConvolutionLayer conv(int[] d) {
        return new ConvolutionLayer.Builder(d[4], d[4]).nIn(d[0]).nOut(d[1]).padding(d[5], d[5])
                .activation(d[7] == 1 ? Activation.RELU : Activation.IDENTITY).hasBias(d[8] == 1).build();
    }

    /** conv → [max-pool 2 →] softmax output; the gradient check leaves the pool out (its ties are not smooth). */
    private static MultiLayerNetwork net(DataType dt, org.deeplearning4j.nn.conf.layers.Layer c, int[] d, int classes,
            boolean pool) {
        var list = new NeuralNetConfiguration.Builder()
                .dataType(dt).seed(12345).updater(new NoOp()).list()
                .layer(c);
        if (pool) {
            list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build());
        }
        MultiLayerConfiguration conf = list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(classes)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(d[2], d[3], d[0])).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net;
    }

    private record Run(INDArray out, INDArray gradX, Gradient grads) {
    }

    private static Run run(Layer layer, INDArray x, INDArray eps, boolean training) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, ws);
        INDArray out = layer.activate(training, ws).dup();
        Pair<Gradient, INDArray> p = layer.backpropGradient(eps, ws);
        return new Run(out, p.getSecond().dup(), p.getFirst());
    }

    private static void parity(DataType dt, double tol) {
        for (int[] d : CASES) {
            Nd4j.getRandom().setSeed(3 + d[1]);
            Layer ref = net(dt, conv(d), d, 3, true).getLayer(0);
            Layer fast = net(dt, FastConvolution.of(conv(d)), d, 3, true).getLayer(0);
            assertInstanceOf(FastConvolutionImpl.class, fast);
            assertEquals(ref.numParams(), fast.numParams(), "parameter count");
            ref.params().assign(Nd4j.rand(dt, ref.params().shape()).subi(0.5));
            fast.params().assign(ref.params());
            int oh = d[2] + 2 * d[5] - d[4] + 1, ow = d[3] + 2 * d[5] - d[4] + 1;
            INDArray x = Nd4j.rand(dt, d[6], d[0], d[2], d[3]).subi(0.5).muli(2);
            INDArray eps = Nd4j.rand(dt, d[6], d[1], oh, ow).subi(0.5);
            for (int rep = 0; rep < 3; rep++) { // call 1 reuses the buffers; call 2 backprops after an inference pass
                Run r = run(ref, x, eps, rep < 2);
                Run f = run(fast, x, eps, rep < 2);
                String what = dt + " " + Arrays.toString(d) + " call " + rep;
                assertRel(r.out(), f.out(), tol, what + " output");
                assertRel(r.gradX(), f.gradX(), tol, what + " dL/dx");
                assertRel(r.grads().getGradientFor("W"), f.grads().getGradientFor("W"), tol, what + " dL/dW");
                assertRel(ref.getGradientsViewArray(), fast.getGradientsViewArray(), tol, what + " gradient view");
                if (d[8] == 1) {
                    assertRel(r.grads().getGradientFor("b"), f.grads().getGradientFor("b"), tol, what + " dL/db");
                }
            }
        }
    }

    @Test
    void matchesDl4jConvolutionLayer() {
        parity(DataType.FLOAT, 1e-5);
        parity(DataType.DOUBLE, 1e-12);
    }

    @Test
    void passesDl4jGradientCheck() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            gradientChecks();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    private static void gradientChecks() {
        for (int[] d : CASES) {
            if (d[2] > 16) {
                continue; // the 32x32 case is covered by parity; keep the numerical check small
            }
            Nd4j.getRandom().setSeed(11);
            MultiLayerNetwork net = net(DataType.DOUBLE, FastConvolution.of(conv(d)), d, 3, false);
            assertInstanceOf(FastConvolutionImpl.class, net.getLayer(0));
            // non-zero biases: with DL4J's zero bias init, an all-padding patch sits exactly on ReLU's kink
            net.params().assign(Nd4j.rand(DataType.DOUBLE, net.params().shape()).subi(0.5));
            INDArray x = Nd4j.rand(DataType.DOUBLE, d[6], d[0], d[2], d[3]).subi(0.5).muli(2);
            INDArray y = Nd4j.zeros(DataType.DOUBLE, d[6], 3);
            for (int i = 0; i < d[6]; i++) {
                y.putScalar(i, i % 3, 1.0);
            }
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).subset(true).maxPerParam(40)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
            assertTrue(ok, "gradient check " + Arrays.toString(d));
        }
    }

    @Test
    void maxPoolingMatchesDl4jSubsamplingLayer() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] d : new int[][] {{4, 6, 32, 32, 2}, {3, 16, 12, 12, 2}, {2, 3, 7, 5, 2}, {2, 2, 9, 9, 3}}) {
                SubsamplingLayer conf = new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(d[4], d[4]).stride(d[4], d[4]).build();
                MultiLayerNetwork refNet = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(dt).list()
                        .layer(conf.clone()).setInputType(InputType.convolutional(d[2], d[3], d[1])).build());
                refNet.init();
                MultiLayerNetwork fastNet = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(dt).list()
                        .layer(FastSubsampling.of(conf)).setInputType(InputType.convolutional(d[2], d[3], d[1])).build());
                fastNet.init();
                assertInstanceOf(FastSubsamplingImpl.class, fastNet.getLayer(0));
                INDArray x = Nd4j.rand(dt, d[0], d[1], d[2], d[3]).subi(0.5);
                x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(1); // ties: the first maximum gets the gradient
                int oh = d[2] / d[4], ow = d[3] / d[4];
                INDArray eps = Nd4j.rand(dt, d[0], d[1], oh, ow).subi(0.5);
                for (int rep = 0; rep < 2; rep++) {
                    Run r = run(refNet.getLayer(0), x, eps, rep == 0);
                    Run f = run(fastNet.getLayer(0), x, eps, rep == 0);
                    String what = dt + " pool " + Arrays.toString(d) + " call " + rep;
                    assertRel(r.out(), f.out(), 0, what + " output");
                    assertRel(r.gradX(), f.gradX(), 0, what + " dL/dx");
                }
            }
        }
    }
}
