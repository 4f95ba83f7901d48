package rnnlab.nn.dl4j.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rnnlab.nn.dl4j.LayerTestKit.assertRel;

import java.util.Arrays;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import rnnlab.nn.dl4j.runtime.Parallel;

/**
 * {@link FastConvolution}'s two kernel paths ({@link ConvKernel}: direct Java loops on shifted wide
 * planes, and the wide patch matrix with OpenBLAS GEMMs), each forced on every case: parity with
 * DL4J's {@link ConvolutionLayer} (outputs, input, weight and bias gradients; float and double, batch
 * changes between calls), DL4J's numerical gradient check, the generated double kernel, and the
 * skipped input gradient of the first layer (only inside {@code fit}, never for
 * {@code calculateGradients}).
 */
class ConvKernelTest {

    /** {channels in, channels out, height, width, kernel, padding, batch, relu?, bias?} */
    private static final int[][] CASES = {
        {1, 6, 32, 32, 5, 2, 3, 1, 1},  // LeNet-5 conv 1 (direct by default)
        {6, 16, 16, 16, 5, 0, 2, 1, 1}, // LeNet-5 conv 2 (GEMM by default without the Vector API)
        {3, 5, 7, 9, 3, 1, 2, 0, 1},    // identity, non-square, five outputs (a block of four and one)
        {2, 3, 6, 5, 2, 0, 1, 1, 0},    // even kernel, no bias, batch 1
        {2, 2, 4, 4, 3, 3, 2, 1, 1},    // padding larger than half the kernel
        {1, 1, 5, 8, 1, 0, 2, 0, 1},    // 1x1 kernel
    };

    private static final int THREADS = Parallel.threads();

    @AfterEach
    void automaticPathAndThreads() {
        ConvKernel.forceDirect = null;
        ConvKernel.scalarOnly = false;
        Parallel.setThreads(THREADS);
    }

    private static ConvolutionLayer conv(int[] d) {
        return new ConvolutionLayer.Builder(d[4], d[4]).nIn(d[0]).nOut(d[1]).padding(d[5], d[5])
                .activation(d[7] == 1 ? Activation.RELU : Activation.IDENTITY).hasBias(d[8] == 1).build();
    }

