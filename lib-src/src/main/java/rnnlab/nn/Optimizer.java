package rnnlab.nn;

import java.io.Serializable;
import java.util.Locale;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * An optimizer with Keras's defaults, mirroring {@code tf.keras.optimizers.RMSprop / Adam / SGD}
 * (and their {@code clipnorm} / {@code clipvalue}), mapped onto DL4J updaters.
 *
 * <ul>
 *   <li>{@code rmsprop}: lr 0.001, rho 0.9, epsilon 1e-7 (DL4J {@code RmsProp}).</li>
 *   <li>{@code adam}: lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7 (Keras; torch uses 1e-8:
 *       {@code Optimizer.adam(1e-3).epsilon(1e-8)}). DL4J, like Keras, adds epsilon before the bias
 *       correction ({@code lr·sqrt(1-beta2^t)/(1-beta1^t) · m/(sqrt(v)+eps)}), torch after it, so
 *       torch's epsilon is in effect {@code eps/sqrt(1-beta2^t)} here: ~30× larger at the first step,
 *       the same after a few thousand; it matters only for gradients of order 1e-7 and less.</li>
 *   <li>{@code sgd}: lr 0.01; with momentum &gt; 0 DL4J offers only Nesterov momentum
 *       ({@code Nesterovs}), which is what is used (Keras/torch default is classical momentum).</li>
 * </ul>
 * {@code clipNorm} maps to DL4J's {@code ClipL2PerParamType} (each parameter array's L2 norm
 * clipped, as Keras's per-variable {@code clipnorm}); {@code clipValue} to
 * {@code ClipElementWiseAbsoluteValue}. Use one of them when the loss turns NaN from exploding
 * gradients.
 */
public record Optimizer(String name, double learningRate, double beta1, double beta2, double epsilon,
        double momentum, double clipNorm, double clipValue) implements Serializable {

    /** Checked constructor. */
    public Optimizer {
        name = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!name.equals("rmsprop") && !name.equals("adam") && !name.equals("sgd")) {
            throw new IllegalArgumentException("optimizer '" + name + "' unknown; allowed: rmsprop, adam, sgd");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("optimizer " + name + ": learning_rate must be > 0, got " + learningRate);
        }
        if (clipNorm < 0 || clipValue < 0) {
            throw new IllegalArgumentException("optimizer " + name + ": clipnorm/clipvalue must be >= 0 (0 = off)");
        }
        if (clipNorm > 0 && clipValue > 0) {
            throw new IllegalArgumentException("optimizer " + name + ": give clipnorm or clipvalue, not both");
        }
    }

    /** Keras {@code RMSprop()}: lr 0.001, rho 0.9, epsilon 1e-7. */
    public static Optimizer rmsprop() {
        return rmsprop(0.001);
    }

    /** Keras {@code RMSprop(learning_rate)}. */
    public static Optimizer rmsprop(double lr) {
        return new Optimizer("rmsprop", lr, 0.9, 0, 1e-7, 0, 0, 0);
    }

    /** Keras {@code Adam()}: lr 0.001. */
    public static Optimizer adam() {
        return adam(0.001);
    }

    /** Keras {@code Adam(learning_rate)}: beta1 0.9, beta2 0.999, epsilon 1e-7. */
    public static Optimizer adam(double lr) {
        return new Optimizer("adam", lr, 0.9, 0.999, 1e-7, 0, 0, 0);
    }

    /** Keras {@code SGD()}: lr 0.01. */
    public static Optimizer sgd() {
        return sgd(0.01);
    }

    /** {@code SGD(learning_rate)} without momentum. */
    public static Optimizer sgd(double lr) {
        return new Optimizer("sgd", lr, 0, 0, 0, 0, 0, 0);
    }

    /** {@code SGD(learning_rate, momentum)} (Nesterov momentum in DL4J, see the class comment). */
    public static Optimizer sgd(double lr, double momentum) {
        return new Optimizer("sgd", lr, 0, 0, 0, momentum, 0, 0);
    }

    /** A Keras optimizer by its string name ({@code "rmsprop"}, {@code "adam"}, {@code "sgd"}) with defaults. */
    public static Optimizer of(String name) {
        return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "rmsprop" -> rmsprop();
            case "adam" -> adam();
            case "sgd" -> sgd();
            default -> throw new IllegalArgumentException("optimizer '" + name + "' unknown; allowed: rmsprop, adam, sgd");
        };
    }

    /** Copy with another learning rate. */
    public Optimizer learningRate(double lr) {
        return new Optimizer(name, lr, beta1, beta2, epsilon, momentum, clipNorm, clipValue);
    }

    /** Copy with another epsilon. */
    public Optimizer epsilon(double eps) {
        return new Optimizer(name, learningRate, beta1, beta2, eps, momentum, clipNorm, clipValue);
    }

    /** Copy with Keras's {@code clipnorm}. */
    public Optimizer clipNorm(double norm) {
        return new Optimizer(name, learningRate, beta1, beta2, epsilon, momentum, norm, 0);
    }

    /** Copy with Keras's {@code clipvalue}. */
    public Optimizer clipValue(double value) {
        return new Optimizer(name, learningRate, beta1, beta2, epsilon, momentum, 0, value);
    }

    /** The DL4J updater. */
    public IUpdater toUpdater() {
        return switch (name) {
            case "rmsprop" -> new RmsProp(learningRate, beta1, epsilon);
            case "adam" -> new Adam(learningRate, beta1, beta2, epsilon);
            default -> momentum > 0 ? new Nesterovs(learningRate, momentum) : new Sgd(learningRate);
        };
    }

    @Override
    public String toString() {
        String s = switch (name) {
            case "rmsprop" -> "RMSprop(learning_rate=" + learningRate + ", rho=" + beta1 + ", epsilon=" + epsilon;
            case "adam" -> "Adam(learning_rate=" + learningRate + ", beta_1=" + beta1 + ", beta_2=" + beta2
                    + ", epsilon=" + epsilon;
            default -> "SGD(learning_rate=" + learningRate + (momentum > 0 ? ", momentum=" + momentum + " (Nesterov)" : "");
        };
        if (clipNorm > 0) {
            s += ", clipnorm=" + clipNorm;
        }
        if (clipValue > 0) {
            s += ", clipvalue=" + clipValue;
        }
        return s + ")";
    }
}
