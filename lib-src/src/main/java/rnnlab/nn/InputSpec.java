package rnnlab.nn;

import java.io.Serializable;

import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * What a model takes as input (Keras's {@code input_shape} without the batch): token ids for an
 * {@link Layer.Embedding} first layer, sequences of feature vectors, images or flat feature
 * vectors. Dimensions &lt;= 0 mean "any" (Keras {@code None}).
 *
 * @param kind      the input kind
 * @param timesteps sequence length for TOKENS / SEQUENCE (0 = any)
 * @param features  features per step (SEQUENCE), channels (IMAGE), vector size (FEATURES)
 * @param height    image height (IMAGE)
 * @param width     image width (IMAGE)
 */
public record InputSpec(Kind kind, long timesteps, long features, long height, long width) implements Serializable {

    /** Input kinds and the DL4J tensor layout each expects. */
    public enum Kind {
        /** Integer token ids, [batch, time]. */
        TOKENS,
        /** Feature sequences, [batch, features, time] (DL4J NCW). */
        SEQUENCE,
        /** Images, [batch, channels, height, width] (NCHW). */
        IMAGE,
        /** Flat feature vectors, [batch, features]. */
        FEATURES
    }

    /** Token ids of length {@code timesteps} (0 = any). */
    public static InputSpec tokens(long timesteps) {
        return new InputSpec(Kind.TOKENS, timesteps, 1, 0, 0);
    }

    /** Sequences of {@code features}-vectors of length {@code timesteps} (0 = any). */
    public static InputSpec sequence(long timesteps, long features) {
        if (features <= 0) {
            throw new IllegalArgumentException("inputSequence: features must be positive, got " + features);
        }
        return new InputSpec(Kind.SEQUENCE, timesteps, features, 0, 0);
    }

    /** Images channels × height × width. */
    public static InputSpec image(long channels, long height, long width) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("inputImage: channels, height and width must be positive, got "
                    + channels + ", " + height + ", " + width);
        }
        return new InputSpec(Kind.IMAGE, 0, channels, height, width);
    }

    /** Flat vectors of size {@code features}. */
    public static InputSpec features(long features) {
        if (features <= 0) {
            throw new IllegalArgumentException("inputFeatures: size must be positive, got " + features);
        }
        return new InputSpec(Kind.FEATURES, 0, features, 0, 0);
    }

    /** The DL4J input type used for shape inference. */
    public InputType toInputType() {
        return switch (kind) {
            case TOKENS -> timesteps > 0 ? InputType.recurrent(1, timesteps) : InputType.recurrent(1);
            case SEQUENCE -> timesteps > 0 ? InputType.recurrent(features, timesteps) : InputType.recurrent(features);
            case IMAGE -> InputType.convolutional(height, width, features);
            case FEATURES -> InputType.feedForward(features);
        };
    }

    /** Keras's {@code model.input_shape}, e.g. {@code (None, 400)} for token ids: recurrent (batch, time, features), images (batch, h, w, channels). */
    public Shape kerasShape() {
        return switch (kind) {
            case TOKENS -> Shape.of(0, timesteps);
            case SEQUENCE -> Shape.of(0, timesteps, features);
            case IMAGE -> Shape.of(0, height, width, features);
            case FEATURES -> Shape.of(0, features);
        };
    }

    /** The expected DL4J tensor shape as text, e.g. {@code [batch, 32, time]}. */
    public String expected() {
        String t = timesteps > 0 ? String.valueOf(timesteps) : "time";
        return switch (kind) {
            case TOKENS -> "[batch, " + t + "] of integer token ids";
            case SEQUENCE -> "[batch, " + features + ", " + t + "] (batch, features, time)";
            case IMAGE -> "[batch, " + features + ", " + height + ", " + width + "] (batch, channels, height, width)";
            case FEATURES -> "[batch, " + features + "]";
        };
    }
}
