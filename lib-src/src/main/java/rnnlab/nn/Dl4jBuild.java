package rnnlab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.activations.Activation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import rnnlab.nn.dl4j.recurrent.FusedBidirectional;
import rnnlab.nn.dl4j.recurrent.FusedRecurrent;
import rnnlab.nn.dl4j.recurrent.GruLayer;
import rnnlab.nn.dl4j.recurrent.TimeSharedDropout;
import rnnlab.nn.dl4j.runtime.TorchUniformInit;

/**
 * One {@link Sequential} build as each layer's DL4J translation ({@link Layer#addTo}) sees it:
 * what the previous layer hands on, the layer's Keras name and position, the optimizer and loss,
 * and whether the fast DL4J layers or DL4J's reference layers are built. Also the translation
 * steps several layer kinds share: the recurrent cells, the bidirectional wrapper and PyTorch's
 * initialisation. Only {@link Sequential} creates one; a layer only adds to it.
 */
public final class Dl4jBuild {

    /** Logged under Sequential, where model builds have always logged. */
    private static final Logger LOG = LoggerFactory.getLogger(Sequential.class);

    /** What the layers so far hand on to the next one. */
    enum Flow {
        /** [batch, features, time]. */
        SEQUENCE,
        /** [batch, features]. */
        VECTOR,
        /** [batch, channels, height, width]. */
        IMAGE,
        /** Images about to be flattened by DL4J's preprocessor (after {@link Layer.Flatten}). */
        FLATTENED
    }

    private final List<Layer> layers;
    private final Optimizer optimizer;
    private final Loss loss;
    private final boolean fused;
    private final boolean torchInit;
    private final List<String> warnings = new ArrayList<>();
    private final List<org.deeplearning4j.nn.conf.layers.Layer> added = new ArrayList<>();
    private Flow flow;
    private int index;
    private String name;

    Dl4jBuild(List<Layer> layers, InputSpec input, Optimizer optimizer, Loss loss, boolean fused, boolean torchInit) {
        this.layers = List.copyOf(layers);
        this.optimizer = optimizer;
        this.loss = loss;
        this.fused = fused;
        this.torchInit = torchInit;
        this.flow = switch (input.kind()) {
            case TOKENS -> Flow.VECTOR; // an Embedding comes first and makes it a sequence
            case SEQUENCE -> Flow.SEQUENCE;
            case IMAGE -> Flow.IMAGE;
            case FEATURES -> Flow.VECTOR;
        };
    }

    /** Translates layer {@code i}, Keras name {@code kerasName}: the DL4J layers it becomes, in order. */
    List<org.deeplearning4j.nn.conf.layers.Layer> translate(int i, String kerasName) {
        index = i;
        name = kerasName;
        added.clear();
        layers.get(i).addTo(this);
        return List.copyOf(added);
    }

    // ------------------------------------------------------------------ what a layer reads

    /** The layer's Keras name ({@code lstm}, {@code dense_1}, or the explicit one). */
    String name() {
        return name;
    }

    /** "layer 'name' (Type)", how error messages and warnings name the layer. */
    String where() {
        return "layer '" + name + "' (" + layers.get(index).kerasType() + ")";
    }

    /** An error about this layer: {@link #where()} followed by {@code rest}. */
    IllegalArgumentException error(String rest) {
        return new IllegalArgumentException(where() + rest);
    }

    /** What the previous layer hands on. */
    Flow input() {
        return flow;
    }

    /** True for the model's first layer. */
    boolean first() {
        return index == 0;
    }

    /** True for the model's last layer. */
    boolean last() {
        return index == layers.size() - 1;
    }

    /** The layer after this one ({@code null} for the last). */
    Layer next() {
        return last() ? null : layers.get(index + 1);
    }

    /** The optimizer, {@code null} when built without {@code compile}. */
    Optimizer optimizer() {
        return optimizer;
    }

    /** The loss, {@code null} when built without {@code compile}. */
    Loss loss() {
        return loss;
    }

    /** True: the fast rnnlab layers ({@code rnnlab.nn.dl4j}); false: DL4J's reference layers. */
    boolean fused() {
        return fused;
    }

    /** What the layers so far hand on (after the last one: the model's output). */
    Flow output() {
        return flow;
    }

    /** Warnings recorded so far ({@link Model#warnings()}). */
    List<String> warnings() {
        return List.copyOf(warnings);
    }

    // ------------------------------------------------------------------ what a layer does

    /** Appends a DL4J layer for this layer. */
    void add(org.deeplearning4j.nn.conf.layers.Layer l) {
        added.add(l);
    }

    /** Sets what this layer hands on to the next one. */
    void output(Flow f) {
        flow = f;
    }

