package rnnlab.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.nd4j.linalg.lossfunctions.impl.LossNegativeLogLikelihood;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * Loss functions by their Keras names, mapped onto DL4J/ND4J losses. Labels layout:
 * <ul>
 *   <li>{@code binary_crossentropy}: sigmoid outputs, labels 0/1 of shape [batch, units].</li>
 *   <li>{@code categorical_crossentropy}: softmax outputs, ONE-HOT labels [batch, classes].</li>
 *   <li>{@code sparse_categorical_crossentropy}: softmax outputs, INTEGER class labels in [0, C)
 *       (ND4J's {@code LossSparseMCXENT} on [batch, 1]; {@code rnnlab.train.Trainer} takes them as
 *       int[], long[], [N] or [N,1] and checks them); PyTorch's {@code CrossEntropyLoss} on
 *       logits equals a softmax output layer with this loss.</li>
 *   <li>{@code nll}: torch's {@code NLLLoss} after {@code LogSoftmax}; in DL4J this is the
 *       negative log-likelihood of a softmax output (DL4J applies the log itself), one-hot labels.</li>
 *   <li>{@code mse}: mean squared error.</li>
 * </ul>
 */
public enum Loss {
    /** Keras {@code binary_crossentropy}. */
    BINARY_CROSSENTROPY("binary_crossentropy"),
    /** Keras {@code categorical_crossentropy} (one-hot labels). */
    CATEGORICAL_CROSSENTROPY("categorical_crossentropy"),
    /** Keras {@code sparse_categorical_crossentropy} (integer labels [batch, 1]). */
    SPARSE_CATEGORICAL_CROSSENTROPY("sparse_categorical_crossentropy"),
    /** Negative log-likelihood (torch {@code NLLLoss} after {@code LogSoftmax}). */
    NLL("nll"),
    /** Mean squared error. */
    MSE("mse");

    private final String kerasName;

    Loss(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The Keras name. */
    public String kerasName() {
        return kerasName;
    }

    /** By Keras name (case-insensitive); {@code IllegalArgumentException} listing the names otherwise. */
    public static Loss of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Loss l : values()) {
            if (l.kerasName.equals(n)) {
                return l;
            }
        }
        if (n.equals("nll_loss") || n.equals("negative_log_likelihood")) {
            return NLL;
        }
        throw new IllegalArgumentException("loss '" + name + "' unknown; allowed: "
                + Arrays.stream(values()).map(Loss::kerasName).collect(Collectors.joining(", ")));
    }

    /** The ND4J loss function. */
    public ILossFunction toLossFunction() {
        return switch (this) {
            case BINARY_CROSSENTROPY -> new LossBinaryXENT();
            case CATEGORICAL_CROSSENTROPY -> new LossMCXENT();
            case SPARSE_CATEGORICAL_CROSSENTROPY -> new LossSparseMCXENT();
            case NLL -> new LossNegativeLogLikelihood();
            case MSE -> new LossMSE();
        };
    }

    @Override
    public String toString() {
        return kerasName;
    }
}
