package rnnlab.nn;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;

import rnnlab.nn.Dl4jBuild.Flow;
import rnnlab.nn.dl4j.recurrent.BidirectionalLastStep;
import rnnlab.nn.dl4j.conv.FastConvolution;
import rnnlab.nn.dl4j.dense.FastDense;
import rnnlab.nn.dl4j.dense.FastOutput;
import rnnlab.nn.dl4j.conv.FastSubsampling;
import rnnlab.nn.dl4j.dense.ScatterEmbedding;
import rnnlab.nn.dl4j.runtime.TorchUniformInit;

/**
 * The layers a {@link Sequential} model is made of: immutable descriptions mirroring
 * {@code tf.keras.layers} (and, for {@link TorchRecurrent}, {@code torch.nn.RNN/LSTM/GRU}). They
 * hold no weights. Each kind is the one place that knows its DL4J translation ({@link #addTo},
 * which {@link Sequential#compile} calls), its Keras summary row ({@link #kerasType()},
 * {@link #defaultName()}, {@link #kerasOutputShape}) and its PyTorch print and parameter count
 * ({@link #torchModule}, {@link #torchExtraParams()}). A new kind is a record implementing these,
 * in a file of its own as {@link TorchRecurrent} is, plus its entry in {@code permits}.
 *
 * <pre>{@code
 * import rnnlab.nn.*; import rnnlab.nn.Layer.*;
 * var model = new Sequential()
 *     .add(new Embedding(10000, 32))
 *     .add(new LSTM(32).dropout(0.2).recurrentDropout(0.2))
 *     .add(new Dense(1, "sigmoid"))
 *     .compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
 * }</pre>
 * Every layer accepts {@code named("...")} for an explicit Keras layer name (else Keras's default:
 * {@code lstm}, {@code lstm_1}, ...).
 */
