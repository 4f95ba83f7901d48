package rnnlab.nn;

import java.nio.file.Path;

/**
 * Child-process main for {@link ModelSaveKillTest}: builds a model with a few million parameters
 * and saves it over {@code args[0]} in an endless loop, printing {@code saving N} before each save,
 * until the parent kills the process.
 */
public final class SaveLoop {

    private SaveLoop() {
    }

    public static void main(String[] args) {
        Path target = Path.of(args[0]);
        int units = Integer.parseInt(args[1]);
        Model m = Sequential.of(new Layer.Dense(units, "relu"), new Layer.Dense(units, "relu"), new Layer.Dense(1, "sigmoid"))
                .inputFeatures(units).seed(1).compile("adam", "binary_crossentropy");
        for (int i = 0; ; i++) {
            System.out.println("saving " + i);
            System.out.flush();
            m.save(target);
        }
    }
}
