package rnnlab.charrnn;

import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * What the tutorial's training loop records: {@code all_losses} (the average loss over each block of
 * {@code plotEvery} iterations) and, as report 004 adds, validation accuracy every
 * {@code validateEvery} iterations; plus the wall-clock time.
 *
 * @param cell                 which network was trained
 * @param iterations           iterations actually run (fewer than asked if the thread was interrupted)
 * @param plotEvery            iterations per averaged loss
 * @param losses               {@code all_losses}: one average per completed block of {@code plotEvery}
 * @param validationIterations iterations at which validation accuracy was measured
 * @param validationAccuracy   accuracy on the held-out set at those iterations
 * @param seconds              wall-clock seconds of the loop (validation included)
 * @param trainSeconds         seconds spent in training iterations only (validation excluded)
 */
public record TrainingHistory(CharRnnModel.Cell cell, int iterations, int plotEvery, List<Double> losses,
                              List<Integer> validationIterations, List<Double> validationAccuracy,
                              double seconds, double trainSeconds) {

    /** Defensive copies. */
    public TrainingHistory {
        losses = List.copyOf(losses);
        validationIterations = List.copyOf(validationIterations);
        validationAccuracy = List.copyOf(validationAccuracy);
    }

    /** Milliseconds per training iteration (forward + backward + SGD step, validation excluded). */
    public double msPerIteration() {
        return iterations == 0 ? Double.NaN : 1000.0 * trainSeconds / iterations;
    }

    /** The last validation accuracy, or NaN if none was measured. */
    public double finalValidationAccuracy() {
        return validationAccuracy.isEmpty() ? Double.NaN : validationAccuracy.get(validationAccuracy.size() - 1);
    }

    /** {@code all_losses} as a table (iteration at the end of each block, loss) for plotting. */
    public Table lossTable() {
        int[] it = new int[losses.size()];
        double[] l = new double[losses.size()];
        for (int i = 0; i < it.length; i++) {
            it[i] = (i + 1) * plotEvery;
            l[i] = losses.get(i);
        }
        return Table.create(cell + " loss", IntColumn.create("iteration", it), DoubleColumn.create("loss", l));
    }

    /** Validation accuracy as a table (iteration, accuracy) for plotting. */
    public Table validationTable() {
        int[] it = validationIterations.stream().mapToInt(Integer::intValue).toArray();
        double[] a = validationAccuracy.stream().mapToDouble(Double::doubleValue).toArray();
        return Table.create(cell + " validation accuracy", IntColumn.create("iteration", it),
                DoubleColumn.create("accuracy", a));
    }
}
