package rnnlab.bench;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Locale;

import rnnlab.nn.dl4j.recurrent.BidirectionalLastStep;
import rnnlab.nn.dl4j.conv.FastConvolution;
import rnnlab.nn.dl4j.dense.FastDense;
import rnnlab.nn.dl4j.dense.FastOutput;
import rnnlab.nn.dl4j.conv.FastSubsampling;
import rnnlab.nn.dl4j.recurrent.FusedBidirectional;
import rnnlab.nn.dl4j.recurrent.FusedRecurrent;
import rnnlab.nn.dl4j.runtime.FusedUpdater;
import rnnlab.nn.dl4j.recurrent.GruLayer;
import rnnlab.nn.dl4j.dense.ScatterEmbedding;

/**
 * The benchmark's models built directly with DL4J, mirroring the Keras models of the reports:
 * {@code Sequential([Embedding(vocab, dim), SimpleRNN(units) | LSTM(units), Dense(1, "sigmoid")])}
 * compiled with {@code RMSprop} and {@code binary_crossentropy}. Recurrent layers are the fused
 * {@link FusedRecurrent} layers by default; {@link Layers#REFERENCE} builds DL4J's own {@code LSTM}
 * / {@code SimpleRnn} (and the hand-written {@link GruLayer}) for comparison.
 */
public final class Dl4jModels {

    private Dl4jModels() {
    }

    /** The recurrent cell of the IMDB classifier. */
    public enum Cell {
        /** {@code keras.layers.SimpleRNN} = DL4J {@link SimpleRnn} (tanh). */
        SIMPLE_RNN,
        /** {@code keras.layers.LSTM} = DL4J {@link LSTM} (tanh, sigmoid gates). */
        LSTM,
        /** {@code keras.layers.GRU} (reset_after=True) = {@link GruLayer}. */
        GRU;

