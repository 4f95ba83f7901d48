package rnnlab.nn;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.dl4j.runtime.FusedUpdater;
import rnnlab.display.Displayable;
import rnnlab.display.Html;
import rnnlab.train.FitOptions;
import rnnlab.train.History;
import rnnlab.train.Scores;
import rnnlab.train.Trainer;

/**
 * A built, initialised model: what {@code model.compile(...)} leaves in Keras, wrapping a DL4J
 * {@link MultiLayerNetwork} (updater and loss configured). Its configuration is immutable; the
 * network's weights change in place when it is trained (by {@code rnnlab.train}).
 *
 * <ul>
 *   <li>{@link #fit(INDArray, int[], FitOptions)} / {@link #evaluate(INDArray, int[])}: Keras's
 *       {@code history = model.fit(x, y, ...)} and {@code model.evaluate(x, y)}, after
 *       {@link #checkInput(INDArray)} (the training loop is {@link Trainer}'s);
 *       {@link #history()} is Keras's {@code model.history}.</li>
 *   <li>{@link #summary()}: Keras's {@code model.summary()} text; {@link #toTorchString()}: PyTorch's
 *       module print.</li>
 *   <li>{@link #predict(INDArray)} / {@link #predictClasses(INDArray)}: Keras's {@code predict} and
 *       {@code (p > 0.5)} / {@code argmax}, after {@link #checkInput(INDArray)}.</li>
 *   <li>{@link #save(Path)} / {@link #load(Path)}: one zip file (DL4J's ModelSerializer format plus
 *       an {@code rnnlab-model.json} entry with the layer descriptions); reloads give identical
 *       predictions.</li>
 * </ul>
 */
public final class Model implements Displayable {

    /** The zip entry holding the layer descriptions ({@link Meta}) as JSON. */
    public static final String META_ENTRY = ModelFile.META_JSON;

    /** What is saved alongside the DL4J network: the description the model was built from. */
    record Meta(String name, ArrayList<Layer> layers, List<String> names, int[][] ranges, InputSpec input,
            Optimizer optimizer, Loss loss, long seed, ArrayList<String> warnings, List<Row> rows)
            implements Serializable {
        Meta {
            names = List.copyOf(names);
            rows = rows == null ? null : List.copyOf(rows);
        }

        Meta withRows(List<Row> r) {
            return new Meta(name, layers, names, ranges, input, optimizer, loss, seed, warnings, r);
        }
    }

    /** One line of the summary: Keras name, Keras type, output shape, parameter count. */
    public record Row(String name, String type, Shape outputShape, long params) implements Serializable {
    }

    private final Meta meta;
    private final MultiLayerNetwork net;
    private final List<Row> rows;
    private volatile History.Recorder history;

    Model(Meta meta, MultiLayerNetwork net) {
        // Adam in one fused pass where DL4J's updater would do only that (rnnlab.nn.dl4j.runtime.FusedUpdater)
        this.net = FusedUpdater.install(net);
        // Shapes are taken at build time: DL4J's Embedding records the length of the data it has seen.
        this.meta = meta.rows() != null ? meta : meta.withRows(ModelSummary.rows(meta, this.net));
        this.rows = this.meta.rows();
    }

    // ------------------------------------------------------------------ accessors

    /** The DL4J network (updater and loss configured when compiled). */
    public MultiLayerNetwork network() {
        return net;
    }

    /** The model name ({@code sequential} by default). */
    public String name() {
        return meta.name();
    }

    /** The layer descriptions, in order. */
    public List<Layer> layers() {
        return List.copyOf(meta.layers());
    }

    /** Keras names of the layers ({@code embedding}, {@code simple_rnn}, ...). */
    public List<String> layerNames() {
        return meta.names();
    }

    /** The expected input. */
    public InputSpec input() {
        return meta.input();
    }

    /** The optimizer, or {@code null} if built without {@code compile}. */
    public Optimizer optimizer() {
        return meta.optimizer();
    }

    /** The loss, or {@code null} if built without {@code compile}. */
    public Loss loss() {
        return meta.loss();
    }

    /** True when built by {@code compile} (trainable). */
    public boolean compiled() {
        return meta.loss() != null;
    }

    /** The seed used for initialisation. */
    public long seed() {
        return meta.seed();
    }

