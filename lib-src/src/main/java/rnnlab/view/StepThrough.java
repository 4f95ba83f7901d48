package rnnlab.view;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import rnnlab.charrnn.CharRnnModel;
import rnnlab.charrnn.NameClassifier;
import rnnlab.charrnn.Tensor;
import rnnlab.nn.Model;
import rnnlab.nn.dl4j.recurrent.FusedRecurrent;
import rnnlab.nn.dl4j.recurrent.GruLayer;
import rnnlab.display.Displayable;
import rnnlab.plot.Figure;
import rnnlab.plot.Figures;
import rnnlab.plot.PlotlySpec;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A trained recurrent network reading one input token by token, in one call: per time step the
 * token (a word, a letter), the model's running prediction after that step (the classifier head
 * applied to the hidden state of that step, i.e. the verdict had the input ended there), the
 * recurrent state (units × time) and, for gated cells, each gate's mean activation. Padding steps
 * (token 0, Keras's and torchtext's reserved padding index) are marked. Nothing in Keras, PyTorch's
 * tutorials or d2l gives this in one call; it is what a student would otherwise write with
 * {@code return_sequences=True} and a loop.
 *
 * <pre>{@code
 * StepThrough.of(model, testSequences[0], id -> wordIndex.word(id - 3))   // Embedding → SimpleRNN/LSTM/GRU → Dense
 * StepThrough.of(lstmClassifier, "Dovesky")                                // report 004's char-level cells
 * }</pre>
 * The states come from the model's own layers (inference mode); the gates are recomputed from the
 * layer's weights and must rebuild its states, and the last running prediction must equal
 * {@code model.predict} — either check failing throws, so the view cannot drift from the model.
 * Shown as a {@link Figure} (PNG + interactive); the numbers are in {@link #table()} and the accessors.
 */
public final class StepThrough implements Displayable {

    /** Largest disagreement allowed between the view's recomputation and the model (float arithmetic). */
    public static final double TOLERANCE = 1e-4;

    private final String title;
    private final String cell;
    private final String[] tokens;
    private final int[] ids;
    private final boolean[] padding;
    private final double[][] states;
    private final double[][] predictions;
    private final List<String> outputNames;
    private final Map<String, double[][]> gates;
    private final double[][] cellStates;
    private final boolean probabilityHeatmap;
    private Figure figure;

    private StepThrough(String title, String cell, String[] tokens, int[] ids, boolean[] padding, double[][] states,
            double[][] predictions, List<String> outputNames, Map<String, double[][]> gates, double[][] cellStates,
            boolean probabilityHeatmap) {
        this.title = title;
        this.cell = cell;
        this.tokens = tokens;
        this.ids = ids;
        this.padding = padding;
        this.states = states;
        this.predictions = predictions;
        this.outputNames = List.copyOf(outputNames);
        this.gates = gates;
        this.cellStates = cellStates;
        this.probabilityHeatmap = probabilityHeatmap;
    }

    // ------------------------------------------------------------------ Keras / DL4J models

    /** {@link #of(Model, int[], IntFunction)} with the token ids themselves as the words. */
    public static StepThrough of(Model model, int[] review) {
        return of(model, review, Integer::toString);
    }

    /**
     * The model reading {@code review} (one padded row of token ids, e.g. {@code x_test[0]}), each id
     * shown as {@code words.apply(id)} ({@code null} shows the id). The model must read token ids
     * (an {@code Embedding} first) and end in one unidirectional SimpleRNN / LSTM / GRU (the top one
     * of a stack is shown) followed by dropout/dense layers, as in notebooks 04–06.
     *
     * @throws IllegalArgumentException for an empty review, a bidirectional layer, or input the model rejects
     * @throws IllegalStateException    if the recomputation disagrees with the model by more than {@link #TOLERANCE}
     */
    public static StepThrough of(Model model, int[] review, IntFunction<String> words) {
        if (model == null || review == null || review.length == 0) {
            throw new IllegalArgumentException("StepThrough.of needs a trained model and a non-empty review (one row of token ids, "
                    + "e.g. xTest[0]); got model=" + model + ", review=" + (review == null ? null : "[]"));
        }
        if (words == null) {
            throw new IllegalArgumentException("words must not be null; use StepThrough.of(model, review) to show the ids");
        }
        int idx = LayerOutputs.recurrentIndex(model);
        if (LayerOutputs.bidirectional(model, idx)) {
            throw new IllegalArgumentException("model '" + model.name() + "' ends in a bidirectional layer, whose backward "
                    + "direction has read the whole review at every step, so there is no running prediction; "
                    + "use LayerOutputs.recurrent(model, x) to see its outputs");
        }
        int t = review.length;
        INDArray x = Nd4j.createFromArray(new int[][] {review});
        INDArray in = LayerOutputs.inputOf(model, x, idx);                       // [1, nIn, T]
        Layer layer = LayerOutputs.recurrentLayer(model, idx);
        INDArray seq = layer.activate(in, false, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces()).detach();
        double[][] hs = seq.slice(0).transpose().castTo(DataType.DOUBLE).toDoubleMatrix();  // [T][H]
        if (hs.length != t) {
            throw new IllegalStateException("the recurrent layer returned " + hs.length + " steps for a review of " + t);
        }
        INDArray head = LayerOutputs.head(model, idx, seq.slice(0).transpose().dup('c'));
        double[][] preds = head.castTo(DataType.DOUBLE).toDoubleMatrix();
        double[] direct = model.predict(x).castTo(DataType.DOUBLE).toDoubleVector();
        double d = maxAbsDiff(preds[t - 1], direct);
        if (d > TOLERANCE) {
            throw new IllegalStateException("StepThrough's last running prediction " + Arrays.toString(preds[t - 1])
                    + " differs from model.predict " + Arrays.toString(direct) + " by " + d + "; please report this");
        }
        double[][] xs = in.slice(0).transpose().castTo(DataType.DOUBLE).toDoubleMatrix();   // [T][nIn]
        Gates g = gates(model, layer, xs, hs);
        String[] toks = new String[t];
        boolean[] pad = new boolean[t];
        for (int i = 0; i < t; i++) {
            pad[i] = review[i] == 0;
            String w = pad[i] ? "<pad>" : words.apply(review[i]);
            toks[i] = w == null ? Integer.toString(review[i]) : w;
        }
        List<String> names = new ArrayList<>();
        if (preds[0].length == 1) {
            names.add("prediction");
        } else {
            for (int k = 0; k < preds[0].length; k++) {
                names.add("class " + k);
            }
        }
        int pads = 0;
        for (boolean p : pad) {
            pads += p ? 1 : 0;
        }
        String title = String.format(Locale.ROOT, "%s reading %d steps (%d padding): running prediction, %s state%s",
                model.name(), t, pads, g.cell, g.gates.isEmpty() ? "" : ", gates");
        return new StepThrough(title, g.cell, toks, review.clone(), pad, hs, preds, names, g.gates, g.cells, false);
    }

    private record Gates(String cell, Map<String, double[][]> gates, double[][] cells) {
    }

    /** Recomputes the gates from the layer's W, RW, b and checks that they rebuild the layer's states. */
    private static Gates gates(Model model, Layer layer, double[][] xs, double[][] hs) {
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        String kind;
        if (conf instanceof FusedRecurrent f) {
            kind = switch (f.getCell()) {
                case SIMPLE_RNN -> "SimpleRNN";
                case LSTM -> "LSTM";
                case GRU -> "GRU";
            };
        } else if (conf instanceof GruLayer) {
            kind = "GRU";
        } else if (conf instanceof org.deeplearning4j.nn.conf.layers.LSTM) {
            kind = "LSTM";
        } else if (conf instanceof org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn) {
            kind = "SimpleRNN";
        } else {
            throw new IllegalArgumentException("model '" + model.name() + "': StepThrough knows SimpleRNN, LSTM and GRU layers, "
                    + "not " + conf.getClass().getSimpleName());
        }
        double[][] w = layer.getParam("W").castTo(DataType.DOUBLE).toDoubleMatrix();   // [nIn][kH]
        double[][] rw = layer.getParam("RW").castTo(DataType.DOUBLE).toDoubleMatrix(); // [H][kH]
        double[] b = layer.getParam("b").castTo(DataType.DOUBLE).reshape(layer.getParam("b").length()).toDoubleVector();
        int t = hs.length;
        int h = hs[0].length;
        Map<String, double[][]> g = new LinkedHashMap<>();
        double[][] rebuilt = new double[t][h];
        double[][] cs = null;
        double[] prev = new double[h];
        switch (kind) {
            case "SimpleRNN" -> {
                for (int s = 0; s < t; s++) {
                    double[] z = affine(xs[s], w, prev, rw, b, 0, h);
                    for (int j = 0; j < h; j++) {
                        rebuilt[s][j] = Math.tanh(z[j]);
                    }
                    prev = hs[s];
                }
            }
            case "LSTM" -> { // DL4J's gate-block order: candidate g, forget f, output o, input i
                double[][] fs = new double[t][h];
                double[][] is = new double[t][h];
                double[][] os = new double[t][h];
                cs = new double[t][h];
                double[] c = new double[h];
                for (int s = 0; s < t; s++) {
                    double[] z = affine(xs[s], w, prev, rw, b, 0, 4 * h);
                    for (int j = 0; j < h; j++) {
                        double gg = Math.tanh(z[j]);
                        fs[s][j] = sigmoid(z[h + j]);
                        os[s][j] = sigmoid(z[2 * h + j]);
                        is[s][j] = sigmoid(z[3 * h + j]);
                        c[j] = fs[s][j] * c[j] + is[s][j] * gg;
                        cs[s][j] = c[j];
                        rebuilt[s][j] = os[s][j] * Math.tanh(c[j]);
                    }
                    prev = hs[s];
                }
                g.put("input gate i", is);
                g.put("forget gate f", fs);
                g.put("output gate o", os);
            }
            default -> { // GRU, torch's equations: b = b_ih (r, z, n) then b_hh (r, z, n)
                double[][] rs = new double[t][h];
                double[][] zs = new double[t][h];
                for (int s = 0; s < t; s++) {
                    double[] xi = affine(xs[s], w, null, null, b, 0, 3 * h);
                    double[] hh = affine(null, null, prev, rw, b, 3 * h, 3 * h);
                    for (int j = 0; j < h; j++) {
                        rs[s][j] = sigmoid(xi[j] + hh[j]);
                        zs[s][j] = sigmoid(xi[h + j] + hh[h + j]);
                        double n = Math.tanh(xi[2 * h + j] + rs[s][j] * hh[2 * h + j]);
                        rebuilt[s][j] = (1 - zs[s][j]) * n + zs[s][j] * prev[j];
                    }
                    prev = hs[s];
                }
                g.put("reset gate r", rs);
                g.put("update gate z", zs);
            }
        }
        double worst = 0;
        for (int s = 0; s < t; s++) {
            worst = Math.max(worst, maxAbsDiff(rebuilt[s], hs[s]));
        }
        if (worst > TOLERANCE) {
            throw new IllegalStateException("StepThrough's " + kind + " gates rebuild the layer's states only to within " + worst
                    + " (allowed " + TOLERANCE + "); the layer's parameter layout is not the one expected, please report this");
        }
        return new Gates(kind + "(" + h + ")", g, cs);
    }

    /** x·W + h·RW + b[off, off + n) over the first n columns (either part may be absent). */
    private static double[] affine(double[] x, double[][] w, double[] h, double[][] rw, double[] b, int off, int n) {
        double[] z = new double[n];
        for (int c = 0; c < n; c++) {
            z[c] = b[off + c];
        }
        if (x != null) {
            for (int i = 0; i < x.length; i++) {
                double xi = x[i];
                double[] row = w[i];
                for (int c = 0; c < n; c++) {
                    z[c] += xi * row[c];
                }
            }
        }
        if (h != null) {
            for (int i = 0; i < h.length; i++) {
                double hi = h[i];
                double[] row = rw[i];
                for (int c = 0; c < n; c++) {
                    z[c] += hi * row[c];
                }
            }
        }
        return z;
    }

    // ------------------------------------------------------------------ report 004's char-level cells

    /**
     * A {@code rnnlab.charrnn} network (report 004's RNN, LSTM or GRU cell) reading {@code name}
     * letter by letter: hidden state (units × letters) and the class probabilities after each letter
     * (what the network would answer had the name ended there). Recomputed from
     * {@code model.stateDict()}; each letter's probabilities must equal {@code model.forward(prefix)}.
     *
     * @throws IllegalArgumentException for an empty name or a letter outside the model's alphabet
     * @throws IllegalStateException    if the recomputation disagrees with the model by more than {@link #TOLERANCE}
     */
    public static StepThrough of(NameClassifier classifier, String name) {
        if (classifier == null) {
            throw new IllegalArgumentException("classifier must not be null");
        }
        int[] letters = classifier.encode(name); // checks the name
        CharRnnModel m = classifier.model();
        Map<String, Tensor> sd = m.stateDict();
        int t = letters.length;
        int h = m.hidden();
        int k = m.nCategories();
        double[][] hs = new double[t][];
        double[][] logp = new double[t][];
        Map<String, double[][]> g = new LinkedHashMap<>();
        double[][] cs = null;
        double[] prev = new double[h];
        switch (m.cell()) {
            case RNN -> {
                for (int s = 0; s < t; s++) {
                    logp[s] = logSoftmax(linear(sd, "i2o", letters[s], prev));   // output = i2o(cat(x_t, h_{t-1}))
                    hs[s] = linear(sd, "i2h", letters[s], prev);                  // hidden = i2h(cat(x_t, h_{t-1}))
                    prev = hs[s];
                }
            }
            case LSTM -> {
                double[][] fs = new double[t][];
                double[][] is = new double[t][];
                double[][] os = new double[t][];
                cs = new double[t][h];
                double[] c = new double[h];
                for (int s = 0; s < t; s++) {
                    fs[s] = map(linear(sd, "i2f", letters[s], prev), StepThrough::sigmoid);
                    is[s] = map(linear(sd, "i2i", letters[s], prev), StepThrough::sigmoid);
                    os[s] = map(linear(sd, "i2o", letters[s], prev), StepThrough::sigmoid);
                    double[] cand = map(linear(sd, "i2c", letters[s], prev), Math::tanh);
                    hs[s] = new double[h];
                    for (int j = 0; j < h; j++) {
                        c[j] = fs[s][j] * c[j] + is[s][j] * cand[j];
                        cs[s][j] = c[j];
                        hs[s][j] = os[s][j] * Math.tanh(c[j]);
                    }
                    logp[s] = logSoftmax(linear(sd, "out", -1, hs[s]));
                    prev = hs[s];
                }
                g.put("input gate i2i", is);
                g.put("forget gate i2f", fs);
                g.put("output gate i2o", os);
            }
            case GRU -> {
                double[][] zs = new double[t][];
                double[][] rs = new double[t][];
                for (int s = 0; s < t; s++) {
                    zs[s] = map(linear(sd, "i2z", letters[s], prev), StepThrough::sigmoid);
                    rs[s] = map(linear(sd, "i2r", letters[s], prev), StepThrough::sigmoid);
                    double[] rh = new double[h];
                    for (int j = 0; j < h; j++) {
                        rh[j] = rs[s][j] * prev[j];
                    }
                    double[] n = map(linear(sd, "i2n", letters[s], rh), Math::tanh);
                    hs[s] = new double[h];
                    for (int j = 0; j < h; j++) {
                        hs[s][j] = (1 - zs[s][j]) * n[j] + zs[s][j] * prev[j];
                    }
                    logp[s] = logSoftmax(linear(sd, "out", -1, hs[s]));
                    prev = hs[s];
                }
                g.put("update gate i2z", zs);
                g.put("reset gate i2r", rs);
            }
            default -> throw new IllegalArgumentException("unknown cell " + m.cell());
        }
        double[][] probs = new double[t][k];
        for (int s = 0; s < t; s++) {
            double[] direct = toDouble(m.forward(Arrays.copyOf(letters, s + 1)));
            double d = maxAbsDiff(logp[s], direct);
            if (d > TOLERANCE) {
                throw new IllegalStateException("StepThrough's log-probabilities after letter " + (s + 1) + " of \"" + name
                        + "\" differ from the model's forward pass by " + d + "; please report this");
            }
            for (int c = 0; c < k; c++) {
                probs[s][c] = Math.exp(logp[s][c]);
            }
        }
        String[] toks = new String[t];
        for (int s = 0; s < t; s++) {
            toks[s] = String.valueOf(name.charAt(s));
        }
        String cellName = m.cell() + "(" + h + ")";
        String title = String.format(Locale.ROOT, "%s reading \"%s\": class probabilities after each letter, hidden state%s",
                cellName, name, g.isEmpty() ? "" : ", gates");
        return new StepThrough(title, cellName, toks, letters.clone(), new boolean[t], hs, probs, classifier.categories(), g,
                cs, true);
    }

    /** torch {@code Linear(name)} applied to {@code cat(one-hot letter, v)} (letter -1: to {@code v} alone). */
    private static double[] linear(Map<String, Tensor> sd, String name, int letter, double[] v) {
        Tensor w = sd.get(name + ".weight");
        Tensor b = sd.get(name + ".bias");
        if (w == null || b == null) {
            throw new IllegalStateException("state_dict has no " + name + ".weight / .bias: " + sd.keySet());
        }
        int out = w.shape()[0];
        int in = w.shape()[1];
        int off = letter < 0 ? 0 : in - v.length;
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double s = b.data()[o];
            if (letter >= 0) {
                s += w.get(o, letter);
            }
            for (int j = 0; j < v.length; j++) {
                s += w.get(o, off + j) * v[j];
            }
            y[o] = s;
        }
        return y;
    }

    // ------------------------------------------------------------------ the numbers

    /** Number of time steps. */
    public int steps() {
        return tokens.length;
    }

    /** The cell shown, e.g. {@code LSTM(32)}. */
    public String cell() {
        return cell;
    }

    /** The token shown at each step (word, letter, or {@code <pad>}). */
    public List<String> tokens() {
        return List.of(tokens);
    }

    /** Whether each step reads padding (token id 0). */
    public boolean[] padding() {
        return padding.clone();
    }

    /** The recurrent state after each step, {@code [steps][units]} (the heatmap, transposed). */
    public double[][] states() {
        return deepCopy(states);
    }

    /** The LSTM cell state after each step, {@code [steps][units]}, or {@code null} for other cells. */
    public double[][] cellStates() {
        return cellStates == null ? null : deepCopy(cellStates);
    }

    /** The running prediction after each step, {@code [steps][outputs]} (probabilities). */
    public double[][] predictions() {
        return deepCopy(predictions);
    }

    /** The output names (e.g. {@code prediction}, or the 18 languages). */
    public List<String> outputNames() {
        return outputNames;
    }

    /** Each gate's activation after each step, {@code name → [steps][units]}; empty for SimpleRNN and the tutorial RNN. */
    public Map<String, double[][]> gates() {
        Map<String, double[][]> m = new LinkedHashMap<>();
        gates.forEach((k, v) -> m.put(k, deepCopy(v)));
        return m;
    }

    /**
     * One row per step: {@code step, id, token, padding}, one column per output ({@code p(...)}),
     * the mean of each gate over the units, and the mean |state|.
     */
    public Table table() {
        int t = tokens.length;
        Table tab = Table.create(title);
        tab.addColumns(IntColumn.create("step", java.util.stream.IntStream.range(0, t).toArray()),
                IntColumn.create("id", ids), StringColumn.create("token", tokens),
                BooleanColumn.create("padding", padding));
        for (int k = 0; k < outputNames.size(); k++) {
            double[] col = new double[t];
            for (int s = 0; s < t; s++) {
                col[s] = predictions[s][k];
            }
            tab.addColumns(DoubleColumn.create("p(" + outputNames.get(k) + ")", col));
        }
        gates.forEach((name, v) -> tab.addColumns(DoubleColumn.create(name + " mean", rowMeans(v))));
        double[] abs = new double[t];
        for (int s = 0; s < t; s++) {
            abs[s] = Arrays.stream(states[s]).map(Math::abs).average().orElse(0);
        }
        tab.addColumns(DoubleColumn.create("mean |state|", abs));
        return tab;
    }

    // ------------------------------------------------------------------ the figure

    /** The figure: running prediction (line or probability heatmap), state heatmap, gate means; padding shaded. */
    public synchronized Figure figure() {
        if (figure == null) {
            figure = buildFigure();
        }
        return figure;
    }

    private Figure buildFigure() {
        int t = tokens.length;
        boolean hasGates = !gates.isEmpty();
        int units = states[0].length;
        ArrayNode data = PlotlySpec.array();
        ArrayNode steps = PlotlySpec.array();
        ArrayNode hover = PlotlySpec.array();
        for (int s = 0; s < t; s++) {
            steps.add(s);
            hover.add("step " + s + ": " + tokens[s] + (padding[s] ? " (padding)" : ""));
        }
        // row 1: the running prediction
        if (probabilityHeatmap) {
            ObjectNode hm = data.addObject().put("type", "heatmap").put("xaxis", "x").put("yaxis", "y")
                    .put("zmin", 0).put("zmax", 1).put("name", "p(class)");
            hm.putArray("colorscale").add(PlotlySpec.array().add(0).add("#f7fbff")).add(PlotlySpec.array().add(0.5).add("#6baed6"))
                    .add(PlotlySpec.array().add(1).add("#08306b"));   // matplotlib's Blues: white → dark blue
            hm.set("x", steps.deepCopy());
            ArrayNode y = hm.putArray("y");
            outputNames.forEach(y::add);
            ArrayNode z = hm.putArray("z");
            for (int k = 0; k < outputNames.size(); k++) {
                ArrayNode row = z.addArray();
                for (int s = 0; s < t; s++) {
                    row.add(round(predictions[s][k]));
                }
            }
            hm.putObject("colorbar").put("title", "p").put("len", hasGates ? 0.3 : 0.45).put("y", hasGates ? 0.84 : 0.78);
            hm.put("hovertemplate", "after '%{x}'<br>%{y}: %{z:.3f}<extra></extra>");
        } else {
            for (int k = 0; k < outputNames.size(); k++) {
                ObjectNode line = data.addObject().put("type", "scatter").put("mode", "lines+markers")
                        .put("name", outputNames.size() == 1 ? "running prediction" : outputNames.get(k))
                        .put("xaxis", "x").put("yaxis", "y");
                line.set("x", steps.deepCopy());
                ArrayNode y = line.putArray("y");
                for (int s = 0; s < t; s++) {
                    y.add(round(predictions[s][k]));
                }
                line.set("text", hover.deepCopy());
                line.put("hovertemplate", "%{text}<br>prediction %{y:.3f}<extra></extra>");
                line.putObject("marker").put("size", t > 100 ? 2 : 5).put("color", Figures.COLORS.get(k % Figures.COLORS.size()));
                line.putObject("line").put("color", Figures.COLORS.get(k % Figures.COLORS.size()));
            }
        }
        // row 2: the state heatmap, units × time
        ObjectNode hm = data.addObject().put("type", "heatmap").put("xaxis", "x").put("yaxis", "y2")
                .put("colorscale", "RdBu").put("reversescale", true).put("zmid", 0).put("name", "state");
        hm.set("x", steps.deepCopy());
        ArrayNode z = hm.putArray("z");
        for (int u = 0; u < units; u++) {
            ArrayNode row = z.addArray();
            for (int s = 0; s < t; s++) {
                row.add(round(states[s][u]));
            }
        }
        hm.putObject("colorbar").put("title", "h").put("len", hasGates ? 0.3 : 0.45).put("y", hasGates ? 0.5 : 0.22);
        hm.put("hovertemplate", "step %{x}<br>unit %{y}: %{z:.3f}<extra></extra>");
        // row 3: gate means
        int c = 2;
        for (var e : gates.entrySet()) {
            ObjectNode line = data.addObject().put("type", "scatter").put("mode", "lines").put("name", e.getKey() + " (mean)")
                    .put("xaxis", "x").put("yaxis", "y3");
            line.set("x", steps.deepCopy());
            ArrayNode y = line.putArray("y");
            for (double v : rowMeans(e.getValue())) {
                y.add(round(v));
            }
            line.putObject("line").put("color", Figures.COLORS.get(c++ % Figures.COLORS.size()));
        }
        ObjectNode layout = PlotlySpec.object();
        layout.putObject("title").put("text", title).put("x", 0.5).put("xanchor", "center").putObject("font").put("size", 14);
        layout.put("plot_bgcolor", "#ffffff").put("showlegend", true);
        layout.putObject("legend").put("orientation", "h").put("x", 0).put("y", t <= 30 ? -0.06 : -0.14).put("yanchor", "top");
        layout.putObject("margin").put("l", probabilityHeatmap ? 110 : 70).put("r", 30).put("t", 60).put("b", t <= 30 ? 60 : 110);
        ObjectNode xaxis = layout.putObject("xaxis").put("anchor", hasGates ? "y3" : "y2").put("range", "").put("zeroline", false);
        xaxis.remove("range");
        xaxis.putArray("range").add(-0.5).add(t - 0.5);
        ArrayNode tickvals = xaxis.putArray("tickvals");
        ArrayNode ticktext = xaxis.putArray("ticktext");
        int every = Math.max(1, (int) Math.ceil(t / 60.0));
        for (int s = 0; s < t; s++) {
            boolean show = t <= 60 || (!padding[s] && s % every == 0) || (padding[s] && (s == 0 || !padding[s - 1]));
            if (show) {
                tickvals.add(s);
                ticktext.add(tokens[s].length() > 12 ? tokens[s].substring(0, 11) + "…" : tokens[s]);
            }
        }
        xaxis.put("tickangle", t <= 30 ? 0 : -60).putObject("tickfont").put("size", t <= 30 ? 13 : 10);
        double[] d1 = hasGates ? new double[] {0.70, 1.0} : new double[] {0.56, 1.0};
        double[] d2 = hasGates ? new double[] {0.36, 0.64} : new double[] {0.0, 0.46};
        ObjectNode y1 = layout.putObject("yaxis").put("title", probabilityHeatmap ? "" : "prediction");
        y1.putArray("domain").add(d1[0]).add(d1[1]);
        if (!probabilityHeatmap) {
            y1.putArray("range").add(-0.02).add(1.02);
        } else {
            y1.put("tickmode", "array");   // every class name, not Plotly's every other
            ArrayNode names = y1.putArray("tickvals");
            outputNames.forEach(names::add);
            y1.putObject("tickfont").put("size", 11);
        }
        ObjectNode y2 = layout.putObject("yaxis2").put("title", "unit").put("autorange", "reversed");
        y2.putArray("domain").add(d2[0]).add(d2[1]);
        if (hasGates) {
            ObjectNode y3 = layout.putObject("yaxis3").put("title", "gate mean");
            y3.putArray("domain").add(0.0).add(0.30);
            y3.putArray("range").add(0).add(1);
        }
        // padding shaded over all rows
        ArrayNode shapes = layout.putArray("shapes");
        ArrayNode notes = layout.putArray("annotations");
        for (int s = 0; s < t; ) {
            if (!padding[s]) {
                s++;
                continue;
            }
            int e = s;
            while (e < t && padding[e]) {
                e++;
            }
            shapes.addObject().put("type", "rect").put("xref", "x").put("yref", "paper").put("x0", s - 0.5).put("x1", e - 0.5)
                    .put("y0", 0).put("y1", 1).put("fillcolor", "#bbbbbb").put("opacity", 0.3).put("layer", "above")
                    .putObject("line").put("width", 0);
            notes.addObject().put("xref", "x").put("yref", "paper").put("x", (s + e - 1) / 2.0).put("y", 1.0)
                    .put("yanchor", "bottom").put("showarrow", false).put("text", "padding (" + (e - s) + " steps)")
                    .putObject("font").put("color", "#555");
            s = e;
        }
        int width = Math.max(760, Math.min(1200, 260 + 14 * t));   // fits a notebook column; long reviews get thinner cells
        int height = hasGates ? 820 : 640;
        if (probabilityHeatmap) {
            height += 140;
        }
        return PlotlySpec.figure(title, width, height, data, layout);
    }

    /** The figure's bundle (PNG and interactive HTML) with this view's text summary as {@code text/plain}. */
    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> b = new LinkedHashMap<>(figure().mimeBundle());
        b.put("text/plain", toString());
        return b;
    }

    /** A short text summary: cell, steps, padding, the final prediction. */
    @Override
    public String toString() {
        int t = tokens.length;
        int pads = 0;
        for (boolean p : padding) {
            pads += p ? 1 : 0;
        }
        StringBuilder sb = new StringBuilder("StepThrough[").append(cell).append(", ").append(t).append(" steps");
        if (pads > 0) {
            sb.append(" (").append(pads).append(" padding)");
        }
        double[] last = predictions[t - 1];
        int best = 0;
        for (int k = 1; k < last.length; k++) {
            best = last[k] > last[best] ? k : best;
        }
        sb.append(String.format(Locale.ROOT, ", final %s = %.4f", outputNames.size() == 1 ? "prediction" : outputNames.get(best),
                last[best]));
        return sb.append(']').toString();
    }

    // ------------------------------------------------------------------ helpers

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double[] map(double[] v, java.util.function.DoubleUnaryOperator f) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = f.applyAsDouble(v[i]);
        }
        return o;
    }

    private static double[] logSoftmax(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - m);
        }
        double lse = m + Math.log(s);
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] - lse;
        }
        return o;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double maxAbsDiff(double[] a, double[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double[] rowMeans(double[][] v) {
        double[] o = new double[v.length];
        for (int s = 0; s < v.length; s++) {
            o[s] = Arrays.stream(v[s]).average().orElse(0);
        }
        return o;
    }

    private static double[][] deepCopy(double[][] v) {
        double[][] o = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i].clone();
        }
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 1e5) / 1e5;
    }
}
