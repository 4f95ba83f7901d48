package rnnlab.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.Model;

/**
 * What a trained {@link Model} computes inside, for the read-out cells of notebooks 07/08 and for
 * {@link StepThrough}: the top recurrent layer's output at <em>every</em> time step (PyTorch's
 * {@code out} of {@code out, hidden = self.rnn(x)}, layout {@code [batch, time, features]}, both
 * directions concatenated as {@code [forward | backward]} for a bidirectional layer) and the weights
 * of a {@code Dense}/{@code Linear} layer. Everything runs in inference mode (no dropout), through
 * the model's own DL4J layers, so the numbers are the model's.
 */
public final class LayerOutputs {

    private LayerOutputs() {
    }

    /**
     * A dense layer's parameters: {@code y = activation(x · weight + bias)}; {@code weight} is
     * {@code [in, out]}, the transpose of torch's {@code fc.weight} ({@code [out, in]}).
     *
     * @param weight     [in, out]
     * @param bias       [out]
     * @param activation the DL4J activation (e.g. {@code sigmoid}, {@code softmax}, {@code identity})
     */
    public record Dense(INDArray weight, INDArray bias, String activation) {
        /** Checks shapes: weight rank 2, bias as long as weight has columns. */
        public Dense {
            if (weight == null || bias == null || weight.rank() != 2 || bias.length() != weight.size(1)) {
                throw new IllegalArgumentException("a dense layer needs weight [in, out] and bias [out], got "
                        + (weight == null ? null : Arrays.toString(weight.shape())) + " and "
                        + (bias == null ? null : Arrays.toString(bias.shape())));
            }
        }
    }

    /**
     * The top recurrent layer's output at every step for {@code x}, as {@code [batch, time, features]}
     * (torch {@code batch_first=True}); {@code out[:, -1, :]} is what a last-step classifier reads.
     *
     * @throws IllegalArgumentException if the model has no recurrent layer or {@code x} does not fit it
     */
    public static INDArray recurrent(Model model, INDArray x) {
        INDArray seq = recurrentDl4j(model, x, recurrentIndex(model));
        return seq.permute(0, 2, 1).dup('c');
    }

    /**
     * The parameters of the dense layer named {@code name} (its Keras / torch attribute name, e.g.
     * {@code "fc"}, {@code "dense"}), copied.
     *
     * @throws IllegalArgumentException naming the model's layers if there is no such dense layer
     */
    public static Dense dense(Model model, String name) {
        MultiLayerNetwork net = model.network();
        for (int i = 0; i < net.getnLayers(); i++) {
            Layer l = net.getLayer(i);
            org.deeplearning4j.nn.conf.layers.Layer c = l.conf().getLayer();
            if (name != null && name.equals(c.getLayerName()) && l.getParam("W") != null && l.getParam("b") != null
                    && c instanceof BaseLayer b) {
                return new Dense(l.getParam("W").dup(), l.getParam("b").dup().reshape(l.getParam("b").length()),
                        activationName(b.getActivationFn()));
            }
        }
        throw new IllegalArgumentException("model '" + model.name() + "' has no dense layer named '" + name
                + "'; its layers are " + model.layerNames());
    }

    // ------------------------------------------------------------------ shared with StepThrough

    /** Index of the top recurrent DL4J layer (unwrapping LastTimeStep), for {@link #recurrentDl4j}. */
    static int recurrentIndex(Model model) {
        MultiLayerNetwork net = model.network();
        for (int i = net.getnLayers() - 1; i >= 0; i--) {
            org.deeplearning4j.nn.conf.layers.Layer c = net.getLayerWiseConfigurations().getConf(i).getLayer();
            if (c instanceof LastTimeStep || c instanceof BaseRecurrentLayer || c instanceof Bidirectional) {
                return i;
            }
        }
        throw new IllegalArgumentException("model '" + model.name() + "' has no recurrent layer (SimpleRNN, LSTM, GRU); "
                + "its layers are " + model.layerNames());
    }

    /** True when DL4J layer {@code index} is bidirectional (possibly inside LastTimeStep). */
    static boolean bidirectional(Model model, int index) {
        org.deeplearning4j.nn.conf.layers.Layer c = model.network().getLayerWiseConfigurations().getConf(index).getLayer();
        if (c instanceof LastTimeStep t) {
            c = t.getUnderlying();
        }
        return c instanceof Bidirectional;
    }

    /** The recurrent DL4J layer itself (the layer inside LastTimeStep), whose params are W, RW, b. */
    static Layer recurrentLayer(Model model, int index) {
        Layer l = model.network().getLayer(index);
        boolean lastStep = model.network().getLayerWiseConfigurations().getConf(index).getLayer() instanceof LastTimeStep;
        return lastStep && l instanceof BaseWrapperLayer w ? w.getUnderlying() : l;
    }

    /**
     * The input of DL4J layer {@code index} for {@code x} ([batch, features, time] for a recurrent
     * layer), after the layer's input pre-processor, in inference mode.
     */
    static INDArray inputOf(Model model, INDArray x, int index) {
        MultiLayerNetwork net = model.network();
        model.checkInput(x);
        INDArray in = x.dataType() == net.getLayerWiseConfigurations().getDataType() ? x
                : x.castTo(net.getLayerWiseConfigurations().getDataType());
        INDArray a = index == 0 ? in : net.feedForwardToLayer(index - 1, in, false).get(index);
        InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(index);
        return pp == null ? a : pp.preProcess(a, (int) a.size(0), LayerWorkspaceMgr.noWorkspaces());
    }

    /** The full sequence output of recurrent DL4J layer {@code index}, [batch, features, time]. */
    static INDArray recurrentDl4j(Model model, INDArray x, int index) {
        INDArray in = inputOf(model, x, index);
        INDArray out = recurrentLayer(model, index).activate(in, false, LayerWorkspaceMgr.noWorkspaces());
        if (out.rank() != 3) {
            throw new IllegalStateException("the recurrent layer of model '" + model.name() + "' returned shape "
                    + Arrays.toString(out.shape()) + ", expected [batch, features, time]");
        }
        return out.detach();
    }

    /**
     * Applies the DL4J layers after {@code index} (dropout, dense, output; inference mode) to
     * {@code rows} = [n, features]: the classifier head of the model, here for n time steps at once.
     */
    static INDArray head(Model model, int index, INDArray rows) {
        MultiLayerNetwork net = model.network();
        INDArray a = rows;
        List<String> seen = new ArrayList<>();
        for (int j = index + 1; j < net.getnLayers(); j++) {
            Layer l = net.getLayer(j);
            InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(j);
            if (pp != null) {
                a = pp.preProcess(a, (int) a.size(0), LayerWorkspaceMgr.noWorkspaces());
            }
            a = l.activate(a, false, LayerWorkspaceMgr.noWorkspaces()).detach();
            seen.add(l.conf().getLayer().getClass().getSimpleName());
        }
        if (a.rank() != 2) {
            throw new IllegalStateException("the layers after the recurrent layer (" + seen + ") returned shape "
                    + Arrays.toString(a.shape()) + ", expected [steps, outputs]");
        }
        return a;
    }

    static String activationName(IActivation a) {
        String s = a == null ? "identity" : a.getClass().getSimpleName();
        return s.startsWith("Activation") ? s.substring("Activation".length()).toLowerCase(java.util.Locale.ROOT) : s;
    }
}
