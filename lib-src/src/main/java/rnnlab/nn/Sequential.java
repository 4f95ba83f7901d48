package rnnlab.nn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import rnnlab.nn.dl4j.recurrent.BidirectionalLastStep;
import rnnlab.nn.dl4j.recurrent.FusedBidirectional;
import rnnlab.nn.dl4j.recurrent.FusedRecurrent;
import rnnlab.nn.dl4j.recurrent.GruLayer;
import rnnlab.nn.dl4j.conv.FastConvolution;
import rnnlab.nn.dl4j.dense.FastDense;
import rnnlab.nn.dl4j.dense.FastOutput;
import rnnlab.nn.dl4j.conv.FastSubsampling;
import rnnlab.nn.dl4j.dense.ScatterEmbedding;
import rnnlab.nn.dl4j.recurrent.TimeSharedDropout;
import rnnlab.nn.dl4j.runtime.TorchUniformInit;

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
 * <p>The input shape comes from the first layer when it is an {@link Layer.Embedding}; otherwise
 * give it with {@link #inputSequence}, {@link #inputImage} or {@link #inputFeatures} (Keras's
 * {@code input_shape}). Weights start as Keras's: Glorot-uniform kernels (DL4J
 * {@code XAVIER_UNIFORM}; Keras's orthogonal recurrent init is not in DL4J, Glorot is used),
 * zero biases, uniform(-0.05, 0.05) embeddings. This builder is mutable; the Model is not.
 *
 * <p>Recurrent layers of FLOAT models are built from the fused {@link FusedRecurrent} layers (one
 * input-projection GEMM per sequence, fused gate arithmetic; several times faster, same parameters
 * and summaries), bidirectional ones from {@link FusedBidirectional} (DL4J's {@code Bidirectional}
 * without its reversed and concatenated copies, the two directions run concurrently).
 * {@link #referenceLayers(boolean) referenceLayers(true)}, or the system property
 * {@code -Drnnlab.referenceLayers=true}, builds DL4J's own {@code SimpleRnn}/{@code LSTM} and the
 * step-by-step {@link GruLayer} instead (for comparison, {@code rnnTimeStep} or DL4J masks); DOUBLE
 * models always use them. The same switch chooses {@link ScatterEmbedding} (DL4J's embedding with a
 * faster backward pass) or DL4J's {@code EmbeddingSequenceLayer}, {@link FastConvolution} (DL4J's
 * {@code ConvolutionLayer} with hand-written kernels, several times faster for LeNet-5, same
 * parameters and results) or DL4J's {@code ConvolutionLayer}, {@link FastSubsampling} (max
 * pooling in Java) or DL4J's {@code SubsamplingLayer}, and for hidden {@code Dense} layers
 * {@link FastDense} (products as single-thread-sized OpenBLAS calls) or DL4J's {@code DenseLayer}, and for a
 * softmax {@code Dense} with cross-entropy as the last layer {@link FastOutput} or DL4J's {@code OutputLayer}.
 */
public final class Sequential {

    private static final Logger LOG = LoggerFactory.getLogger(Sequential.class);

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
     * {@code true}: build recurrent layers from DL4J's {@code SimpleRnn}/{@code LSTM} and the
     * step-by-step {@link GruLayer} (the reference implementations); {@code false} (the default for
     * FLOAT models unless {@code -Drnnlab.referenceLayers=true}): the fused {@link FusedRecurrent}.
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

    private enum Kind { SEQ, FF, IMG, FLAT }

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
        List<String> warnings = new ArrayList<>();

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

