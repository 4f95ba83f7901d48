package rnnlab.nn;

import java.util.Locale;

import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.Layer.Conv2D;
import rnnlab.nn.Layer.Dense;
import rnnlab.nn.Layer.Dropout;
import rnnlab.nn.Layer.Embedding;
import rnnlab.nn.Layer.Flatten;
import rnnlab.nn.Layer.MaxPooling2D;

/**
 * The networks of report 001, written in PyTorch there, as {@link Sequential} builders (call
 * {@code compile(...)} on the result). Output layers end in softmax / sigmoid: in torch the
 * classifiers output logits and {@code CrossEntropyLoss} / {@code BCEWithLogitsLoss} apply the
 * softmax / sigmoid; compile them with {@link Loss#CATEGORICAL_CROSSENTROPY} (give
 * {@code Trainer.fit} one-hot labels or integer class ids, which it one-hots) or
 * {@link Loss#SPARSE_CATEGORICAL_CROSSENTROPY} (integer class ids only, as torch's targets), and
 * {@link Loss#BINARY_CROSSENTROPY} for one output unit. Torch's Adam uses epsilon 1e-8: {@code Optimizer.adam(1e-3).epsilon(1e-8)}.
 * Every network is initialised as PyTorch initialises it ({@link Sequential#torchInit()}).
 * Parameter counts: see {@link Model#countParams()} (DL4J) and {@link Model#torchParamCount()}.
 */
public final class Classifiers {

    private Classifiers() {
    }

    /**
     * report 001's {@code LeNet}: conv 6@5×5 pad 2 + ReLU → max-pool 2 → conv 16@5×5 + ReLU → max-pool 2
     * → 120 → 84 → {@code numClasses}, on 1×32×32 images [batch, 1, 32, 32]. 82,826 parameters for 10
     * classes, as in torch.
     */
    public static Sequential leNet5(int numClasses) {
        return new Sequential("LeNet").torchInit().inputImage(1, 32, 32)
                .add(new Conv2D(6, 5, 2, "relu").named("conv1"))
                .add(new MaxPooling2D(2).named("pool1"))
                .add(new Conv2D(16, 5, 0, "relu").named("conv2"))
                .add(new MaxPooling2D(2).named("pool2"))
                .add(new Flatten("flatten"))
                .add(new Dense(120, "relu").named("fc1"))
                .add(new Dense(84, "relu").named("fc2"))
                .add(new Dense(numClasses, "softmax").named("fc3"));
    }

    /**
     * report 001's {@code RNNClassifier} / {@code LSTMClassifier} on MNIST rows: a torch-style stack
     * (input 32, hidden 128, 2 layers, dropout 0.3 between them), the output at the last step, then
     * {@code Linear(128, 10)}. Input [batch, 32 features, 32 steps]: see {@link #imagesAsRowSequences}.
     */
    public static Sequential rowSequenceClassifier(TorchRecurrent.Cell cell) {
        return rowSequenceClassifier(cell, 32, 128, 2, 0.3, 10);
    }

    /** The same with all sizes given (torch: input_size, hidden_size, num_layers, dropout, num_classes). */
    public static Sequential rowSequenceClassifier(TorchRecurrent.Cell cell, int inputSize, int hiddenSize,
            int numLayers, double dropout, int numClasses) {
        String attr = cell.name().toLowerCase(Locale.ROOT);
        return new Sequential(cell + "Classifier").torchInit().inputSequence(inputSize, inputSize)
                .add(new TorchRecurrent(cell, hiddenSize, numLayers, numLayers > 1 ? dropout : 0, false,
                        TorchRecurrent.Output.LAST_STEP, attr))
                .add(new Dense(numClasses, "softmax").named("fc"));
    }

    /**
     * report 001's IMDB text classifiers: {@code Embedding(vocab, embeddingDim)} → dropout → a
     * torch-style stack ({@code numLayers}, dropout between layers, optionally bidirectional) whose
     * final hidden state (both directions concatenated) → dropout → {@code Linear(outputs)} with
     * sigmoid (1 output) or softmax (2+ outputs). The report uses hidden 256, 2 layers, dropout 0.5.
     * Torch's {@code padding_idx=0} (row 0 kept at zero) has no DL4J counterpart: row 0 is trained.
     */
    public static Sequential textClassifier(TorchRecurrent.Cell cell, int vocabSize, int embeddingDim,
            int hiddenSize, int numLayers, boolean bidirectional, double dropout, int outputs) {
        String attr = cell.name().toLowerCase(Locale.ROOT);
        return new Sequential(cell + "Classifier").torchInit()
                .add(new Embedding(vocabSize, embeddingDim).named("embedding"))
                .add(new Dropout(dropout).named("dropout"))
                .add(new TorchRecurrent(cell, hiddenSize, numLayers, numLayers > 1 ? dropout : 0, bidirectional,
                        TorchRecurrent.Output.FINAL_HIDDEN, attr))
                .add(new Dropout(dropout).named("dropout_1"))
                .add(new Dense(outputs, outputs == 1 ? "sigmoid" : "softmax").named("fc"));
    }

    /**
     * Images [batch, 1, H, W] (or [batch, H, W]) to row sequences in DL4J's recurrent layout
     * [batch, W features, H steps]: step t is image row t, as torch's {@code x.view(batch, H, W)}
     * with {@code batch_first=True}.
     */
    public static INDArray imagesAsRowSequences(INDArray images) {
        if (images.rank() == 4 && images.size(1) == 1) {
            images = images.reshape(images.size(0), images.size(2), images.size(3));
        }
        if (images.rank() != 3) {
            throw new IllegalArgumentException("imagesAsRowSequences expects [batch, 1, H, W] or [batch, H, W], got "
                    + java.util.Arrays.toString(images.shape()));
        }
        return images.permute(0, 2, 1).dup('c');
    }
}