        /** Parses {@code simplernn}/{@code simple}, {@code lstm} or {@code gru} (any case). */
        public static Cell parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "simplernn", "simple", "simple_rnn", "rnn" -> SIMPLE_RNN;
                case "lstm" -> LSTM;
                case "gru" -> GRU;
                default -> throw new IllegalArgumentException(
                        "cell: '" + s + "' is unknown; allowed: simplernn, lstm, gru");
            };
        }

        FusedRecurrent.Cell fused() {
            return switch (this) {
                case SIMPLE_RNN -> FusedRecurrent.Cell.SIMPLE_RNN;
                case LSTM -> FusedRecurrent.Cell.LSTM;
                case GRU -> FusedRecurrent.Cell.GRU;
            };
        }
    }

    /** Which recurrent layer implementation to build (same models, same parameter counts). */
    public enum Layers {
        /**
         * {@link FusedRecurrent}: one input-projection GEMM per sequence, fused gate arithmetic; and the
         * embedding's faster backward pass {@link ScatterEmbedding}; the faster convolution
         * {@link FastConvolution}, max-pooling {@link FastSubsampling}, dense {@link FastDense} and softmax
         * output {@link FastOutput}; and Adam through {@link FusedUpdater} (default).
         */
        FUSED,
        /** DL4J's {@code SimpleRnn} / {@code LSTM} / {@code ConvolutionLayer} and the step-by-step {@link GruLayer}. */
        REFERENCE
    }

    /** DL4J's embedding layer, or with {@link Layers#FUSED} its faster-backward twin {@link ScatterEmbedding}. */
    static org.deeplearning4j.nn.conf.layers.Layer embedding(int vocab, int dim, Layers layers) {
        EmbeddingSequenceLayer e = new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(dim).build();
        return layers == Layers.FUSED ? ScatterEmbedding.of(e) : e;
    }

    /** One recurrent layer of the given cell and implementation (tanh, sigmoid gates, forget bias 1). */
    static org.deeplearning4j.nn.conf.layers.Layer recurrent(Cell cell, Layers layers, int nIn, int nOut) {
        if (layers == Layers.FUSED) {
            return new FusedRecurrent.Builder(cell.fused()).nIn(nIn).nOut(nOut).activation(Activation.TANH).build();
        }
        return switch (cell) {
            case SIMPLE_RNN -> new SimpleRnn.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).build();
            case LSTM -> new LSTM.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID).build();
            case GRU -> new GruLayer.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).build();
        };
    }

    /** DL4J's convolution layer, or with {@link Layers#FUSED} its faster twin {@link FastConvolution}. */
    static org.deeplearning4j.nn.conf.layers.Layer conv(ConvolutionLayer c, Layers layers) {
        return layers == Layers.FUSED ? FastConvolution.of(c) : c;
    }

    /** DL4J's dense layer, or with {@link Layers#FUSED} its twin with single-thread-sized products {@link FastDense}. */
    static org.deeplearning4j.nn.conf.layers.Layer dense(DenseLayer d, Layers layers) {
        return layers == Layers.FUSED ? FastDense.of(d) : d;
    }

    /** DL4J's output layer, or with {@link Layers#FUSED} its twin {@link FastOutput} (softmax and cross-entropy in Java). */
    static org.deeplearning4j.nn.conf.layers.Layer output(OutputLayer o, Layers layers) {
        return layers == Layers.FUSED ? FastOutput.of(o) : o;
    }

    /** Max-pool 2×2 stride 2: DL4J's, or with {@link Layers#FUSED} its faster twin {@link FastSubsampling}. */
    static org.deeplearning4j.nn.conf.layers.Layer pool(Layers layers) {
        SubsamplingLayer p = new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
        return layers == Layers.FUSED ? FastSubsampling.of(p) : p;
    }

    /** Engine settings that affect speed but not the model: workspaces and activation caching. */
    public record Engine(WorkspaceMode workspaceMode, CacheMode cacheMode) {
        /** DL4J's defaults: workspaces enabled, no cache. */
        public static final Engine DEFAULT = new Engine(WorkspaceMode.ENABLED, CacheMode.NONE);

        /** Checks both are given. */
        public Engine {
            if (workspaceMode == null || cacheMode == null) {
                throw new IllegalArgumentException("workspaceMode and cacheMode must both be given (e.g. ENABLED, NONE)");
            }
        }
    }

    /**
     * Embedding(vocab, dim) → last time step of SimpleRNN/LSTM(units) → Dense(1, sigmoid), RMSprop
     * (Keras default lr 0.001), binary cross-entropy. Input: token ids [batch, time]; labels [batch, 1].
     */
    public static MultiLayerNetwork imdbClassifier(Cell cell, int vocab, int dim, int units, Engine engine) {
        return imdbClassifier(cell, vocab, dim, units, engine, Layers.FUSED);
    }

    /** {@link #imdbClassifier(Cell, int, int, int, Engine)} with the given recurrent layer implementation. */
    public static MultiLayerNetwork imdbClassifier(Cell cell, int vocab, int dim, int units, Engine engine, Layers layers) {
        if (vocab < 1 || dim < 1 || units < 1) {
            throw new IllegalArgumentException("vocab, dim, units must be >= 1, got " + vocab + ", " + dim + ", " + units);
        }
        org.deeplearning4j.nn.conf.layers.Layer rnn = recurrent(cell, layers, dim, units);
        MultiLayerConfiguration conf = base(engine, new RmsProp(0.001)).list()
                .layer(embedding(vocab, dim, layers))
                .layer(new LastTimeStep(rnn))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(units).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();
        return init(conf, layers);
    }

    /**
     * Report 001's LeNet-5 on 1×32×32 images: conv 6@5×5 pad 2 + ReLU, max-pool 2, conv 16@5×5 + ReLU,
     * max-pool 2, Dense 120 ReLU, Dense 84 ReLU, Dense 10 softmax; Adam(1e-3), cross-entropy.
     * Input [batch, 1, 32, 32] (NCHW); labels one-hot [batch, 10].
     */
    public static MultiLayerNetwork lenet5(Engine engine) {
        return lenet5(engine, Layers.FUSED);
    }

    /**
     * {@link #lenet5(Engine)} with the given convolution implementation: {@link Layers#FUSED} builds
     * {@link FastConvolution}, {@link FastSubsampling} and {@link FastDense} (same parameters and results),
     * {@link Layers#REFERENCE} DL4J's layers.
     */
    public static MultiLayerNetwork lenet5(Engine engine, Layers layers) {
        MultiLayerConfiguration conf = base(engine, new Adam(1e-3)).list()
                .layer(conv(new ConvolutionLayer.Builder(5, 5).nOut(6).padding(2, 2).activation(Activation.RELU).build(), layers))
                .layer(pool(layers))
                .layer(conv(new ConvolutionLayer.Builder(5, 5).nOut(16).activation(Activation.RELU).build(), layers))
                .layer(pool(layers))
                .layer(dense(new DenseLayer.Builder().nOut(120).activation(Activation.RELU).build(), layers))
                .layer(dense(new DenseLayer.Builder().nOut(84).activation(Activation.RELU).build(), layers))
                .layer(output(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build(), layers))
                .setInputType(InputType.convolutional(32, 32, 1))
                .build();
        return init(conf, layers);
    }

    /**
     * Report 001's LSTMClassifier: an image read as 32 rows of 32 pixels, 2-layer LSTM(128) with
     * dropout 0.3 between the layers, last time step → Dense 10 softmax; Adam(1e-3), cross-entropy.
     * Input [batch, 32 features, 32 steps] (NCW); labels one-hot [batch, 10].
     */
    public static MultiLayerNetwork mnistLstm2(Engine engine) {
        return mnistLstm2(engine, Layers.FUSED);
    }

    /** {@link #mnistLstm2(Engine)} with the given recurrent layer implementation. */
    public static MultiLayerNetwork mnistLstm2(Engine engine, Layers layers) {
        org.deeplearning4j.nn.conf.layers.Layer second = recurrent(Cell.LSTM, layers, 128, 128);
        second.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(0.7));
        MultiLayerConfiguration conf = base(engine, new Adam(1e-3)).list()
                .layer(recurrent(Cell.LSTM, layers, 32, 128))
                .layer(new LastTimeStep(second))
                .layer(output(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(128).nOut(10)
                        .activation(Activation.SOFTMAX).build(), layers))
                .build();
        return init(conf, layers);
    }

    /**
     * Report 001 experiment 2's text classifier (embedding size, vocabulary and optimiser are the
     * benchmark's choice, as the report does not state them): Embedding(vocab, dim) → 2-layer
     * bidirectional LSTM(hidden) → final hidden states (forward direction at the last step, backward
     * direction at the first: torch's {@code cat(h_n[-2], h_n[-1])}, as {@code torch_bench.py} and the
     * report use; {@link BidirectionalLastStep}) → Dense 1 sigmoid; Adam(1e-3), binary cross-entropy.
     * No dropout (it does not change the arithmetic). Input [batch, time] ids; labels [batch, 1].
     */
    public static MultiLayerNetwork biLstm2(int vocab, int dim, int hidden, Engine engine) {
        return biLstm2(vocab, dim, hidden, engine, Layers.FUSED);
    }

    /** {@link #biLstm2(int, int, int, Engine)} with the given recurrent layer implementation. */
    public static MultiLayerNetwork biLstm2(int vocab, int dim, int hidden, Engine engine, Layers layers) {
        MultiLayerConfiguration conf = base(engine, new Adam(1e-3)).list()
                .layer(embedding(vocab, dim, layers))
                .layer(FusedBidirectional.concat(recurrent(Cell.LSTM, layers, dim, hidden)))
                .layer(FusedBidirectional.concat(recurrent(Cell.LSTM, layers, 2 * hidden, hidden)))
                .layer(new BidirectionalLastStep())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nIn(2 * hidden).nOut(1)
                        .activation(Activation.SIGMOID).build())
                .build();
        return init(conf, layers);
    }


    private static NeuralNetConfiguration.Builder base(Engine engine, IUpdater updater) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(updater)
                .trainingWorkspaceMode(engine.workspaceMode())
                .inferenceWorkspaceMode(engine.workspaceMode())
                .cacheMode(engine.cacheMode());
    }

    /** The initialised network; with {@link Layers#FUSED} also its updater {@link FusedUpdater} (Adam in one pass). */
    private static MultiLayerNetwork init(MultiLayerConfiguration conf, Layers layers) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return layers == Layers.FUSED ? FusedUpdater.install(net) : net;
    }

    /** Total trainable parameter count, as Keras's {@code model.count_params()}. */
    public static long paramCount(MultiLayerNetwork net) {
        long n = 0;
        for (Layer l : net.getLayers()) {
            n += l.numParams();
        }
        return n;
    }
}