    /** Records and logs something the build cannot honour. */
    void warn(String w) {
        warnings.add(w);
        LOG.warn(w);
    }

    /**
     * Under {@link Sequential#torchInit()}: PyTorch's default initialisation {@code init} for the
     * weights of every DL4J layer this layer has added so far (biases stay zero).
     */
    void torchInit(Supplier<IWeightInit> init) {
        if (torchInit) {
            for (var l : added) {
                if (l instanceof BaseLayer b) {
                    b.setWeightInitFn(init.get());
                }
            }
        }
    }

    /** Throws unless the previous layer hands on sequences. */
    void requireSequence() {
        if (flow != Flow.SEQUENCE) {
            throw error(" expects a sequence input (batch, time, features) but the "
                    + "previous layer outputs " + (flow == Flow.IMAGE ? "images" : "flat vectors")
                    + "; put it after an Embedding, a recurrent layer with return_sequences=true, or use "
                    + "inputSequence(timesteps, features)");
        }
    }

    /** Throws unless the previous layer hands on images. */
    void requireImages() {
        if (flow != Flow.IMAGE) {
            throw error(" expects images [batch, channels, height, width]; use "
                    + "inputImage(channels, height, width) and put it before any Flatten/Dense");
        }
    }

    // ------------------------------------------------------------------ shared translations

    /** Sets a DL4J layer's name; returns it. */
    static <T extends org.deeplearning4j.nn.conf.layers.Layer> T named(T l, String n) {
        l.setLayerName(n);
        return l;
    }

    /** DL4J's Bidirectional (concatenated); around a fused layer its faster twin {@link FusedBidirectional}. */
    static org.deeplearning4j.nn.conf.layers.Layer bidirectional(org.deeplearning4j.nn.conf.layers.Layer inner,
            String n) {
        return named(FusedBidirectional.concat(inner), n);
    }

    /**
     * The DL4J cell of a Keras recurrent layer, named as this layer, with Keras's dropouts. The
     * reference SimpleRnn / LSTM of DL4J have no recurrent dropout: that is said once per layer.
     */
    org.deeplearning4j.nn.conf.layers.Layer recurrentCell(Layer.Recurrent r) {
        if (r.recurrentDropout() > 0 && !fused && r.cell() != TorchRecurrent.Cell.GRU) {
            warn(where() + ": recurrent_dropout=" + r.recurrentDropout() + " is IGNORED on the reference layers "
                    + "(DL4J's " + (r.cell() == TorchRecurrent.Cell.LSTM ? "LSTM" : "SimpleRnn") + " cannot apply it); the fused "
                    + "layers (FLOAT, referenceLayers(false)) do");
        }
        var l = cell(r.cell(), r.units(), r.dropout() > 0 ? new TimeSharedDropout(r.dropout()) : null, name, false);
        if (l instanceof FusedRecurrent f) {
            f.setRecurrentDropout(r.recurrentDropout());
        } else if (l instanceof GruLayer g) {
            g.setRecurrentDropout(r.recurrentDropout());
        } // DL4J's SimpleRnn / LSTM: none (warned above)
        return l;
    }

    /**
     * One recurrent cell: the fused {@link FusedRecurrent} or DL4J's {@code SimpleRnn} / {@code LSTM} /
     * the step-by-step {@link GruLayer}. {@code torch}: PyTorch's defaults (every weight
     * {@code U(±1/sqrt(H))}, no forget-gate bias of 1) instead of Keras's (glorot_uniform,
     * {@code unit_forget_bias=True}).
     */
    org.deeplearning4j.nn.conf.layers.Layer cell(TorchRecurrent.Cell c, int units, IDropout d, String n,
            boolean torch) {
        double forgetBias = torch ? 0.0 : 1.0;
        var l = fused ? new FusedRecurrent.Builder(switch (c) {
            case RNN -> FusedRecurrent.Cell.SIMPLE_RNN;
            case LSTM -> FusedRecurrent.Cell.LSTM;
            case GRU -> FusedRecurrent.Cell.GRU;
        }).nOut(units).activation(Activation.TANH).forgetGateBiasInit(forgetBias).name(n).build() : switch (c) {
            case RNN -> new SimpleRnn.Builder().nOut(units).activation(Activation.TANH).name(n).build();
            case LSTM -> new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nOut(units).activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID).forgetGateBiasInit(forgetBias).name(n).build();
            case GRU -> new GruLayer.Builder().nOut(units).activation(Activation.TANH).name(n).build();
        };
        if (torch) {
            ((BaseLayer) l).setWeightInitFn(TorchUniformInit.of(1.0 / Math.sqrt(units)));
        }
        if (d != null) {
            l.setIDropout(d);
        }
        return l;
    }
}