        Kind kind = switch (in.kind()) {
            case TOKENS -> Kind.FF; // an Embedding must come first; checked below
            case SEQUENCE -> Kind.SEQ;
            case IMAGE -> Kind.IMG;
            case FEATURES -> Kind.FF;
        };
        int[][] ranges = new int[layers.size()][];
        int idx = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer spec = layers.get(i);
            String nm = names.get(i);
            boolean last = i == layers.size() - 1;
            List<org.deeplearning4j.nn.conf.layers.Layer> dl = new ArrayList<>();
            String where = "layer '" + nm + "' (" + spec.kerasType() + ")";
            if (spec instanceof Layer.Embedding e) {
                if (i != 0) {
                    throw new IllegalArgumentException(where + ": an Embedding must be the first layer");
                }
                EmbeddingSequenceLayer emb = new EmbeddingSequenceLayer.Builder().nIn(e.inputDim()).nOut(e.outputDim())
                        .hasBias(false).inferInputLength(true).inputLength(e.inputLength() > 0 ? e.inputLength() : -1)
                        .weightInit(new WeightInitDistribution(new UniformDistribution(-0.05, 0.05)))
                        .name(nm).build();
                dl.add(fused ? ScatterEmbedding.of(emb) : emb);
                kind = Kind.SEQ;
            } else if (spec instanceof Layer.Recurrent r) {
                requireSeq(kind, where);
                warnIfRecurrentDropoutIgnored(r, where, fused, warnings);
                var cell = cell(r, r.units(), r.dropout() > 0 ? new TimeSharedDropout(r.dropout()) : null, nm, fused);
                dl.add(r.returnSequences() ? cell : named(new LastTimeStep(cell), nm));
                kind = r.returnSequences() ? Kind.SEQ : Kind.FF;
            } else if (spec instanceof Layer.Bidirectional b) {
                requireSeq(kind, where);
                Layer.Recurrent r = b.layer();
                warnIfRecurrentDropoutIgnored(r, where, fused, warnings);
                var cell = cell(r, r.units(), r.dropout() > 0 ? new TimeSharedDropout(r.dropout()) : null, nm, fused);
                dl.add(bidi(cell, nm));
                if (!r.returnSequences()) {
                    // Keras's final states (forward at T-1, backward at 0); DL4J's Bidirectional(LastTimeStep)
                    // computes them but cannot back-propagate through them
                    dl.add(new BidirectionalLastStep(nm + "_final"));
                }
                kind = r.returnSequences() ? Kind.SEQ : Kind.FF;
            } else if (spec instanceof TorchRecurrent t) {
                requireSeq(kind, where);
                for (int k = 0; k < t.numLayers(); k++) {
                    IDropout d = k > 0 && t.dropout() > 0
                            ? new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - t.dropout()) : null;
                    String lname = nm + "_l" + k;
                    var cell = cell(t.cell(), t.hiddenSize(), d, lname, fused, true);
                    if (opt != null && t.cell() != TorchRecurrent.Cell.GRU) {
                        ((org.deeplearning4j.nn.conf.layers.BaseLayer) cell).setBiasUpdater(torchTwoBiasUpdater(opt));
                    }
                    boolean top = k == t.numLayers() - 1;
                    org.deeplearning4j.nn.conf.layers.Layer l;
                    if (!top || t.output() == TorchRecurrent.Output.SEQUENCE) {
                        l = t.bidirectional() ? bidi(cell, lname) : cell;
                    } else if (!t.bidirectional()) {
                        l = named(new LastTimeStep(cell), lname);
                    } else if (t.output() == TorchRecurrent.Output.LAST_STEP) {
                        l = named(new LastTimeStep(bidi(cell, lname)), lname);
                    } else {
                        dl.add(bidi(cell, lname));
                        l = new BidirectionalLastStep(lname + "_final"); // h_n of both directions
                    }
                    dl.add(l);
                }
                kind = t.output() == TorchRecurrent.Output.SEQUENCE ? Kind.SEQ : Kind.FF;
            } else if (spec instanceof Layer.Dropout d) {
                var b = new DropoutLayer.Builder().name(nm);
                if (d.rate() > 0) {
                    b.dropOut(new org.deeplearning4j.nn.conf.dropout.Dropout(1.0 - d.rate()));
                } else {
                    b.dropOut(null);
                }
                dl.add(b.build());
            } else if (spec instanceof Layer.Dense d) {
                if (kind == Kind.IMG) {
                    throw new IllegalArgumentException(where + " follows a convolutional layer: add a Flatten() "
                            + "before it");
                }
                Activation a = activation(d.activation());
                if (kind == Kind.SEQ) {
                    if (!last) {
                        throw new IllegalArgumentException(where + " follows a layer that returns sequences; "
                                + "per-step Dense is only supported as the last layer (set return_sequences=false "
                                + "on the recurrent layer before it otherwise)");
                    }
                    dl.add(new RnnOutputLayer.Builder(loss != null ? loss.toLossFunction() : Loss.MSE.toLossFunction())
                            .nOut(d.units()).activation(a).name(nm).build());
                } else if (last && loss != null) {
                    OutputLayer out = new OutputLayer.Builder(loss.toLossFunction()).nOut(d.units()).activation(a).name(nm)
                            .build();
                    dl.add(fused ? FastOutput.of(out) : out);
                } else {
                    DenseLayer dense = new DenseLayer.Builder().nOut(d.units()).activation(a).name(nm).build();
                    dl.add(fused ? FastDense.of(dense) : dense);
                }
                kind = kind == Kind.SEQ ? Kind.SEQ : Kind.FF;
            } else if (spec instanceof Layer.Flatten f) {
                if (kind != Kind.IMG) {
                    throw new IllegalArgumentException(where + ": Flatten is supported after Conv2D / MaxPooling2D "
                            + "only (DL4J would flatten a sequence per time step, unlike Keras)");
                }
                if (last || !(layers.get(i + 1) instanceof Layer.Dense)) {
                    throw new IllegalArgumentException(where + ": Flatten must be followed by a Dense layer");
                }
                kind = Kind.FLAT;
            } else if (spec instanceof Layer.Conv2D c) {
                requireImage(kind, where);
                var b = new ConvolutionLayer.Builder(c.kernelSize(), c.kernelSize()).stride(1, 1)
                        .nOut(c.filters()).activation(activation(c.activation())).name(nm);
                if (c.padding() < 0) {
                    b.convolutionMode(ConvolutionMode.Same);
                } else {
                    b.convolutionMode(ConvolutionMode.Truncate).padding(c.padding(), c.padding());
                }
                dl.add(fused ? FastConvolution.of(b.build()) : b.build());
            } else if (spec instanceof Layer.MaxPooling2D p) {
                requireImage(kind, where);
                SubsamplingLayer pool = new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(p.poolSize(), p.poolSize()).stride(p.poolSize(), p.poolSize())
                        .convolutionMode(ConvolutionMode.Truncate).name(nm).build();
                dl.add(fused ? FastSubsampling.of(pool) : pool);
            } else {
                throw new IllegalStateException("unknown layer " + spec);
            }
            if (i == 0 && in.kind() == InputSpec.Kind.TOKENS && !(spec instanceof Layer.Embedding)) {
                throw new IllegalStateException("unreachable: token input without an Embedding");
            }
            if (torchInit) {
                torchInitialise(spec, dl);
            }
            ranges[i] = new int[] {idx, idx + dl.size()};
            for (var l : dl) {
                lb.layer(idx++, l);
            }
        }
        Layer lastSpec = layers.get(layers.size() - 1);
        if (loss != null && !(lastSpec instanceof Layer.Dense)) {
            // Keras lets any layer be last; DL4J needs a loss layer at the top: a parameter-free one.
            lb.layer(idx++, kind == Kind.SEQ
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
                new ArrayList<>(warnings), null);
        return new Model(meta, net);
    }

    /** The reference SimpleRnn/LSTM of DL4J have no recurrent dropout: say so, once per layer. */
    private static void warnIfRecurrentDropoutIgnored(Layer.Recurrent r, String where, boolean fused,
            List<String> warnings) {
        if (r.recurrentDropout() > 0 && !fused && !(r instanceof Layer.GRU)) {
            String w = where + ": recurrent_dropout=" + r.recurrentDropout() + " is IGNORED on the reference layers "
                    + "(DL4J's " + (r instanceof Layer.LSTM ? "LSTM" : "SimpleRnn") + " cannot apply it); the fused "
                    + "layers (FLOAT, referenceLayers(false)) do";
            warnings.add(w);
            LOG.warn(w);
        }
    }

    private static void requireSeq(Kind kind, String where) {
        if (kind != Kind.SEQ) {
            throw new IllegalArgumentException(where + " expects a sequence input (batch, time, features) but the "
                    + "previous layer outputs " + (kind == Kind.IMG ? "images" : "flat vectors")
                    + "; put it after an Embedding, a recurrent layer with return_sequences=true, or use "
                    + "inputSequence(timesteps, features)");
        }
    }

    private static void requireImage(Kind kind, String where) {
        if (kind != Kind.IMG) {
            throw new IllegalArgumentException(where + " expects images [batch, channels, height, width]; use "
                    + "inputImage(channels, height, width) and put it before any Flatten/Dense");
        }
    }

    private static <T extends org.deeplearning4j.nn.conf.layers.Layer> T named(T l, String n) {
        l.setLayerName(n);
        return l;
    }

    /** DL4J's Bidirectional (concatenated); around a fused layer its faster twin {@link FusedBidirectional}. */
    private static org.deeplearning4j.nn.conf.layers.Layer bidi(org.deeplearning4j.nn.conf.layers.Layer inner, String n) {
        return named(FusedBidirectional.concat(inner), n);
    }

    private static org.deeplearning4j.nn.conf.layers.Layer cell(Layer.Recurrent r, int units, IDropout d, String n,
            boolean fused) {
        TorchRecurrent.Cell c = r instanceof Layer.SimpleRNN ? TorchRecurrent.Cell.RNN
                : r instanceof Layer.LSTM ? TorchRecurrent.Cell.LSTM : TorchRecurrent.Cell.GRU;
        var l = cell(c, units, d, n, fused);
        if (l instanceof FusedRecurrent f) {
            f.setRecurrentDropout(r.recurrentDropout());
        } else if (l instanceof GruLayer g) {
            g.setRecurrentDropout(r.recurrentDropout());
        } // DL4J's SimpleRnn / LSTM: none (warned by the caller)
        return l;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer cell(TorchRecurrent.Cell c, int units, IDropout d, String n,
            boolean fused) {
        return cell(c, units, d, n, fused, false);
    }

    /**
     * One recurrent cell. {@code torch}: PyTorch's defaults (every weight {@code U(±1/sqrt(H))}, no
     * forget-gate bias of 1) instead of Keras's (glorot_uniform, {@code unit_forget_bias=True}).
     */
    private static org.deeplearning4j.nn.conf.layers.Layer cell(TorchRecurrent.Cell c, int units, IDropout d, String n,
            boolean fused, boolean torch) {
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
            ((org.deeplearning4j.nn.conf.layers.BaseLayer) l).setWeightInitFn(TorchUniformInit.of(1.0 / Math.sqrt(units)));
        }
        if (d != null) {
            l.setIDropout(d);
        }
        return l;
    }

    /**
     * The updater of the single bias of a torch-style RNN / LSTM layer: the optimiser at twice the
     * learning rate. Torch trains two biases, {@code b_ih} and {@code b_hh}, which always receive the
     * same gradient, so both take the same optimiser step and their sum, the only bias that matters,
     * moves twice as far per step as DL4J's one bias under the same optimiser. Every updater here
     * (SGD, Nesterov, RMSprop, Adam, and the per-parameter / element-wise clipping) is linear in the
     * learning rate, so doubling it makes the single bias follow torch's {@code b_ih + b_hh} exactly.
     */
    static org.nd4j.linalg.learning.config.IUpdater torchTwoBiasUpdater(Optimizer opt) {
        return opt.learningRate(2 * opt.learningRate()).toUpdater();
    }

    /** PyTorch's default initialisation for the DL4J layers made from one Dense / Conv2D / Embedding spec. */
    private static void torchInitialise(Layer spec, List<org.deeplearning4j.nn.conf.layers.Layer> dl) {
        if (!(spec instanceof Layer.Dense || spec instanceof Layer.Conv2D || spec instanceof Layer.Embedding)) {
            return;
        }
        for (var l : dl) {
            if (l instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b) {
                b.setWeightInitFn(spec instanceof Layer.Embedding
                        ? new WeightInitDistribution(new org.deeplearning4j.nn.conf.distribution.NormalDistribution(0, 1))
                        : TorchUniformInit.fanIn());
            }
        }
    }

    static Activation activation(String a) {
        return switch (a) {
            case "linear" -> Activation.IDENTITY;
            case "relu" -> Activation.RELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            case "softmax" -> Activation.SOFTMAX;
            case "elu" -> Activation.ELU;
            case "selu" -> Activation.SELU;
            case "softplus" -> Activation.SOFTPLUS;
            case "softsign" -> Activation.SOFTSIGN;
            case "hard_sigmoid" -> Activation.HARDSIGMOID;
            default -> throw new IllegalArgumentException("unknown activation '" + a + "'; allowed: " + Layer.ACTIVATIONS);
        };
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