    /** Things the build could not honour (e.g. LSTM recurrent_dropout on the reference layers), also logged at build time. */
    public List<String> warnings() {
        return List.copyOf(meta.warnings());
    }

    /** The summary rows. */
    public List<Row> rows() {
        return rows;
    }

    /** Total number of parameters (all trainable), as DL4J counts them. */
    public long countParams() {
        return net.numParams();
    }

    /** Keras {@code model.output_shape}, e.g. {@code (None, 1)}. */
    public Shape outputShape() {
        return rows.get(rows.size() - 1).outputShape();
    }

    /** Keras {@code model.input_shape}, e.g. {@code (None, 400)} for token ids. */
    public Shape inputShape() {
        return meta.input().kerasShape();
    }

    // ------------------------------------------------------------------ summary and torch view

    /**
     * Keras's {@code model.summary()} (TF 2.x layout): name, the layer table with Keras names and
     * types, output shapes with {@code None} for the batch, parameter counts from the DL4J layers,
     * totals. All parameters are trainable.
     */
    public String summary() {
        return ModelSummary.text(meta.name(), rows, countParams());
    }

    @Override
    public String toString() {
        return summary();
    }

    @Override
    public Map<String, String> mimeBundle() {
        String s = summary();
        return Displayable.textAndHtml(s, "<pre>" + Html.escape(s) + "</pre>");
    }

    /**
     * The number of parameters PyTorch reports for the equivalent torch network: DL4J's count plus
     * the second recurrent bias torch keeps ({@code b_hh}: H per layer and direction for RNN, 4H for
     * LSTM; none for GRU, which has both here too). Verified against torch in the tests.
     */
    public long torchParamCount() {
        return TorchView.paramCount(meta, countParams());
    }

    /**
     * A PyTorch-style module print of the same network, e.g.
     * <pre>
     * RNNClassifier(
     *   (rnn): RNN(32, 128, num_layers=2, batch_first=True, dropout=0.3)
     *   (fc): Linear(in_features=128, out_features=10, bias=True)
     * )
     * </pre>
     * Layers with an explicit name print under that name, others under their index as in
     * {@code nn.Sequential}; activations print as separate modules ({@code relu1}, {@code relu2}, ...
     * after named layers). Torch registers modules where {@code __init__} creates them, so a
     * network that reuses one Dropout module prints it once in torch and at each use here.
     */
    public String toTorchString() {
        return TorchView.print(meta, net);
    }

    // ------------------------------------------------------------------ input checks and prediction