    private static MultiLayerNetwork net(DataType dt, org.deeplearning4j.nn.conf.layers.Layer first, int[] d) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(dt).seed(12345).updater(new NoOp()).list()
                .layer(first)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(d[2], d[3], d[0])).build());
        net.init();
        net.initGradientsView();
        return net;
    }

    private static INDArray[] run(Layer layer, INDArray x, INDArray eps, boolean training) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, ws);
        INDArray out = layer.activate(training, ws).dup();
        Pair<Gradient, INDArray> p = layer.backpropGradient(eps, ws);
        Gradient g = p.getFirst();
        INDArray b = g.getGradientFor("b");
        return new INDArray[] {out, p.getSecond().dup(), g.getGradientFor("W").dup(), b == null ? null : b.dup()};
    }

    private static void parity(boolean direct, DataType dt, double tol) {
        ConvKernel.forceDirect = direct;
        for (int[] d : CASES) {
            Nd4j.getRandom().setSeed(7 + d[1]);
            Layer ref = net(dt, conv(d), d).getLayer(0);
            Layer fast = net(dt, FastConvolution.of(conv(d)), d).getLayer(0);
            assertInstanceOf(FastConvolutionImpl.class, fast);
            ref.params().assign(Nd4j.rand(dt, ref.params().shape()).subi(0.5));
            fast.params().assign(ref.params());
            int oh = d[2] + 2 * d[5] - d[4] + 1, ow = d[3] + 2 * d[5] - d[4] + 1;
            // batch d[6], then a larger one (the buffers are re-made), then back; the last call backprops after inference
            for (int rep = 0; rep < 4; rep++) {
                int batch = rep == 1 ? d[6] + 2 : d[6];
                INDArray x = Nd4j.rand(dt, batch, d[0], d[2], d[3]).subi(0.5).muli(2);
                INDArray eps = Nd4j.rand(dt, batch, d[1], oh, ow).subi(0.5);
                INDArray[] r = run(ref, x, eps, rep < 3);
                INDArray[] f = run(fast, x, eps, rep < 3);
                assertEquals(direct, ((FastConvolutionImpl) fast).kernelIsDirect(), "path taken");
                assertEquals(direct && !ConvKernel.scalarOnly, ((FastConvolutionImpl) fast).kernelIsVector(), "Vector API loops");
                String what = (direct ? ConvKernel.scalarOnly ? "direct scalar " : "direct " : "GEMM ") + dt + " " + Arrays.toString(d) + " call " + rep;
                assertRel(r[0], f[0], tol, what + " output");
                assertRel(r[1], f[1], tol, what + " dL/dx");
                assertRel(r[2], f[2], tol, what + " dL/dW");
                if (d[8] == 1) {
                    assertRel(r[3], f[3], tol, what + " dL/db");
                }
            }
        }
    }

    @Test
    void directPathMatchesDl4jConvolutionLayer() {
        parity(true, DataType.FLOAT, 1e-5);
        parity(true, DataType.DOUBLE, 1e-12);
    }

    /** The tests' JVM has the Vector API (surefire's argLine), so "direct" above ran its loops; here the auto-vectorised ones. */
    @Test
    void directPathWithoutTheVectorApiMatchesDl4jConvolutionLayer() {
        assertTrue(ConvKernel.VECTOR, "the tests' JVM is started with --add-modules jdk.incubator.vector (lib-src/pom.xml)");
        ConvKernel.scalarOnly = true;
        parity(true, DataType.FLOAT, 1e-5);
        parity(true, DataType.DOUBLE, 1e-12);
    }

    @Test
    void gemmPathMatchesDl4jConvolutionLayer() {
        parity(false, DataType.FLOAT, 1e-5);
        parity(false, DataType.DOUBLE, 1e-12);
    }

    /**
     * With three threads (surefire runs with OMP_NUM_THREADS=1): both paths still match DL4J, and give
     * bit-identical results to one thread, because reductions go by fixed pieces, not by thread.
     */
    @Test
    void threadsChangeNeitherResultsNorParity() {
        for (int mode = 0; mode < 3; mode++) {
            boolean direct = mode < 2;
            ConvKernel.scalarOnly = mode == 1;
            parity(direct, DataType.FLOAT, 1e-5);
            Parallel.setThreads(3);
            parity(direct, DataType.FLOAT, 1e-5);
            ConvKernel.forceDirect = direct;
            int[] d = CASES[direct ? 0 : 1];
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.rand(DataType.FLOAT, 35, d[0], d[2], d[3]).subi(0.5); // 35: four pieces of 8 images and one of 3
            INDArray eps = Nd4j.rand(DataType.FLOAT, 35, d[1], d[2] + 2 * d[5] - d[4] + 1, d[3] + 2 * d[5] - d[4] + 1);
            Layer layer = net(DataType.FLOAT, FastConvolution.of(conv(d)), d).getLayer(0);
            layer.params().assign(Nd4j.rand(DataType.FLOAT, layer.params().shape()).subi(0.5));
            INDArray[][] runs = new INDArray[2][];
            for (int t = 0; t < 2; t++) {
                Parallel.setThreads(t == 0 ? 1 : 3);
                runs[t] = run(layer, x, eps, true);
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(runs[0][i], runs[1][i], (direct ? "direct" : "GEMM") + " result " + i + ": 1 vs 3 threads (mode " + mode + ")");
            }
            Parallel.setThreads(THREADS);
        }
    }

    /** Max pooling split over three threads against DL4J's layer (exact, ties included). */
    @Test
    void poolingOverThreadsMatchesDl4j() {
        Parallel.setThreads(3);
        for (int[] d : new int[][] {{5, 6, 32, 32, 2}, {3, 7, 9, 9, 3}}) {
            org.deeplearning4j.nn.conf.layers.SubsamplingLayer conf = new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
                    org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType.MAX).kernelSize(d[4], d[4]).stride(d[4], d[4]).build();
            Layer[] layers = new Layer[2];
            for (int i = 0; i < 2; i++) {
                MultiLayerNetwork m = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                        .layer(i == 0 ? conf.clone() : FastSubsampling.of(conf))
                        .setInputType(InputType.convolutional(d[2], d[3], d[1])).build());
                m.init();
                layers[i] = m.getLayer(0);
            }
            assertInstanceOf(FastSubsamplingImpl.class, layers[1]);
            INDArray x = Nd4j.rand(DataType.FLOAT, d[0], d[1], d[2], d[3]).subi(0.5);
            x.get(NDArrayIndex.point(1)).assign(0.25); // ties
            INDArray eps = Nd4j.rand(DataType.FLOAT, d[0], d[1], d[2] / d[4], d[3] / d[4]);
            LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
            INDArray[][] r = new INDArray[2][2];
            for (int i = 0; i < 2; i++) {
                layers[i].setInput(x, ws);
                r[i][0] = layers[i].activate(true, ws).dup();
                r[i][1] = layers[i].backpropGradient(eps, ws).getSecond().dup();
            }
            assertEquals(r[0][0], r[1][0], "pooled values " + Arrays.toString(d));
            assertEquals(r[0][1], r[1][1], "pooling dL/dx " + Arrays.toString(d));
        }
    }

    private static void gradientChecks(boolean direct) {
        ConvKernel.forceDirect = direct;
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            for (int[] d : CASES) {
                if (d[2] > 16) {
                    continue; // keep the numerical check small; the 32x32 case is covered by parity
                }
                Nd4j.getRandom().setSeed(11);
                // a layer in front makes the checked convolution layer 1, so its input gradient is used and checked too
                int[] first = {d[0], d[0], d[2], d[3], 1, 0, d[6], 0, 1};
                MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                        .dataType(DataType.DOUBLE).seed(12345).updater(new NoOp()).list()
                        .layer(FastConvolution.of(conv(first)))
                        .layer(FastConvolution.of(conv(d)))
                        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                        .setInputType(InputType.convolutional(d[2], d[3], d[0])).build());
                net.init();
                // non-zero biases: with zero biases an all-padding patch sits exactly on ReLU's kink
                net.params().assign(Nd4j.rand(DataType.DOUBLE, net.params().shape()).subi(0.5));
                INDArray x = Nd4j.rand(DataType.DOUBLE, d[6], d[0], d[2], d[3]).subi(0.5).muli(2);
                INDArray y = Nd4j.zeros(DataType.DOUBLE, d[6], 3);
                for (int i = 0; i < d[6]; i++) {
                    y.putScalar(i, i % 3, 1.0);
                }
                boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                        .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).subset(true).maxPerParam(40)
                        .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
                assertTrue(ok, (direct ? "direct " : "GEMM ") + "gradient check " + Arrays.toString(d));
                assertEquals(direct, ((FastConvolutionImpl) net.getLayer(1)).kernelIsDirect(), "path taken");
            }
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @Test
    void directPathPassesDl4jGradientCheck() {
        gradientChecks(true);
    }

    @Test
    void directPathWithoutTheVectorApiPassesDl4jGradientCheck() {
        ConvKernel.scalarOnly = true;
        gradientChecks(true);
    }

    @Test
    void gemmPathPassesDl4jGradientCheck() {
        gradientChecks(false);
    }

    /**
     * Only {@code fit}'s {@code computeGradientAndScore} throws layer 0's input gradient away; there the
     * kernel skips it and the parameter gradients stay DL4J's. {@code calculateGradients} returns it and
     * gets the real one, as does a convolution that is not the first layer.
     */
    @Test
    void firstLayerSkipsTheInputGradientOnlyWhenItIsDiscarded() {
        int[] d = CASES[0];
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, d[0], d[2], d[3]).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 3);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % 3, 1f);
        }
        MultiLayerNetwork ref = net(DataType.FLOAT, conv(d), d);
        MultiLayerNetwork fast = net(DataType.FLOAT, FastConvolution.of(conv(d)), d);
        fast.setParams(ref.params());
        FastConvolutionImpl layer0 = (FastConvolutionImpl) fast.getLayer(0);

        for (MultiLayerNetwork m : new MultiLayerNetwork[] {ref, fast}) {
            m.setInput(x);
            m.setLabels(y);
            m.computeGradientAndScore();
        }
        assertTrue(layer0.inputGradientSkipped, "computeGradientAndScore: layer 0's dL/dx is not computed");
        assertRel(ref.getFlattenedGradients(), fast.getFlattenedGradients(), 1e-5, "parameter gradients");

        Pair<Gradient, INDArray> r = ref.calculateGradients(x, y, null, null);
        Pair<Gradient, INDArray> f = fast.calculateGradients(x, y, null, null);
        assertFalse(layer0.inputGradientSkipped, "calculateGradients: layer 0's dL/dx is computed");
        assertRel(r.getSecond(), f.getSecond(), 1e-5, "calculateGradients dL/dx");
        assertTrue(f.getSecond().amaxNumber().doubleValue() > 0, "a real input gradient, not zeros");

        // the same layer as layer 1 (behind a 1x1 convolution) computes its input gradient in fit too
        MultiLayerNetwork two = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).seed(1).updater(new NoOp()).list()
                .layer(FastConvolution.of(conv(new int[] {1, 1, 32, 32, 1, 0, 4, 0, 1})))
                .layer(FastConvolution.of(conv(d)))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(d[2], d[3], d[0])).build());
        two.init();
        two.setInput(x);
        two.setLabels(y);
        two.computeGradientAndScore();
        assertTrue(((FastConvolutionImpl) two.getLayer(0)).inputGradientSkipped, "layer 0");
        assertFalse(((FastConvolutionImpl) two.getLayer(1)).inputGradientSkipped, "layer 1");
    }
}
