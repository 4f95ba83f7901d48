package rnnlab.nn;

import java.util.Objects;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.nd4j.linalg.learning.config.IUpdater;

import rnnlab.nn.Dl4jBuild.Flow;
import rnnlab.nn.dl4j.recurrent.BidirectionalLastStep;

/**
 * A PyTorch-style recurrent stack, mirroring {@code torch.nn.RNN / LSTM / GRU(input_size,
 * hidden_size, num_layers, dropout, bidirectional, batch_first=True)}: {@code numLayers} recurrent
 * layers, dropout with probability {@code dropout} on the outputs of every layer except the last
 * (torch's semantics; per element and step), each layer optionally bidirectional (concatenated).
 * The input size is inferred from the previous layer.
 *
 * <p>{@link Output} chooses what the stack hands on: the whole sequence ({@code out}), the last
 * step ({@code out[:, -1, :]}, report 001's MNIST classifiers) or the final hidden state of the
 * last layer ({@code h_n[-1]}, or {@code cat(h_n[-2], h_n[-1])} when bidirectional: report 001's
 * text classifiers). The last two differ only for bidirectional stacks.
 *
 * <p>Parameters: DL4J's SimpleRnn and LSTM have ONE bias vector per layer and direction, torch has
 * two ({@code b_ih}, {@code b_hh}, whose sum is all that matters), so the DL4J count (what
 * {@link Model#summary()} shows) is smaller by H (RNN) or 4H (LSTM) per layer and direction;
 * {@link Model#torchParamCount()} gives torch's number. The GRU has both biases, like torch.
 * Training follows torch's two biases too: both get the same gradient and so the same optimiser
 * step, which moves their sum twice as far as one bias would move; the single DL4J bias of a
 * compiled RNN / LSTM stack is therefore updated at twice the optimiser's learning rate.
 */