    /**
     * Checks that {@code x} fits the model's input, with Keras-like messages naming the first layer:
     * token ids must be integers in [0, input_dim) (NaN and ±∞ are out of range) and sequences no longer
     * than {@code input_length};
     * rank and feature sizes must match. Throws {@link IllegalArgumentException}; returns {@code x}.
     */
    public INDArray checkInput(INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException("model '" + meta.name() + "': input is null");
        }
        InputSpec in = meta.input();
        String first = "layer '" + meta.names().get(0) + "' (" + meta.layers().get(0).kerasType() + ")";
        long[] s = x.shape();
        String got = Arrays.toString(s);
        switch (in.kind()) {
            case TOKENS -> {
                Layer.Embedding e = (Layer.Embedding) meta.layers().get(0);
                if (x.rank() != 2) {
                    throw new IllegalArgumentException(first + " expects token ids of shape " + in.expected()
                            + ", got shape " + got + "; pad the sequences to one length (pad_sequences) first");
                }
                if (e.inputLength() > 0 && s[1] != e.inputLength()) {
                    throw new IllegalArgumentException(first + " was built with input_length=" + e.inputLength()
                            + " but the sequences have length " + s[1] + (s[1] > e.inputLength() ? " (longer)" : " (shorter)")
                            + "; pad or truncate them to " + e.inputLength() + " (pad_sequences(maxlen="
                            + e.inputLength() + "))");
                }
                if (x.length() > 0) {
                    double max = x.maxNumber().doubleValue(), min = x.minNumber().doubleValue();
                    // NaN fails every comparison below: look for it (and ±∞) first, with the same message
                    String nonFinite = x.dataType().isFPType() && !Double.isFinite(x.sumNumber().doubleValue())
                            ? firstNonFinite(x) : null;
                    if (nonFinite != null || max >= e.inputDim() || min < 0) {
                        throw new IllegalArgumentException(first + " has input_dim=" + e.inputDim()
                                + ": token ids must be in [0, " + (e.inputDim() - 1) + "], got "
                                + (nonFinite != null ? nonFinite : "ids from " + (long) min + " to " + (long) max)
                                + "; build the vocabulary with num_words=" + e.inputDim() + " or raise input_dim");
                    }
                    INDArray frac = x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
                    if (frac.sub(org.nd4j.linalg.ops.transforms.Transforms.floor(frac, true)).amaxNumber().doubleValue() > 0) {
                        throw new IllegalArgumentException(first + " expects integer token ids, got fractional values");
                    }
                }
            }
            case SEQUENCE -> {
                if (x.rank() != 3 || s[1] != in.features() || (in.timesteps() > 0 && s[2] != in.timesteps())) {
                    throw new IllegalArgumentException(first + " expects input of shape " + in.expected()
                            + ", got " + got + (x.rank() == 3 && s[2] == in.features()
                            ? "; it looks like [batch, time, features]: permute(0, 2, 1) it to DL4J's layout" : ""));
                }
            }
            case IMAGE -> {
                if (x.rank() != 4 || s[1] != in.features() || s[2] != in.height() || s[3] != in.width()) {
                    throw new IllegalArgumentException(first + " expects images of shape " + in.expected()
                            + ", got " + got);
                }
            }
            case FEATURES -> {
                if (x.rank() != 2 || s[1] != in.features()) {
                    throw new IllegalArgumentException(first + " expects input of shape " + in.expected()
                            + ", got " + got);
                }
            }
        }
        return x;
    }

    /** "NaN at [i, j]" for the first non-finite value of {@code x} (row-major), or {@code null}. */
    private static String firstNonFinite(INDArray x) {
        double[] v = x.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                return v[i] + " at " + Arrays.toString(org.nd4j.linalg.api.shape.Shape.ind2subC(x.shape(), i));
            }
        }
        return null;
    }

    /**
     * Keras {@code model.predict(x)}: the network's output (inference mode) after
     * {@link #checkInput}, computed in batches of {@link Trainer#DEFAULT_BATCH_SIZE} (32) as Keras
     * does, so a whole test set (10,000 MNIST images, 25,000 reviews) never has to fit in memory at once.
     */
    public INDArray predict(INDArray x) {
        return predict(x, Trainer.DEFAULT_BATCH_SIZE);
    }

    /** Keras {@code model.predict(x, batch_size)}: {@link Trainer#predict} after {@link #checkInput}. */
    public INDArray predict(INDArray x, int batchSize) {
        return Trainer.predict(net, checkInput(x), batchSize);
    }

    /**
     * Predicted classes: for one output unit {@code p > 0.5 ? 1 : 0} (Keras's binary idiom), else
     * the argmax over the outputs ({@link Trainer#classes}).
     */
    public int[] predictClasses(INDArray x) {
        return Trainer.classes(predict(x));
    }

    // ------------------------------------------------------------------ training and evaluation

    /**
     * Keras's {@code history = model.fit(x, y, batch_size=..., epochs=..., validation_split=...)}:
     * trains this model in place with the optimizer and loss it was compiled with and returns the
     * per-epoch {@link History} (also kept as {@link #history()}). The options are Keras's keyword
     * arguments: {@code FitOptions.builder().epochs(10).batchSize(128).validationSplit(0.2).build()}.
     * {@code x} is checked against the model's input first ({@link #checkInput}: token ids within
     * {@code input_dim}, sequence length, feature sizes), so a bad array is named before any training.
     *
     * @param y labels: 0/1 for one sigmoid output, class ids in [0, classes) otherwise
     * @see Trainer#fit(MultiLayerNetwork, INDArray, INDArray, FitOptions) for the semantics
     */
    public History fit(INDArray x, int[] y, FitOptions options) {
        checkCompiled("fit");
        checkFitInputs(x, options);
        return Trainer.fit(net, x, y, options, checkpointWriter(), newHistory());
    }

    /** {@link #fit(INDArray, int[], FitOptions)} with labels as an array: 0/1, class ids, or one-hot rows. */
    public History fit(INDArray x, INDArray y, FitOptions options) {
        checkCompiled("fit");
        checkFitInputs(x, options);
        return Trainer.fit(net, x, y, options, checkpointWriter(), newHistory());
    }

    /** {@link #fit(INDArray, int[], FitOptions)} with {@code long} class ids (as PyTorch's targets). */
    public History fit(INDArray x, long[] y, FitOptions options) {
        checkCompiled("fit");
        checkFitInputs(x, options);
        return Trainer.fit(net, x, y, options, checkpointWriter(), newHistory());
    }

    /**
     * Keras's {@code model.history}: the History of this model's most recent {@code fit} (also of one
     * stopped by an interrupt or a diverging loss: then the completed epochs; while a fit runs, the
     * epochs so far), or {@code null} if it has not been trained through {@link #fit} in this session
     * or its last fit failed before training began.
     */
    public History history() {
        History.Recorder r = history;
        return r == null ? null : r.history();
    }

    /** The History callback of the fit about to start: this model's {@link #history()} from now on. */
    private History.Recorder newHistory() {
        History.Recorder r = new History.Recorder();
        history = r;
        return r;
    }

    /** Keras's {@code model.evaluate(x, y)} (batch 32): loss and metrics over all samples, inference mode. */
    public Scores evaluate(INDArray x, int[] y) {
        return evaluate(x, y, Trainer.DEFAULT_BATCH_SIZE);
    }

    /** Keras's {@code model.evaluate(x, y, batch_size)}. */
    public Scores evaluate(INDArray x, int[] y, int batchSize) {
        checkCompiled("evaluate");
        return Trainer.evaluate(net, checkInput(x), y, batchSize);
    }

    /** {@link #evaluate(INDArray, int[], int)} with labels as an array (0/1, class ids or one-hot rows). */
    public Scores evaluate(INDArray x, INDArray y, int batchSize) {
        checkCompiled("evaluate");
        return Trainer.evaluate(net, checkInput(x), y, batchSize);
    }

    /** {@link #evaluate(INDArray, int[])} with labels as an array, batch 32. */
    public Scores evaluate(INDArray x, INDArray y) {
        return evaluate(x, y, Trainer.DEFAULT_BATCH_SIZE);
    }

    private void checkCompiled(String what) {
        if (!compiled()) {
            throw new IllegalStateException("model '" + meta.name() + "' has no loss and optimizer: call compile(optimizer, "
                    + "loss) on the Sequential before " + what + " (Keras: model.compile(optimizer='rmsprop', "
                    + "loss='binary_crossentropy'))");
        }
    }

    private void checkFitInputs(INDArray x, FitOptions options) {
        checkInput(x);
        if (options != null && options.validationX() != null) {
            try {
                checkInput(options.validationX());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("validation_data x: " + e.getMessage(), e);
            }
        }
    }

    // ------------------------------------------------------------------ persistence

    /**
     * Saves to one zip file: DL4J's model (configuration, weights, updater state) plus the layer
     * descriptions as JSON under {@link #META_ENTRY}. Mirrors Keras's {@code model.save(path)}. The
     * file is written to a temporary file next to it and renamed over it only when complete, so a
     * save that fails (disk full, the kernel killed) leaves the previous file as it was.
     */
    public void save(Path file) {
        try {
            ModelFile.write(net, meta, file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot save the model to " + file + ": " + e.getMessage()
                    + " (the previous file, if any, is unchanged)", e);
        }
    }

    /**
     * Loads a file written by {@link #save(Path)} (Keras's {@code load_model}). A file from elsewhere
     * cannot make it instantiate anything but rnnlab's and DL4J's layer and configuration types
     * ({@link ModelFile}); anything else is an {@link IllegalArgumentException} saying why.
     */
    public static Model load(Path file) {
        return ModelFile.read(file);
    }

    /** Writes the best-model checkpoint of {@link #fit} in {@link #save}'s format (issue 18: Model.load reads it). */
    private rnnlab.train.ModelCheckpoint.Writer checkpointWriter() {
        return (n, file) -> ModelFile.write(n, meta, file);
    }

    /** The description this model was built from (what {@link #save} writes). */
    Meta meta() {
        return meta;
    }
}
