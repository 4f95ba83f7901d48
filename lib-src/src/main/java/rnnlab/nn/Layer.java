package rnnlab.nn;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;

/**
 * The layers a {@link Sequential} model is made of: immutable descriptions mirroring
 * {@code tf.keras.layers} (and, for {@link TorchRecurrent}, {@code torch.nn.RNN/LSTM/GRU}). They
 * hold no weights; {@link Sequential#compile} turns them into DL4J layers.
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

    /** Activation names accepted by {@link Dense}, {@link Conv2D} and the recurrent layers. */
    String ACTIVATIONS = "linear, relu, sigmoid, tanh, softmax, elu, selu, softplus, softsign, hard_sigmoid";

    private static String checkActivation(String a, String layer) {
        String s = a == null ? "linear" : a.trim().toLowerCase(Locale.ROOT);
        if (!(", " + ACTIVATIONS + ",").contains(", " + s + ",")) {
            throw new IllegalArgumentException(layer + ": unknown activation '" + a + "'; allowed: " + ACTIVATIONS);
        }
        return s;
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
    }

    /**
     * Mirrors {@code tf.keras.layers.Dense(units, activation)} (PyTorch {@code nn.Linear} plus an
     * activation). As the last layer of a compiled model it becomes DL4J's {@code OutputLayer}
     * carrying the loss (or {@code RnnOutputLayer} after a sequence, like Keras's per-step Dense).
     */
    record Dense(int units, String activation, String name) implements Layer {
        /** Checked constructor. */
        public Dense {
            checkPositive(units, "units", "Dense");
            activation = checkActivation(activation, "Dense");
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
    }

    /**
     * Mirrors {@code tf.keras.layers.Conv2D(filters, kernel_size, padding, activation)} /
     * {@code torch.nn.Conv2d} (stride 1) on DL4J's ConvolutionLayer. {@code padding}: -1 = Keras
     * "same", 0 = "valid", k &gt; 0 = torch's explicit zero padding k. Tensors are NCHW.
     */
    record Conv2D(int filters, int kernelSize, int padding, String activation, String name) implements Layer {
        /** Checked constructor. */
        public Conv2D {
            checkPositive(filters, "filters", "Conv2D");
            checkPositive(kernelSize, "kernel_size", "Conv2D");
            if (padding < -1) {
                throw new IllegalArgumentException("Conv2D: padding must be -1 (same), 0 (valid) or a positive "
                        + "zero-padding, got " + padding);
            }
            activation = checkActivation(activation, "Conv2D");
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
    }
}