public record TorchRecurrent(Cell cell, int hiddenSize, int numLayers, double dropout, boolean bidirectional,
        Output output, String name) implements Layer {

    /** The recurrent cell: {@code nn.RNN} (tanh), {@code nn.LSTM} or {@code nn.GRU}. */
    public enum Cell {
        /** torch.nn.RNN with tanh. */
        RNN,
        /** torch.nn.LSTM. */
        LSTM,
        /** torch.nn.GRU. */
        GRU;

        /**
         * The parameters of torch's second bias {@code b_hh} that the DL4J cell of {@code hidden}
         * units does not have: H for RNN, 4H for LSTM, none for GRU (which has both here too).
         */
        public long torchExtraBias(int hidden) {
            return switch (this) {
                case RNN -> hidden;
                case LSTM -> 4L * hidden;
                case GRU -> 0;
            };
        }
    }

    /** What the stack outputs. */
    public enum Output {
        /** The whole output sequence of the last layer, [batch, H·dirs, time]. */
        SEQUENCE,
        /** {@code out[:, -1, :]}: the output at the last step, [batch, H·dirs]. */
        LAST_STEP,
        /** {@code h_n} of the last layer (both directions' final states), [batch, H·dirs]. */
        FINAL_HIDDEN
    }

    /** Checked constructor. */
    public TorchRecurrent {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(output, "output");
        if (hiddenSize <= 0) {
            throw new IllegalArgumentException("torch " + cell + ": hidden_size must be positive, got " + hiddenSize);
        }
        if (numLayers <= 0) {
            throw new IllegalArgumentException("torch " + cell + ": num_layers must be positive, got " + numLayers);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("torch " + cell + ": dropout must be in [0, 1), got " + dropout);
        }
    }

    /** {@code nn.RNN(_, hidden, num_layers, batch_first=True)} taking the last step. */
    public static TorchRecurrent rnn(int hiddenSize, int numLayers) {
        return new TorchRecurrent(Cell.RNN, hiddenSize, numLayers, 0, false, Output.LAST_STEP, null);
    }

    /** {@code nn.LSTM(_, hidden, num_layers, batch_first=True)} taking the last step. */
    public static TorchRecurrent lstm(int hiddenSize, int numLayers) {
        return new TorchRecurrent(Cell.LSTM, hiddenSize, numLayers, 0, false, Output.LAST_STEP, null);
    }

    /** {@code nn.GRU(_, hidden, num_layers, batch_first=True)} taking the last step. */
    public static TorchRecurrent gru(int hiddenSize, int numLayers) {
        return new TorchRecurrent(Cell.GRU, hiddenSize, numLayers, 0, false, Output.LAST_STEP, null);
    }

    /** Copy with torch's {@code dropout} between layers. */
    public TorchRecurrent dropout(double p) {
        return new TorchRecurrent(cell, hiddenSize, numLayers, p, bidirectional, output, name);
    }

    /** Copy with {@code bidirectional}. */
    public TorchRecurrent bidirectional(boolean b) {
        return new TorchRecurrent(cell, hiddenSize, numLayers, dropout, b, output, name);
    }

    /** Copy with another {@link Output}. */
    public TorchRecurrent output(Output o) {
        return new TorchRecurrent(cell, hiddenSize, numLayers, dropout, bidirectional, o, name);
    }

    /** Copy with a name (the torch attribute name, e.g. {@code rnn}). */
    public TorchRecurrent named(String n) {
        return new TorchRecurrent(cell, hiddenSize, numLayers, dropout, bidirectional, output, n);
    }

    /** Directions: 2 if bidirectional. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }

    @Override
    public String kerasType() {
        return cell == Cell.RNN ? "TorchRNN" : "Torch" + cell;
    }

    @Override
    public String defaultName() {
        return cell.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * {@code numLayers} cells named {@code name_l0}, {@code name_l1}, ... with torch's initialisation
     * and dropout between them, each in DL4J's {@code Bidirectional} if bidirectional; the top one
     * wrapped to hand on what {@link #output()} says.
     */
    @Override
    public void addTo(Dl4jBuild b) {
        b.requireSequence();
        for (int k = 0; k < numLayers; k++) {
            IDropout d = k > 0 && dropout > 0 ? new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - dropout) : null;
            String lname = b.name() + "_l" + k;
            var cell = b.cell(this.cell, hiddenSize, d, lname, true);
            if (b.optimizer() != null && this.cell != Cell.GRU) {
                ((BaseLayer) cell).setBiasUpdater(torchTwoBiasUpdater(b.optimizer()));
            }
            boolean top = k == numLayers - 1;
            org.deeplearning4j.nn.conf.layers.Layer l;
            if (!top || output == Output.SEQUENCE) {
                l = bidirectional ? Dl4jBuild.bidirectional(cell, lname) : cell;
            } else if (!bidirectional) {
                l = Dl4jBuild.named(new LastTimeStep(cell), lname);
            } else if (output == Output.LAST_STEP) {
                l = Dl4jBuild.named(new LastTimeStep(Dl4jBuild.bidirectional(cell, lname)), lname);
            } else {
                b.add(Dl4jBuild.bidirectional(cell, lname));
                l = new BidirectionalLastStep(lname + "_final"); // h_n of both directions
            }
            b.add(l);
        }
        b.output(output == Output.SEQUENCE ? Flow.SEQUENCE : Flow.VECTOR);
    }

    /**
     * The updater of the single bias of a torch-style RNN / LSTM layer: the optimiser at twice the
     * learning rate. Torch trains two biases, {@code b_ih} and {@code b_hh}, which always receive the
     * same gradient, so both take the same optimiser step and their sum, the only bias that matters,
     * moves twice as far per step as DL4J's one bias under the same optimiser. Every updater here
     * (SGD, Nesterov, RMSprop, Adam, and the per-parameter / element-wise clipping) is linear in the
     * learning rate, so doubling it makes the single bias follow torch's {@code b_ih + b_hh} exactly.
     */
    static IUpdater torchTwoBiasUpdater(Optimizer opt) {
        return opt.learningRate(2 * opt.learningRate()).toUpdater();
    }

    @Override
    public String torchModule(long in) {
        StringBuilder s = new StringBuilder(cell.name()).append('(').append(in).append(", ").append(hiddenSize);
        if (numLayers != 1) {
            s.append(", num_layers=").append(numLayers);
        }
        s.append(", batch_first=True");
        if (dropout > 0) {
            s.append(", dropout=").append(dropout);
        }
        if (bidirectional) {
            s.append(", bidirectional=True");
        }
        return s.append(')').toString();
    }

    @Override
    public long torchExtraParams() {
        return (long) numLayers * directions() * cell.torchExtraBias(hiddenSize);
    }
}
