package rnnlab.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A Keras-style model builder, mirroring {@code tf.keras.Sequential}: {@code add} layers, then
 * {@link #compile(Optimizer, Loss)} builds and initialises a DL4J {@code MultiLayerNetwork} and
 * returns an immutable {@link Model}. {@link #build()} does the same without a loss (for summaries
 * and inference only).
 *
 * <pre>{@code
 * Model m = new Sequential()
 *     .add(new Layer.Embedding(10000, 32))
 *     .add(new Layer.SimpleRNN(32))
 *     .add(new Layer.Dense(1, "sigmoid"))
 *     .seed(42)
 *     .compile(Optimizer.rmsprop(), Loss.BINARY_CROSSENTROPY);
 * System.out.println(m.summary());     // Total params: 322,113
 * }</pre>
 *
 * <p>The input shape comes from a first {@link Layer.Embedding}, else from {@link #inputSequence},
 * {@link #inputImage} or {@link #inputFeatures} (Keras's {@code input_shape}). Initial weights are
 * Keras's (Glorot-uniform kernels, zero biases, uniform(-0.05, 0.05) embeddings) except that recurrent
 * kernels are Glorot-uniform, not Keras's orthogonal. FLOAT models get rnnlab's fast DL4J layers;
 * {@link #referenceLayers(boolean)} or a DOUBLE model gets DL4J's own. The builder is mutable, the
 * {@link Model} is not.
 */
public final class Sequential {

    private final List<Layer> layers = new ArrayList<>();
    private String name = "sequential";
    private InputSpec input;
    private long seed = 42;
    private DataType dataType = DataType.FLOAT;
    private boolean referenceLayers = Boolean.getBoolean(REFERENCE_LAYERS_PROPERTY);
    private boolean torchInit;

    /** System property that makes {@link #referenceLayers(boolean) referenceLayers(true)} the default. */
    public static final String REFERENCE_LAYERS_PROPERTY = "rnnlab.referenceLayers";

    /** An empty model named {@code sequential}. */
    public Sequential() {
    }

    /** An empty model with a name (Keras {@code Sequential(name=...)}). */
    public Sequential(String name) {
        name(name);
    }

    /** {@code Sequential([layer, ...])}. */
    public static Sequential of(Layer... layers) {
        Sequential s = new Sequential();
        for (Layer l : layers) {
            s.add(l);
        }
        return s;
    }

    /** Appends a layer ({@code model.add(layer)}). */
    public Sequential add(Layer layer) {
        layers.add(Objects.requireNonNull(layer, "layer"));
        return this;
    }

    /** The model name shown by {@code summary()} (Keras default {@code sequential}). */
    public Sequential name(String n) {
        if (n == null || n.isBlank()) {
            throw new IllegalArgumentException("model name must not be blank");
        }
        this.name = n;
        return this;
    }

    /** Input of sequences: {@code timesteps} (0 = any) steps of {@code features} values; tensors [batch, features, time]. */
    public Sequential inputSequence(int timesteps, int features) {
        this.input = InputSpec.sequence(timesteps, features);
        return this;
    }

    /** Input of images, tensors [batch, channels, height, width]. */
    public Sequential inputImage(int channels, int height, int width) {
        this.input = InputSpec.image(channels, height, width);
        return this;
    }

    /** Input of flat feature vectors, tensors [batch, features]. */
    public Sequential inputFeatures(int features) {
        this.input = InputSpec.features(features);
        return this;
    }

    /** Seed for weight initialisation and dropout masks (default 42): same seed, same run. */
    public Sequential seed(long s) {
        this.seed = s;
        return this;
    }

    /** Network data type (default FLOAT; DOUBLE for gradient checks). */
    public Sequential dataType(DataType dt) {
        this.dataType = Objects.requireNonNull(dt, "dataType");
        return this;
    }

    /**
     * {@code true}: build DL4J's own layers, recurrent ones from DL4J's {@code SimpleRnn}/{@code LSTM}
     * and the step-by-step {@code GruLayer} (the reference implementations); {@code false} (the
     * default for FLOAT models unless {@code -Drnnlab.referenceLayers=true}): the fast layers of
     * {@code rnnlab.nn.dl4j}, recurrent ones the fused {@code FusedRecurrent}.
     */
    public Sequential referenceLayers(boolean b) {
        this.referenceLayers = b;
        return this;
    }

    /**
     * Initialise {@code Dense}, {@code Conv2D} and {@code Embedding} layers as PyTorch's
     * {@code nn.Linear}, {@code nn.Conv2d} ({@code U(±1/sqrt(fan_in))}) and {@code nn.Embedding}
     * ({@code N(0, 1)}) do by default, instead of Keras's glorot_uniform and {@code U(±0.05)}: for
     * models that mirror PyTorch code ({@link Classifiers} uses it). {@link TorchRecurrent} layers use
     * PyTorch's initialisation always; biases stay zero in both conventions here.
     */
    public Sequential torchInit() {
        this.torchInit = true;
        return this;
    }

    /** The layers added so far. */
    public List<Layer> layers() {
        return List.copyOf(layers);
    }

    /** Builds without optimizer or loss: for {@code summary()} and {@code predict} only. */
    public Model build() {
        return make(null, null);
    }

    /** Mirrors {@code model.compile(optimizer, loss)}: builds and initialises the network. */
    public Model compile(Optimizer optimizer, Loss loss) {
        return make(Objects.requireNonNull(optimizer, "optimizer"), Objects.requireNonNull(loss, "loss"));
    }

    /** {@code compile("rmsprop", "binary_crossentropy")} with Keras string names. */
    public Model compile(String optimizer, String loss) {
        return compile(Optimizer.of(optimizer), Loss.of(loss));
    }

    // ------------------------------------------------------------------ building

    Model make(Optimizer opt, Loss loss) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("model '" + name + "' has no layers; add some with add(...)");
        }
        InputSpec in = input;
        Layer first = layers.get(0);
        if (first instanceof Layer.Embedding e) {
            if (in != null && in.kind() != InputSpec.Kind.TOKENS) {
                throw new IllegalArgumentException("model '" + name + "': the first layer is an Embedding, which "
                        + "takes token ids; remove the inputSequence/inputImage/inputFeatures call");
            }
            in = InputSpec.tokens(e.inputLength());
        } else if (in == null) {
            throw new IllegalArgumentException("model '" + name + "': the first layer " + first.kerasType()
                    + " needs an input shape; call inputSequence(timesteps, features), inputImage(c, h, w) or "
                    + "inputFeatures(n) first (Keras: input_shape=...)");
        }
        List<String> names = kerasNames(layers);
        boolean fused = dataType == DataType.FLOAT && !referenceLayers;

        NeuralNetConfiguration.Builder nb = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(dataType).weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(opt != null ? opt.toUpdater() : new NoOp());
        if (opt != null && opt.clipNorm() > 0) {
            nb.gradientNormalization(GradientNormalization.ClipL2PerParamType)
                    .gradientNormalizationThreshold(opt.clipNorm());
        } else if (opt != null && opt.clipValue() > 0) {
            nb.gradientNormalization(GradientNormalization.ClipElementWiseAbsoluteValue)
                    .gradientNormalizationThreshold(opt.clipValue());
        }
        // nIn of the Embedding is its vocabulary size, not the input's feature count: do not let
        // setInputType overwrite explicitly given nIn values.
        NeuralNetConfiguration.ListBuilder lb = nb.list().overrideNinUponBuild(false);

        // each layer translates itself (Layer.addTo); ranges[i]: its DL4J layers [from, to)
        Dl4jBuild build = new Dl4jBuild(layers, in, opt, loss, fused, torchInit);
        int[][] ranges = new int[layers.size()][];
        int idx = 0;
        for (int i = 0; i < layers.size(); i++) {
            List<org.deeplearning4j.nn.conf.layers.Layer> dl = build.translate(i, names.get(i));
            ranges[i] = new int[] {idx, idx + dl.size()};
            for (var l : dl) {
                lb.layer(idx++, l);
            }
        }
        if (loss != null && !(layers.get(layers.size() - 1) instanceof Layer.Dense)) {
            // Keras lets any layer be last; DL4J needs a loss layer at the top: a parameter-free one.
            lb.layer(idx++, build.output() == Dl4jBuild.Flow.SEQUENCE
                    ? new RnnLossLayer.Builder(loss.toLossFunction()).activation(Activation.IDENTITY).name("loss").build()
                    : new LossLayer.Builder(loss.toLossFunction()).activation(Activation.IDENTITY).name("loss").build());
        }
        lb.setInputType(in.toInputType());
        MultiLayerConfiguration conf;
        MultiLayerNetwork net;
        try {
            conf = lb.build();
            net = new MultiLayerNetwork(conf);
            net.init();
        } catch (IllegalStateException | IllegalArgumentException | UnsupportedOperationException ex) {
            throw new IllegalArgumentException("model '" + name + "' cannot be built with loss " + loss + ": "
                    + ex.getMessage(), ex);
        }
        Model.Meta meta = new Model.Meta(name, new ArrayList<>(layers), names, ranges, in, opt, loss, seed,
                new ArrayList<>(build.warnings()), null);
        return new Model(meta, net);
    }

    /** Keras's default names: the stem, then stem_1, stem_2, ... per model; explicit names kept. */
    static List<String> kerasNames(List<Layer> layers) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l.name() != null) {
                out.add(l.name());
                continue;
            }
            String stem = l.defaultName();
            int k = seen.merge(stem, 1, Integer::sum) - 1;
            out.add(k == 0 ? stem : stem + "_" + k);
        }
        if (out.stream().distinct().count() != out.size()) {
            throw new IllegalArgumentException("layer names must be unique, got " + out);
        }
        return out;
    }
}
