package rnnlab.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Keras's {@code model.fit / evaluate / predict} for a DL4J {@link MultiLayerNetwork} whose updater
 * (RMSprop, Adam, SGD, ...) and loss are already configured; {@code rnnlab.nn.Model} calls these for
 * its network (Keras's {@code Model} extends its {@code Trainer}).
 *
 * <p>{@link #fit} follows Keras's semantics: {@code validationSplit} holds out the LAST fraction of the
 * samples before any shuffling; the training samples are reshuffled before every epoch with the seed;
 * the reported {@code loss} is the sample-weighted mean of the batch losses of the epoch (each computed
 * before that batch's update, regularisation included), {@code accuracy} is counted on the same
 * training-mode forward passes, and {@code val_loss} / {@code val_accuracy} are computed after the
 * epoch on the whole validation set in inference mode. Binary networks (one sigmoid output) also get
 * {@code precision, recall, f1} with threshold 0.5. The epoch/batch loop is {@link Training}'s; the
 * History, the progress bar, the interrupt check, early stopping, checkpoints and the user's hooks are
 * {@link Callback}s.
 *
 * <p>Labels: for one output, {@code y} is {@code [N]} or {@code [N,1]} of 0/1 (or an {@code int[]});
 * for C outputs either one-hot {@code [N,C]} or class ids {@code [N]} / {@code [N,1]} /
 * {@code int[]} / {@code long[]} in [0, C), turned into one-hot here. A network whose loss is
 * {@code sparse_categorical_crossentropy} ({@code Loss.SPARSE_CATEGORICAL_CROSSENTROPY}) trains on
 * the class ids themselves, as Keras's does: only {@code [N]} / {@code [N,1]} integer labels in
 * [0, C) are accepted, and {@code accuracy} is Keras's sparse categorical accuracy (argmax = id).
 *
 * <p>Stopping: early stopping ({@link EarlyStopping}); a NaN or infinite batch loss throws
 * {@link TrainingDivergedException} naming the epoch and batch, after putting back the weights and
 * optimizer state of the last completed epoch (or of the start of the fit); NaN or infinite values
 * in {@code x}, {@code y} or the validation data are refused before training, naming the position; a stop request
 * ({@link rnnlab.lab.Interrupt}: Jupyter's stop button in the rnnlab kernel, or an interrupt of the
 * calling thread) stops at the next batch boundary and returns the History of the completed epochs,
 * with {@link History#interrupted()} set (a thread's interrupt status is set again before returning).
 * Because the kernel skips the rest of an interrupted cell, {@code Model.fit} also keeps the History
 * as {@code model.history()} (Keras's {@code model.history}); a caller of this class can pass its own
 * {@link History.Recorder} to read it.
 */
public final class Trainer {

    /** Keras's default batch size for evaluate and predict (also {@code Model}'s). */
    public static final int DEFAULT_BATCH_SIZE = 32;

    private Trainer() {
    }

    /** {@link #fit(MultiLayerNetwork, INDArray, INDArray, FitOptions)} with int labels (0/1 or class ids). */
    public static History fit(MultiLayerNetwork net, INDArray x, int[] y, FitOptions options) {
        return fit(net, x, y, options, null, null);
    }

    /** {@link #fit(MultiLayerNetwork, INDArray, INDArray, FitOptions, ModelCheckpoint.Writer, History.Recorder)} with int labels. */
    public static History fit(MultiLayerNetwork net, INDArray x, int[] y, FitOptions options, ModelCheckpoint.Writer writer,
                              History.Recorder history) {
        if (y == null) {
            throw new IllegalArgumentException("y is null");
        }
        return fit(net, x, Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(y.length, 1), options, writer, history);
    }

    /** {@link #fit(MultiLayerNetwork, INDArray, INDArray, FitOptions)} with long labels (class ids, or 0/1). */
    public static History fit(MultiLayerNetwork net, INDArray x, long[] y, FitOptions options) {
        return fit(net, x, y, options, null, null);
    }

    /** {@link #fit(MultiLayerNetwork, INDArray, INDArray, FitOptions, ModelCheckpoint.Writer, History.Recorder)} with long labels. */
    public static History fit(MultiLayerNetwork net, INDArray x, long[] y, FitOptions options, ModelCheckpoint.Writer writer,
                              History.Recorder history) {
        return fit(net, x, idColumn("y", y), options, writer, history);
    }

    /**
     * Trains {@code net} on {@code x} (first dimension = samples) and labels {@code y}; see the class
     * comment for the semantics.
     *
     * @return the per-epoch metrics
     * @throws IllegalArgumentException   naming the argument: null or empty data, x/y length mismatch,
     *                                    labels outside the classes, a monitor the run does not produce,
     *                                    a validation split that leaves no samples, inputs the network
     *                                    rejects
     * @throws TrainingDivergedException if a batch loss is NaN or infinite
     */
    public static History fit(MultiLayerNetwork net, INDArray x, INDArray y, FitOptions options) {
        return fit(net, x, y, options, null, null);
    }

    /**
     * {@link #fit(MultiLayerNetwork, INDArray, INDArray, FitOptions)} writing checkpoint files with
     * {@code writer} ({@code null}: DL4J's {@code ModelSerializer} zip) and recording into
     * {@code history} ({@code null}: a new {@link History.Recorder}), which keeps the completed epochs
     * if the fit throws: what {@code Model.fit} calls.
     */
    public static History fit(MultiLayerNetwork net, INDArray x, INDArray y, FitOptions options, ModelCheckpoint.Writer writer,
                              History.Recorder history) {
        if (options == null) {
            throw new IllegalArgumentException("options is null; use FitOptions.defaults() or FitOptions.builder()...build()");
        }
        Task task = Task.of(net);
        long n = checkInputs("x", x);
        checkFinite("x", x);
        checkFinite("y", y);
        INDArray labels = task.labels("y", y, n);
        INDArray xTrain = x;
        INDArray yTrain = labels;
        INDArray xVal = null;
        INDArray yVal = null;
        if (options.validationSplit() > 0) {
            long splitAt = (long) Math.floor(n * (1.0 - options.validationSplit()));
            if (splitAt == 0 || splitAt == n) {
                throw new IllegalArgumentException("the training data has " + n + " samples, not enough to split into a training "
                        + "and a validation set with validationSplit=" + options.validationSplit()
                        + "; give more data or another validationSplit");
            }
            xTrain = rowRange(x, 0, splitAt);
            yTrain = rowRange(labels, 0, splitAt);
            xVal = rowRange(x, splitAt, n);
            yVal = rowRange(labels, splitAt, n);
        } else if (options.validationX() != null) {
            long nv = checkInputs("validationX", options.validationX());
            checkFinite("validationX", options.validationX());
            checkFinite("validationY", options.validationY());
            xVal = options.validationX();
            yVal = task.labels("validationY", options.validationY(), nv);
            checkSameSampleShape(x, xVal);
        }
        long seed = options.seed() != null ? options.seed() : ThreadLocalRandom.current().nextLong();
        return new Training(net, task, options, x, xTrain, yTrain, xVal, yVal, metricNames(task, xVal != null), seed,
                writer, history).run();
    }

    /** Keras's {@code model.evaluate(x, y)} with batch 32: loss and metrics over all samples. */
    public static Scores evaluate(MultiLayerNetwork net, INDArray x, INDArray y) {
        return evaluate(net, x, y, DEFAULT_BATCH_SIZE);
    }

    /** {@link #evaluate(MultiLayerNetwork, INDArray, INDArray)} with int labels. */
    public static Scores evaluate(MultiLayerNetwork net, INDArray x, int[] y) {
        if (y == null) {
            throw new IllegalArgumentException("y is null");
        }
        return evaluate(net, x, Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(y.length, 1), DEFAULT_BATCH_SIZE);
    }

    /** {@link #evaluate(MultiLayerNetwork, INDArray, INDArray)} with long labels. */
    public static Scores evaluate(MultiLayerNetwork net, INDArray x, long[] y) {
        return evaluate(net, x, idColumn("y", y), DEFAULT_BATCH_SIZE);
    }

    /** {@link #evaluate(MultiLayerNetwork, INDArray, INDArray, int)} with int labels. */
    public static Scores evaluate(MultiLayerNetwork net, INDArray x, int[] y, int batchSize) {
        if (y == null) {
            throw new IllegalArgumentException("y is null");
        }
        return evaluate(net, x, Nd4j.createFromArray(y).castTo(DataType.FLOAT).reshape(y.length, 1), batchSize);
    }

    /**
     * Keras's {@code model.evaluate(x, y, batch_size)}: the loss is the network's loss (regularisation
     * included) averaged over all samples, the metrics are counted over all samples, in inference mode.
     */
    public static Scores evaluate(MultiLayerNetwork net, INDArray x, INDArray y, int batchSize) {
        Task task = Task.of(net);
        long n = checkInputs("x", x);
        checkBatch(batchSize);
        INDArray labels = task.labels("y", y, n);
        MetricAccumulator acc = score(net, x, labels, batchSize, task, null);
        return new Scores(acc.logs(""));
    }

    /** Keras's {@code model.predict(x)} with batch 32: the network's outputs, {@code [N, outputs]}. */
    public static INDArray predict(MultiLayerNetwork net, INDArray x) {
        return predict(net, x, DEFAULT_BATCH_SIZE);
    }

    /**
     * Keras's {@code model.predict(x, batch_size)}: inference-mode outputs computed batch by batch
     * ({@link #output}), {@code x} cast to the network's data type first. Needs no loss, so it also
     * serves models built without {@code compile}.
     */
    public static INDArray predict(MultiLayerNetwork net, INDArray x, int batchSize) {
        if (net == null) {
            throw new IllegalArgumentException("net is null");
        }
        checkInputs("x", x);
        checkBatch(batchSize);
        DataType type = net.getLayerWiseConfigurations().getDataType();
        return output(net, type == null || x.dataType() == type ? x : x.castTo(type), batchSize);
    }

    /**
     * Inference-mode outputs of {@code net} for {@code x}, {@code batchSize} rows at a time, joined
     * along the first dimension: the loop behind Keras's {@code predict}. A batch the network rejects
     * or that runs out of memory is reported with its shape and what to change.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1}, {@code x} is empty, or the network
     *                                  rejects the first batch
     */
    public static INDArray output(MultiLayerNetwork net, INDArray x, int batchSize) {
        checkBatch(batchSize);
        if (x == null || x.rank() == 0 || x.size(0) == 0) {
            throw new IllegalArgumentException("x is " + (x == null ? "null" : "empty") + "; give at least one sample");
        }
        long n = x.size(0);
        List<INDArray> parts = new ArrayList<>();
        for (long from = 0; from < n; from += batchSize) {
            long to = Math.min(n, from + batchSize);
            INDArray xb = from == 0 && to == n ? x : rowRange(x, from, to);
            try {
                parts.add(net.output(xb, false));
            } catch (RuntimeException | OutOfMemoryError e) {
                for (Throwable c = e; c != null; c = c.getCause()) {
                    if (c instanceof OutOfMemoryError) {
                        throw new IllegalStateException("predict ran out of memory on a batch of shape "
                                + Arrays.toString(xb.shape()) + " (" + c.getMessage() + "); pass a smaller batch_size, "
                                + "e.g. predict(x, 32), or give the kernel more memory (RNNLAB_KERNEL_HEAP / RNNLAB_KERNEL_OFFHEAP)", e);
                    }
                }
                if (from == 0) {
                    throw new IllegalArgumentException("x: the network rejected a batch of shape "
                            + Arrays.toString(xb.shape()) + ": " + e.getMessage(), e);
                }
                throw e;
            }
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /**
     * Predicted classes: for one sigmoid output {@code p > 0.5 ? 1 : 0} (what
     * {@code (model.predict(x) > 0.5).astype("int32")} gives), otherwise the argmax.
     */
    public static int[] predictClasses(MultiLayerNetwork net, INDArray x) {
        return predictClasses(net, x, DEFAULT_BATCH_SIZE);
    }

    /** {@link #predictClasses(MultiLayerNetwork, INDArray)} with a batch size. */
    public static int[] predictClasses(MultiLayerNetwork net, INDArray x, int batchSize) {
        return classes(predict(net, x, batchSize));
    }

    /**
     * The classes of {@link #predict} outputs {@code [N, outputs]}: {@code p > 0.5 ? 1 : 0} for one
     * output (Keras's binary idiom), else the argmax over the outputs.
     */
    public static int[] classes(INDArray outputs) {
        if (outputs.rank() != 2) {
            throw new IllegalArgumentException("predictClasses needs a [batch, outputs] output, this model gives "
                    + Arrays.toString(outputs.shape()));
        }
        if (outputs.size(1) == 1) {
            double[] p = outputs.reshape(outputs.size(0)).toDoubleVector();
            int[] c = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                c[i] = p[i] > 0.5 ? 1 : 0;
            }
            return c;
        }
        return outputs.argMax(1).toIntVector();
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Loss and metrics of {@code net} on (x, labels) in inference mode, batch by batch: one forward
     * pass per batch gives the outputs, and the output layer's own {@code computeScore} gives the loss
     * from the same activations (as {@code MultiLayerNetwork.score(DataSet, false)} does). Returns
     * {@code null} if {@code stopBefore} (given the 1-based batch; {@code null}: never) says to stop.
     */
    static MetricAccumulator score(MultiLayerNetwork net, INDArray x, INDArray labels, int batchSize, Task task,
                                   IntPredicate stopBefore) {
        MetricAccumulator acc = new MetricAccumulator(task);
        long n = x.size(0);
        int last = net.getnLayers() - 1;
        InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(last);
        IOutputLayer outputLayer = (IOutputLayer) net.getOutputLayer();
        double regularization = net.calcRegularizationScore(true);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (long from = 0; from < n; from += batchSize) {
            if (stopBefore != null && stopBefore.test((int) (from / batchSize) + 1)) {
                return null;
            }
            long to = Math.min(n, from + batchSize);
            INDArray xb = rowRange(x, from, to);
            INDArray yb = rowRange(labels, from, to);
            List<INDArray> acts;
            try {
                acts = net.feedForward(xb, false);
            } catch (RuntimeException e) {
                if (from == 0) {
                    throw new IllegalArgumentException("x: the network rejected a batch of shape "
                            + Arrays.toString(xb.shape()) + ": " + e.getMessage(), e);
                }
                throw e;
            }
            INDArray out = acts.get(acts.size() - 1);
            INDArray in = acts.get(acts.size() - 2);
            if (pp != null) {
                in = pp.preProcess(in, (int) (to - from), mgr);
            }
            net.getOutputLayer().setInputMiniBatchSize((int) (to - from));
            net.getOutputLayer().setInput(in, mgr);
            outputLayer.setLabels(yb);
            double loss = outputLayer.computeScore(regularization, false, mgr);
            acc.addLoss(loss, to - from);
            acc.addOutputs(out, yb);
        }
        release(net);
        return acc;
    }

    /**
     * Drops the references to the last scored batch (inputs, labels, activations) and nothing else.
     * Not {@code MultiLayerNetwork.clear()}: that also discards the network's Solver, and with it the
     * updater and its state (Adam's moments, RMSprop's averages); the next {@code fit} then restarts
     * the optimiser from zero moments at the current iteration count, where Adam's bias correction no
     * longer compensates, so the first hundreds of steps after every validation pass were several
     * times too large (report 001's tanh RNN stalled at 90% on MNIST instead of reaching 96%).
     */
    private static void release(MultiLayerNetwork net) {
        net.clearLayersStates();
        net.setInput(null);
        net.setLabels(null);
    }

    /** {@code long[]} labels as an [N, 1] column; the values are checked against the network by {@link Task#labels}. */
    private static INDArray idColumn(String name, long[] y) {
        if (y == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        return Nd4j.createFromArray(y).castTo(DataType.DOUBLE).reshape(y.length, 1);
    }

    private static List<String> metricNames(Task task, boolean hasVal) {
        List<String> names = new ArrayList<>();
        for (String m : History.METRIC_ORDER) {
            boolean isVal = m.startsWith("val_");
            String base = isVal ? m.substring(4) : m;
            boolean binaryOnly = base.equals("precision") || base.equals("recall") || base.equals("f1");
            if ((!isVal || hasVal) && (!binaryOnly || task.binary())) {
                names.add(m);
            }
        }
        return names;
    }

    private static long checkInputs(String name, INDArray x) {
        if (x == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (x.rank() == 0 || x.size(0) == 0) {
            throw new IllegalArgumentException(name + " has no samples (shape " + Arrays.toString(x.shape()) + ")");
        }
        return x.size(0);
    }

    /**
     * Rejects NaN and infinite values in {@code a} before training (they would only show up later as
     * a NaN loss, with the wrong advice), naming the array and the first bad position.
     */
    static void checkFinite(String name, INDArray a) {
        if (a == null || a.length() == 0 || !a.dataType().isFPType() || Double.isFinite(a.sumNumber().doubleValue())) {
            return; // a finite sum means no NaN and no infinity (a huge finite sum is checked element by element)
        }
        double[] v = a.dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                long[] at = org.nd4j.linalg.api.shape.Shape.ind2subC(a.shape(), i);
                throw new IllegalArgumentException(name + " contains " + v[i] + " at " + Arrays.toString(at) + " (shape "
                        + Arrays.toString(a.shape()) + "): missing or invalid values in the data, not a training problem;"
                        + " find them with " + name + ".isNaN() / isInfinite() and replace or drop those samples before fit");
            }
        }
    }

    private static void checkSameSampleShape(INDArray x, INDArray xVal) {
        long[] a = Arrays.copyOfRange(x.shape(), 1, x.rank());
        long[] b = Arrays.copyOfRange(xVal.shape(), 1, xVal.rank());
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException("validationX has samples of shape " + Arrays.toString(b)
                    + " but x has samples of shape " + Arrays.toString(a) + "; they must match");
        }
    }

    private static void checkBatch(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size is " + batchSize + "; allowed: 1 or more (Keras's default is 32)");
        }
    }

    /** Rows {@code [from, to)} along the first dimension, as a contiguous copy. */
    static INDArray rowRange(INDArray a, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < idx.length; i++) {
            idx[i] = NDArrayIndex.all();
        }
        return a.get(idx).dup('c');
    }

    /** The rows {@code idx} along the first dimension (any rank), gathered into a new array. */
    static INDArray rows(INDArray a, int[] idx) {
        long[] shape = a.shape();
        long rowLen = a.length() / shape[0];
        INDArray flat = a.reshape('c', shape[0], rowLen);
        INDArray picked = Nd4j.pullRows(flat, 1, idx, 'c');
        long[] outShape = shape.clone();
        outShape[0] = idx.length;
        return picked.reshape('c', outShape);
    }

}
