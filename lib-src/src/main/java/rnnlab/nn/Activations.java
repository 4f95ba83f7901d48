package rnnlab.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.nd4j.linalg.activations.Activation;

/**
 * The activation functions a {@link Layer.Dense} or {@link Layer.Conv2D} accepts, by their names in
 * {@code tf.keras.activations}, each with the DL4J {@link Activation} it is built from and the
 * {@code torch.nn} module PyTorch prints for it. The one table of activation names.
 */
public enum Activations {
    /** {@code linear}: the identity (torch prints no module for it). */
    LINEAR("linear", Activation.IDENTITY, "Identity()"),
    /** {@code relu}. */
    RELU("relu", Activation.RELU, "ReLU()"),
    /** {@code sigmoid}. */
    SIGMOID("sigmoid", Activation.SIGMOID, "Sigmoid()"),
    /** {@code tanh}. */
    TANH("tanh", Activation.TANH, "Tanh()"),
    /** {@code softmax} over the features. */
    SOFTMAX("softmax", Activation.SOFTMAX, "Softmax(dim=1)"),
    /** {@code elu} (alpha 1). */
    ELU("elu", Activation.ELU, "ELU(alpha=1.0)"),
    /** {@code selu}. */
    SELU("selu", Activation.SELU, "SELU()"),
    /** {@code softplus}. */
    SOFTPLUS("softplus", Activation.SOFTPLUS, "Softplus(beta=1, threshold=20)"),
    /** {@code softsign}. */
    SOFTSIGN("softsign", Activation.SOFTSIGN, "Softsign()"),
    /** {@code hard_sigmoid}. */
    HARD_SIGMOID("hard_sigmoid", Activation.HARDSIGMOID, "Hardsigmoid()");

    /** The accepted names, comma-separated, as error messages list them. */
    public static final String NAMES = Arrays.stream(values()).map(Activations::kerasName)
            .collect(Collectors.joining(", "));

    private final String kerasName;
    private final Activation dl4j;
    private final String torchModule;

    Activations(String kerasName, Activation dl4j, String torchModule) {
        this.kerasName = kerasName;
        this.dl4j = dl4j;
        this.torchModule = torchModule;
    }

    /**
     * The activation named {@code name} (case and surrounding blanks ignored; {@code null} is
     * {@code linear}, as Keras's {@code activation=None}); an unknown name is an error naming
     * {@code layer} and the allowed names.
     */
    public static Activations of(String name, String layer) {
        String s = name == null ? "linear" : name.trim().toLowerCase(Locale.ROOT);
        for (Activations a : values()) {
            if (a.kerasName.equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException(layer + ": unknown activation '" + name + "'; allowed: " + NAMES);
    }

    /** The Keras name, e.g. {@code hard_sigmoid}. */
    public String kerasName() {
        return kerasName;
    }

    /** The DL4J activation it is built from. */
    public Activation dl4j() {
        return dl4j;
    }

    /** PyTorch's print of the module, e.g. {@code Softmax(dim=1)}. */
    public String torchModule() {
        return torchModule;
    }
}