public sealed interface Layer extends Serializable permits Layer.Embedding, Layer.Recurrent, Layer.Bidirectional, Layer.Dropout, Layer.Dense, Layer.Flatten, Layer.Conv2D,
        Layer.MaxPooling2D, TorchRecurrent {

    /** The explicit name, or {@code null} for Keras's default. */
    String name();

    /** The Keras class name shown in {@code summary()}, e.g. {@code SimpleRNN}. */
    String kerasType();

    /** Keras's default name stem, e.g. {@code simple_rnn}. */
    default String defaultName() {
        return kerasType().toLowerCase(Locale.ROOT);
    }

    /**
     * The DL4J translation: checks what the previous layer hands on (sequences, vectors, images),
     * adds this layer's DL4J layers to the build in order and says what it hands on. Called by
     * {@link Sequential#compile} / {@link Sequential#build()}.
     */
    void addTo(Dl4jBuild build);

    /**
     * The Keras output shape {@code summary()} shows: by default that of {@code dl4jOutput}, the
     * output type of this layer's last DL4J layer ({@code null} if it has none), in Keras's order.
     */
    default Shape kerasOutputShape(Shape previous, InputType dl4jOutput) {
        return ModelSummary.kerasShape(dl4jOutput);
    }

    /** PyTorch's print of the equivalent module, given its input size {@code in} (-1 if it has no DL4J layer). */
    String torchModule(long in);

    /** Parameters PyTorch's module has beyond the DL4J layers' count (torch's second recurrent bias); 0 by default. */
    default long torchExtraParams() {
        return 0;
    }

    private static int checkPositive(int v, String what, String layer) {
        if (v <= 0) {
            throw new IllegalArgumentException(layer + ": " + what + " must be a positive integer, got " + v);
        }
        return v;
    }

    private static double checkRate(double v, String what, String layer) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(layer + ": " + what + " must be in [0, 1), got " + v);
        }
        return v;
    }

    /** Activation names accepted by {@link Dense} and {@link Conv2D} (the table is {@link Activations}). */
    String ACTIVATIONS = Activations.NAMES;

    /** A layer with a Keras {@code activation} (PyTorch prints it as a module of its own). */
    interface Activated {
        /** The Keras activation name, e.g. {@code relu} ({@link Activations}). */
        String activation();
    }

    /**
     * Mirrors {@code tf.keras.layers.Embedding(input_dim, output_dim, input_length=None)}: token ids
     * in [0, inputDim) to vectors of size outputDim. {@code inputLength} 0 means any length (Keras
     * {@code None}). Weights start uniform in [-0.05, 0.05] as in Keras. Input [batch, time] of
     * integer-valued numbers; output [batch, outputDim, time].
     */
    record Embedding(int inputDim, int outputDim, int inputLength, String name) implements Layer {
        /** Checked constructor. */
        public Embedding {
            checkPositive(inputDim, "input_dim", "Embedding");
            checkPositive(outputDim, "output_dim", "Embedding");
            if (inputLength < 0) {
                throw new IllegalArgumentException("Embedding: input_length must be >= 0 (0 = any), got " + inputLength);
            }
        }

        /** {@code Embedding(input_dim, output_dim)}. */
        public Embedding(int inputDim, int outputDim) {
            this(inputDim, outputDim, 0, null);
        }

        /** {@code Embedding(input_dim, output_dim, input_length=...)}. */
        public Embedding(int inputDim, int outputDim, int inputLength) {
            this(inputDim, outputDim, inputLength, null);
        }

        /** A copy with {@code input_length}. */
        public Embedding inputLength(int length) {
            return new Embedding(inputDim, outputDim, length, name);
        }

        /** A copy with an explicit name. */
        public Embedding named(String n) {
            return new Embedding(inputDim, outputDim, inputLength, n);
        }

        @Override
        public String kerasType() {
            return "Embedding";
        }

        /** DL4J's {@code EmbeddingSequenceLayer} without bias, or its faster {@link ScatterEmbedding}. */
        @Override
        public void addTo(Dl4jBuild b) {
            if (!b.first()) {
                throw b.error(": an Embedding must be the first layer");
            }
            EmbeddingSequenceLayer emb = new EmbeddingSequenceLayer.Builder().nIn(inputDim).nOut(outputDim)
                    .hasBias(false).inferInputLength(true).inputLength(inputLength > 0 ? inputLength : -1)
                    .weightInit(new WeightInitDistribution(new UniformDistribution(-0.05, 0.05)))
                    .name(b.name()).build();
            b.add(b.fused() ? ScatterEmbedding.of(emb) : emb);
            b.output(Flow.SEQUENCE);
            b.torchInit(() -> new WeightInitDistribution(new NormalDistribution(0, 1)));
        }

        @Override
        public String torchModule(long in) {
            return "Embedding(" + inputDim + ", " + outputDim + ")";
        }
    }

    /** What the three Keras recurrent layers share. */
    sealed interface Recurrent extends Layer permits SimpleRNN, LSTM, GRU {
        /** Number of units (state size). */
        int units();

        /** Keras {@code dropout}: fraction of the inputs dropped, same mask at every step (training only). */
        double dropout();

        /** Keras {@code recurrent_dropout}: fraction of the recurrent state dropped. */
        double recurrentDropout();

        /** Keras {@code return_sequences}: output every step (true) or only the last (false). */
        boolean returnSequences();

        /** The cell, named as PyTorch names it (the one mapping from the Keras layer to the cell). */
        TorchRecurrent.Cell cell();

        /** The DL4J cell of this layer, wrapped in DL4J's {@code LastTimeStep} unless it returns sequences. */
        @Override
        default void addTo(Dl4jBuild b) {
            b.requireSequence();
            var cell = b.recurrentCell(this);
            b.add(returnSequences() ? cell : Dl4jBuild.named(new LastTimeStep(cell), b.name()));
            b.output(returnSequences() ? Flow.SEQUENCE : Flow.VECTOR);
        }

        @Override
        default String torchModule(long in) {
            return cell().name() + "(" + in + ", " + units() + ", batch_first=True)";
        }

        @Override
        default long torchExtraParams() {
            return cell().torchExtraBias(units());
        }
    }

    /**
     * Mirrors {@code tf.keras.layers.SimpleRNN(units, dropout, recurrent_dropout, return_sequences)}
     * (tanh; params units·(input + units) + units, as Keras) on the fused
     * {@link rnnlab.nn.dl4j.recurrent.FusedRecurrent} layer (DL4J's {@code SimpleRnn} with
     * {@link Sequential#referenceLayers(boolean)} or DOUBLE models). Both dropouts act during
     * training only, with one mask per sequence reused at every step, as in Keras: {@code dropout}
     * on the inputs, {@code recurrent_dropout} on h<sub>t-1</sub> before the recurrent product. DL4J's
     * reference {@code SimpleRnn} cannot apply {@code recurrent_dropout}: on that path a value &gt; 0
     * is recorded in {@link Model#warnings()} and ignored.
     */
    record SimpleRNN(int units, double dropout, double recurrentDropout, boolean returnSequences, String name)
            implements Recurrent {
        /** Checked constructor. */
        public SimpleRNN {
            checkPositive(units, "units", "SimpleRNN");
            checkRate(dropout, "dropout", "SimpleRNN");
            checkRate(recurrentDropout, "recurrent_dropout", "SimpleRNN");
        }

        /** {@code SimpleRNN(units)}. */
        public SimpleRNN(int units) {
            this(units, 0, 0, false, null);
        }

        /** Copy with {@code dropout}. */
        public SimpleRNN dropout(double rate) {
            return new SimpleRNN(units, rate, recurrentDropout, returnSequences, name);
        }

        /** Copy with {@code recurrent_dropout} (not applied by the reference layers, see the class comment). */
        public SimpleRNN recurrentDropout(double rate) {
            return new SimpleRNN(units, dropout, rate, returnSequences, name);
        }

        /** Copy with {@code return_sequences}. */
        public SimpleRNN returnSequences(boolean b) {
            return new SimpleRNN(units, dropout, recurrentDropout, b, name);
        }

        /** Copy with an explicit name. */
        public SimpleRNN named(String n) {
            return new SimpleRNN(units, dropout, recurrentDropout, returnSequences, n);
        }

        @Override
        public String kerasType() {
            return "SimpleRNN";
        }

        @Override
        public String defaultName() {
            return "simple_rnn";
        }

        @Override
        public TorchRecurrent.Cell cell() {
            return TorchRecurrent.Cell.RNN;
        }
    }

    /**
     * Mirrors {@code tf.keras.layers.LSTM(units, dropout, recurrent_dropout, return_sequences)} on
     * the fused {@link rnnlab.nn.dl4j.recurrent.FusedRecurrent} layer with DL4J's LSTM parameters (no
     * peepholes; tanh / sigmoid gates; forget-gate bias 1 as Keras's {@code unit_forget_bias}; params
     * 4·units·(input + units + 1), as Keras). Both dropouts act during training only, with one mask
     * per sequence reused at every step, as in Keras: {@code dropout} on the inputs,
     * {@code recurrent_dropout} on h<sub>t-1</sub> before the recurrent product. DL4J's reference
     * {@code LSTM} ({@link Sequential#referenceLayers(boolean)}, DOUBLE models) cannot apply
     * {@code recurrent_dropout}: on that path a value &gt; 0 is recorded in {@link Model#warnings()}
     * and ignored.
     */
    record LSTM(int units, double dropout, double recurrentDropout, boolean returnSequences, String name)
            implements Recurrent {
        /** Checked constructor. */
        public LSTM {
            checkPositive(units, "units", "LSTM");
            checkRate(dropout, "dropout", "LSTM");
            checkRate(recurrentDropout, "recurrent_dropout", "LSTM");
        }

        /** {@code LSTM(units)}. */
        public LSTM(int units) {
            this(units, 0, 0, false, null);
        }

        /** Copy with {@code dropout}. */
        public LSTM dropout(double rate) {
            return new LSTM(units, rate, recurrentDropout, returnSequences, name);
        }

        /** Copy with {@code recurrent_dropout} (not applied by the reference layers, see the class comment). */
        public LSTM recurrentDropout(double rate) {
            return new LSTM(units, dropout, rate, returnSequences, name);
        }

        /** Copy with {@code return_sequences}. */
        public LSTM returnSequences(boolean b) {
            return new LSTM(units, dropout, recurrentDropout, b, name);
        }

        /** Copy with an explicit name. */
        public LSTM named(String n) {
            return new LSTM(units, dropout, recurrentDropout, returnSequences, n);
        }

        @Override
        public String kerasType() {
            return "LSTM";
        }

        @Override
        public String defaultName() {
            return "lstm";
        }

        @Override
        public TorchRecurrent.Cell cell() {
            return TorchRecurrent.Cell.LSTM;
        }
    }

    /**
     * Mirrors {@code tf.keras.layers.GRU(units, dropout, recurrent_dropout, return_sequences)} with
     * Keras's default {@code reset_after=True} (= torch.nn.GRU's equations), on the hand-written
     * {@link rnnlab.nn.dl4j.recurrent.GruLayer}. Params 3·(units·input + units² + 2·units). Both dropouts are
     * implemented as in Keras (one mask per sequence).
     */
    record GRU(int units, double dropout, double recurrentDropout, boolean returnSequences, String name)
            implements Recurrent {
        /** Checked constructor. */
        public GRU {
            checkPositive(units, "units", "GRU");
            checkRate(dropout, "dropout", "GRU");
            checkRate(recurrentDropout, "recurrent_dropout", "GRU");
        }

        /** {@code GRU(units)}. */
        public GRU(int units) {
            this(units, 0, 0, false, null);
        }

        /** Copy with {@code dropout}. */
        public GRU dropout(double rate) {
            return new GRU(units, rate, recurrentDropout, returnSequences, name);
        }

        /** Copy with {@code recurrent_dropout}. */
        public GRU recurrentDropout(double rate) {
            return new GRU(units, dropout, rate, returnSequences, name);
        }

        /** Copy with {@code return_sequences}. */
        public GRU returnSequences(boolean b) {
            return new GRU(units, dropout, recurrentDropout, b, name);
        }

        /** Copy with an explicit name. */
        public GRU named(String n) {
            return new GRU(units, dropout, recurrentDropout, returnSequences, n);
        }

        @Override
        public String kerasType() {
            return "GRU";
        }

        @Override
        public String defaultName() {
            return "gru";
        }

        @Override
        public TorchRecurrent.Cell cell() {
            return TorchRecurrent.Cell.GRU;
        }
    }

    /**
     * Mirrors {@code tf.keras.layers.Bidirectional(layer)} with {@code merge_mode='concat'}, on
     * DL4J's {@code Bidirectional}: a forward and a backward copy, outputs concatenated (2·units).
     * With {@code return_sequences=False} the backward half is the backward layer's final state
     * (after reading the whole sequence backwards), as in Keras.
     */
    record Bidirectional(Recurrent layer, String name) implements Layer {
        /** Checked constructor. */
        public Bidirectional {
            Objects.requireNonNull(layer, "Bidirectional: layer");
        }

        /** {@code Bidirectional(layer)}. */
        public Bidirectional(Recurrent layer) {
            this(layer, null);
        }

        /** Copy with an explicit name. */
        public Bidirectional named(String n) {
            return new Bidirectional(layer, n);
        }

        @Override
        public String kerasType() {
            return "Bidirectional";
        }

        @Override
        public String defaultName() {
            return "bidirectional";
        }

        /** The cell in DL4J's {@code Bidirectional}; without return_sequences then {@link BidirectionalLastStep}. */
        @Override
        public void addTo(Dl4jBuild b) {
            b.requireSequence();
            var cell = b.recurrentCell(layer);
            b.add(Dl4jBuild.bidirectional(cell, b.name()));
            if (!layer.returnSequences()) {
                // Keras's final states (forward at T-1, backward at 0); DL4J's Bidirectional(LastTimeStep)
                // computes them but cannot back-propagate through them
                b.add(new BidirectionalLastStep(b.name() + "_final"));
            }
            b.output(layer.returnSequences() ? Flow.SEQUENCE : Flow.VECTOR);
        }

        @Override
        public String torchModule(long in) {
            return layer.cell().name() + "(" + in + ", " + layer.units() + ", batch_first=True, bidirectional=True)";
        }

        @Override
        public long torchExtraParams() {
            return 2 * layer.cell().torchExtraBias(layer.units());
        }
    }

    /** Mirrors {@code tf.keras.layers.Dropout(rate)} (fraction dropped, training only) on DL4J's DropoutLayer. */
    record Dropout(double rate, String name) implements Layer {
        /** Checked constructor. */
        public Dropout {
            checkRate(rate, "rate", "Dropout");
        }

        /** {@code Dropout(rate)}. */
        public Dropout(double rate) {
            this(rate, null);
        }

        /** Copy with an explicit name. */
        public Dropout named(String n) {
            return new Dropout(rate, n);
        }

        @Override
        public String kerasType() {
            return "Dropout";
        }

        /** DL4J's {@code DropoutLayer}, which takes the probability of keeping. */
        @Override
        public void addTo(Dl4jBuild b) {
            var d = new DropoutLayer.Builder().name(b.name());
            if (rate > 0) {
                d.dropOut(new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - rate));
            } else {
                d.dropOut(null);
            }
            b.add(d.build());
        }

        @Override
        public String torchModule(long in) {
            return "Dropout(p=" + rate + ", inplace=False)";
        }
    }

    /**
     * Mirrors {@code tf.keras.layers.Dense(units, activation)} (PyTorch {@code nn.Linear} plus an
     * activation). As the last layer of a compiled model it becomes DL4J's {@code OutputLayer}
     * carrying the loss (or {@code RnnOutputLayer} after a sequence, like Keras's per-step Dense).
     */
    record Dense(int units, String activation, String name) implements Layer, Activated {
        /** Checked constructor. */
        public Dense {
            checkPositive(units, "units", "Dense");
            activation = Activations.of(activation, "Dense").kerasName();
        }

        /** {@code Dense(units)} (linear). */
        public Dense(int units) {
            this(units, "linear", null);
        }

        /** {@code Dense(units, activation)}. */
        public Dense(int units, String activation) {
            this(units, activation, null);
        }

        /** Copy with an explicit name. */
        public Dense named(String n) {
            return new Dense(units, activation, n);
        }

        @Override
        public String kerasType() {
            return "Dense";
        }

        /**
         * Last with a loss: DL4J's {@code OutputLayer} (or {@link FastOutput}); after a sequence (last
         * only): {@code RnnOutputLayer}; else {@code DenseLayer} (or {@link FastDense}).
         */
        @Override
        public void addTo(Dl4jBuild b) {
            if (b.input() == Flow.IMAGE) {
                throw b.error(" follows a convolutional layer: add a Flatten() before it");
            }
            Activation a = Activations.of(activation, "Dense").dl4j();
            if (b.input() == Flow.SEQUENCE) {
                if (!b.last()) {
                    throw b.error(" follows a layer that returns sequences; "
                            + "per-step Dense is only supported as the last layer (set return_sequences=false "
                            + "on the recurrent layer before it otherwise)");
                }
                b.add(new RnnOutputLayer.Builder(b.loss() != null ? b.loss().toLossFunction() : Loss.MSE.toLossFunction())
                        .nOut(units).activation(a).name(b.name()).build());
            } else if (b.last() && b.loss() != null) {
                OutputLayer out = new OutputLayer.Builder(b.loss().toLossFunction()).nOut(units).activation(a)
                        .name(b.name()).build();
                b.add(b.fused() ? FastOutput.of(out) : out);
            } else {
                DenseLayer dense = new DenseLayer.Builder().nOut(units).activation(a).name(b.name()).build();
                b.add(b.fused() ? FastDense.of(dense) : dense);
            }
            b.output(b.input() == Flow.SEQUENCE ? Flow.SEQUENCE : Flow.VECTOR);
            b.torchInit(TorchUniformInit::fanIn);
        }

        @Override
        public String torchModule(long in) {
            return "Linear(in_features=" + in + ", out_features=" + units + ", bias=True)";
        }
    }

    /**
     * Mirrors {@code tf.keras.layers.Flatten()} after convolutional layers (DL4J's
     * CnnToFeedForwardPreProcessor; order channels, rows, columns as torch's {@code x.view(n, -1)}).
     * Must be followed by {@link Dense}.
     */
    record Flatten(String name) implements Layer {
        /** {@code Flatten()}. */
        public Flatten() {
            this(null);
        }

        @Override
        public String kerasType() {
            return "Flatten";
        }

        /** No DL4J layer: DL4J's preprocessor before the Dense that must follow flattens. */
        @Override
        public void addTo(Dl4jBuild b) {
            if (b.input() != Flow.IMAGE) {
                throw b.error(": Flatten is supported after Conv2D / MaxPooling2D "
                        + "only (DL4J would flatten a sequence per time step, unlike Keras)");
            }
            if (!(b.next() instanceof Dense)) {
                throw b.error(": Flatten must be followed by a Dense layer");
            }
            b.output(Flow.FLATTENED);
        }

        /** (None, product of the previous layer's dimensions). */
        @Override
        public Shape kerasOutputShape(Shape previous, InputType dl4jOutput) {
            long n = 1;
            for (int k = 1; k < previous.rank(); k++) {
                n *= previous.get(k) == null ? 0 : previous.get(k);
            }
            return Shape.of(0, n);
        }

        @Override
        public String torchModule(long in) {
            return "Flatten(start_dim=1, end_dim=-1)";
        }
    }

    /**
     * Mirrors {@code tf.keras.layers.Conv2D(filters, kernel_size, padding, activation)} /
     * {@code torch.nn.Conv2d} (stride 1) on DL4J's ConvolutionLayer. {@code padding}: -1 = Keras
     * "same", 0 = "valid", k &gt; 0 = torch's explicit zero padding k. Tensors are NCHW.
     */
    record Conv2D(int filters, int kernelSize, int padding, String activation, String name) implements Layer, Activated {
        /** Checked constructor. */
        public Conv2D {
            checkPositive(filters, "filters", "Conv2D");
            checkPositive(kernelSize, "kernel_size", "Conv2D");
            if (padding < -1) {
                throw new IllegalArgumentException("Conv2D: padding must be -1 (same), 0 (valid) or a positive "
                        + "zero-padding, got " + padding);
            }
            activation = Activations.of(activation, "Conv2D").kerasName();
        }

        /** {@code Conv2D(filters, kernel, padding="same"|"valid", activation)}. */
        public Conv2D(int filters, int kernelSize, String padding, String activation) {
            this(filters, kernelSize, switch (padding == null ? "valid" : padding.toLowerCase(Locale.ROOT)) {
                case "same" -> -1;
                case "valid" -> 0;
                default -> throw new IllegalArgumentException(
                        "Conv2D: padding '" + padding + "' unknown; allowed: same, valid (or an int)");
            }, activation, null);
        }

        /** torch-style {@code Conv2d(.., kernel_size, padding=k)} followed by an activation. */
        public Conv2D(int filters, int kernelSize, int padding, String activation) {
            this(filters, kernelSize, padding, activation, null);
        }

        /** Copy with an explicit name. */
        public Conv2D named(String n) {
            return new Conv2D(filters, kernelSize, padding, activation, n);
        }

        @Override
        public String kerasType() {
            return "Conv2D";
        }

        @Override
        public String defaultName() {
            return "conv2d";
        }

        /** DL4J's {@code ConvolutionLayer} (stride 1), or its faster {@link FastConvolution}. */
        @Override
        public void addTo(Dl4jBuild b) {
            b.requireImages();
            var c = new ConvolutionLayer.Builder(kernelSize, kernelSize).stride(1, 1)
                    .nOut(filters).activation(Activations.of(activation, "Conv2D").dl4j()).name(b.name());
            if (padding < 0) {
                c.convolutionMode(ConvolutionMode.Same);
            } else {
                c.convolutionMode(ConvolutionMode.Truncate).padding(padding, padding);
            }
            b.add(b.fused() ? FastConvolution.of(c.build()) : c.build());
            b.torchInit(TorchUniformInit::fanIn);
        }

        @Override
        public String torchModule(long in) {
            String pad = padding < 0 ? "padding=same" : padding > 0 ? "padding=(" + padding + ", " + padding + ")" : null;
            return "Conv2d(" + in + ", " + filters + ", kernel_size=(" + kernelSize + ", " + kernelSize + "), stride=(1, 1)"
                    + (pad != null ? ", " + pad : "") + ")";
        }
    }

    /** Mirrors {@code tf.keras.layers.MaxPooling2D(pool_size)} / {@code nn.MaxPool2d(k, stride=k)}. */
    record MaxPooling2D(int poolSize, String name) implements Layer {
        /** Checked constructor. */
        public MaxPooling2D {
            checkPositive(poolSize, "pool_size", "MaxPooling2D");
        }

        /** {@code MaxPooling2D(pool_size)}. */
        public MaxPooling2D(int poolSize) {
            this(poolSize, null);
        }

        /** Copy with an explicit name. */
        public MaxPooling2D named(String n) {
            return new MaxPooling2D(poolSize, n);
        }

        @Override
        public String kerasType() {
            return "MaxPooling2D";
        }

        @Override
        public String defaultName() {
            return "max_pooling2d";
        }

        /** DL4J's max {@code SubsamplingLayer} (stride = pool size), or its faster {@link FastSubsampling}. */
        @Override
        public void addTo(Dl4jBuild b) {
            b.requireImages();
            SubsamplingLayer pool = new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(poolSize, poolSize).stride(poolSize, poolSize)
                    .convolutionMode(ConvolutionMode.Truncate).name(b.name()).build();
            b.add(b.fused() ? FastSubsampling.of(pool) : pool);
        }

        @Override
        public String torchModule(long in) {
            return "MaxPool2d(kernel_size=" + poolSize + ", stride=" + poolSize + ", padding=0, dilation=1, ceil_mode=False)";
        }
    }
}
