package rnnlab.train;

import java.util.Arrays;

import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What kind of classifier a network is, read from its output layer: binary (one output, read as the
 * probability of class 1 — a sigmoid) or categorical with C outputs (softmax); {@code sparse} when its
 * loss is {@code sparse_categorical_crossentropy} (ND4J's {@code LossSparseMCXENT}), which trains on
 * integer class ids [N, 1] instead of one-hot rows, as Keras's does. Converts and checks labels for it.
 */
record Task(boolean binary, int numClasses, DataType dataType, boolean sparse) {

    static Task of(MultiLayerNetwork net) {
        if (net == null) {
            throw new IllegalArgumentException("net is null");
        }
        if (net.getnLayers() == 0 || !(net.getOutputLayer() instanceof IOutputLayer)) {
            throw new IllegalArgumentException("net: the last layer must be an output layer with a loss "
                    + "(OutputLayer, LossLayer or RnnOutputLayer); got "
                    + (net.getnLayers() == 0 ? "no layers" : net.getOutputLayer().getClass().getSimpleName()));
        }
        long nOut;
        if (net.getOutputLayer().conf().getLayer() instanceof FeedForwardLayer ff && ff.getNOut() > 0) {
            nOut = ff.getNOut();
        } else {
            nOut = net.layerSize(net.getnLayers() - 1);
            if (nOut <= 0 && net.getnLayers() > 1) {
                nOut = net.layerSize(net.getnLayers() - 2);
            }
        }
        if (nOut < 1) {
            throw new IllegalArgumentException("net: cannot tell the number of outputs of the last layer");
        }
        boolean sparse = net.getOutputLayer().conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BaseOutputLayer out
                && out.getLossFn() instanceof org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
        if (sparse && nOut == 1) {
            throw new IllegalArgumentException("net: its output layer uses sparse_categorical_crossentropy but has a "
                    + "single output, so every label would be class 0; give it one softmax output per class (>= 2), "
                    + "or use one sigmoid output with binary_crossentropy for two classes");
        }
        DataType dt = net.getLayerWiseConfigurations().getDataType();
        return new Task(nOut == 1, (int) Math.max(2, nOut), dt == null ? DataType.FLOAT : dt, sparse);
    }

    /** The output width: 1 for binary, C otherwise. */
    int outputs() {
        return binary ? 1 : numClasses;
    }

    /**
     * Turns {@code y} into the label matrix the network trains on, checking it:
     * binary: {@code [N]} or {@code [N,1]} of 0/1 → {@code [N,1]};
     * categorical: {@code [N,C]} one-hot (or class probabilities), or {@code [N]} / {@code [N,1]} of
     * class ids in [0, C) → one-hot {@code [N,C]};
     * sparse ({@code sparse_categorical_crossentropy}): {@code [N]} / {@code [N,1]} of integer class
     * ids in [0, C) → {@code [N,1]} class ids (one-hot labels are refused, as Keras's loss refuses them).
     */
    INDArray labels(String name, INDArray y, long n) {
        if (y == null) {
            throw new IllegalArgumentException(name + " is null");
        }
        if (y.rank() > 2) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(y.shape())
                    + "; Trainer takes one label per sample: [N] or [N,1] (0/1 or class ids) or [N,C] one-hot");
        }
        long rows = y.rank() == 0 ? 1 : y.size(0);
        if (rows != n) {
            throw new IllegalArgumentException(name + " has " + rows + " labels but the inputs have " + n
                    + " samples; the first dimension of x and " + name + " must agree");
        }
        boolean ids = y.rank() == 1 || y.size(1) == 1;
        if (binary) {
            if (!ids) {
                throw new IllegalArgumentException(name + " has shape " + Arrays.toString(y.shape())
                        + " but the network has a single (sigmoid) output: give binary labels as [N] or [N,1] of 0 and 1");
            }
            double[] v = y.reshape(n).toDoubleVector();
            for (int i = 0; i < v.length; i++) {
                if (v[i] != 0.0 && v[i] != 1.0) {
                    throw new IllegalArgumentException(name + "[" + i + "] = " + v[i]
                            + " is outside the classes {0, 1} of this binary (one sigmoid output) network");
                }
            }
            return y.reshape(n, 1).castTo(dataType);
        }
        if (sparse && !ids) {
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(y.shape()) + " but the network's "
                    + "loss is sparse_categorical_crossentropy, which takes integer class ids: give " + name + " as [N] "
                    + "or [N,1] (int[], long[] or an INDArray) with values in [0, " + numClasses + "); one-hot labels "
                    + "go with categorical_crossentropy");
        }
        if (ids) {
            double[] v = y.reshape(n).toDoubleVector();
            for (int i = 0; i < v.length; i++) {
                if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] >= numClasses) {
                    throw new IllegalArgumentException(name + "[" + i + "] = " + v[i]
                            + (v[i] != Math.rint(v[i]) ? " is not an integer class id" : " is outside the classes 0.."
                                    + (numClasses - 1) + " of this network (" + numClasses + " outputs)")
                            + "; class ids must be integers in [0, " + numClasses + ")");
                }
            }
            if (sparse) {
                return Nd4j.createFromArray(v).castTo(dataType).reshape(n, 1);
            }
            INDArray oneHot = Nd4j.zeros(dataType, n, numClasses);
            for (int i = 0; i < v.length; i++) {
                oneHot.putScalar(i, (int) v[i], 1.0);
            }
            return oneHot;
        }
        if (y.size(1) != numClasses) {
            throw new IllegalArgumentException(name + " has " + y.size(1) + " columns but the network has "
                    + numClasses + " outputs; give one-hot labels [N," + numClasses + "] or class ids [N]");
        }
        INDArray yy = y.castTo(dataType);
        double min = yy.minNumber().doubleValue();
        double max = yy.maxNumber().doubleValue();
        if (min < 0 || max > 1) {
            throw new IllegalArgumentException(name + " holds values outside [0, 1] (min " + min + ", max " + max
                    + "); one-hot labels must be 0/1 with one 1 per row");
        }
        double[] sums = yy.sum(1).toDoubleVector();
        for (int i = 0; i < sums.length; i++) {
            if (Math.abs(sums[i] - 1) > 1e-3) {
                throw new IllegalArgumentException(name + " row " + i + " sums to " + sums[i]
                        + "; one-hot labels need exactly one 1 per row (or class probabilities summing to 1)");
            }
        }
        return yy;
    }
}
