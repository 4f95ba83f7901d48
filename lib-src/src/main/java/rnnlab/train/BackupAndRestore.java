package rnnlab.train;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mirrors Keras's {@code tf.keras.callbacks.BackupAndRestore(backup_dir, delete_checkpoint=True)}:
 * makes a long {@code fit} resumable. After every epoch it writes a backup of the run to
 * {@code file} (weights, optimizer state, iteration and epoch counters, the position of ND4J's random
 * generator, the seed, and the History rows so far; atomically, so a crash keeps the previous one).
 * When a {@code fit} with this callback begins and the file exists, the network is put back to the
 * backup and training continues after its epoch, with the shuffles of the done epochs replayed: the
 * run ends with the same weights and History as one that was never stopped. Run the same cell again
 * (same network built the same way, same data, options and seed) after an interrupt or a crash.
 *
 * <p>The backup is deleted when the fit ends normally (all epochs, or an early stop) and kept when it
 * was interrupted or diverged, or with {@link #keepingBackup()}.
 */
public final class BackupAndRestore implements Callback {

    private static final String MAGIC = "rnnlab-backup 1";

    private final Path file;
    private final boolean deleteWhenDone;

    private Training training;
    private final List<Map<String, Double>> done = new ArrayList<>();

    /** Backs up to {@code file} (created with its folder when the first epoch ends). */
    public BackupAndRestore(Path file) {
        this(file, true);
    }

    private BackupAndRestore(Path file, boolean deleteWhenDone) {
        if (file == null) {
            throw new IllegalArgumentException("BackupAndRestore needs a file for the backup, e.g. Path.of(\"backups/lstm.bak\")");
        }
        this.file = file;
        this.deleteWhenDone = deleteWhenDone;
    }

    /** A copy that keeps the backup when the fit ends (Keras's {@code delete_checkpoint=False}). */
    public BackupAndRestore keepingBackup() {
        return new BackupAndRestore(file, false);
    }

    /** The backup file. */
    public Path file() {
        return file;
    }

    @Override
    public void onTrainBegin(Training training) {
        this.training = training;
        done.clear();
        if (Files.exists(file)) {
            restore();
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        done.add(new LinkedHashMap<>(logs));
        MultiLayerNetwork net = training.network();
        INDArray state = net.getUpdater(true) == null ? null : net.getUpdater().getStateViewArray();
        try {
            rnnlab.data.AtomicFiles.writeStream(file, raw -> {
                DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(raw));
                out.writeUTF(MAGIC);
                out.writeInt(epoch);
                out.writeLong(training.seed());
                out.writeLong(Nd4j.getRandom().rootState());
                out.writeLong(Nd4j.getRandom().nodeState());
                out.writeInt(net.getIterationCount());
                out.writeInt(net.getEpochCount());
                out.writeInt(training.steps());
                out.writeInt(training.metricNames().size());
                for (String m : training.metricNames()) {
                    out.writeUTF(m);
                }
                out.writeInt(done.size());
                for (Map<String, Double> row : done) {
                    for (String m : training.metricNames()) {
                        out.writeDouble(row.get(m));
                    }
                    out.writeDouble(row.get("seconds"));
                }
                out.writeLong(net.numParams());
                Nd4j.write(net.params(), out);
                out.writeBoolean(state != null);
                if (state != null) {
                    Nd4j.write(state, out);
                }
                out.flush();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore cannot write " + file + ": " + e.getMessage()
                    + " (the previous backup, if any, is unchanged)", e);
        }
    }

    @Override
    public void onTrainEnd(Training training) {
        if (deleteWhenDone && !training.interrupted() && !training.diverged()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                training.print("BackupAndRestore could not delete " + file + ": " + e.getMessage());
            }
        }
    }

    private void restore() {
        MultiLayerNetwork net = training.network();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!MAGIC.equals(in.readUTF())) {
                throw bad("it is not a BackupAndRestore file");
            }
            int epoch = in.readInt();
            long seed = in.readLong();
            long root = in.readLong();
            long node = in.readLong();
            int iterations = in.readInt();
            int epochCount = in.readInt();
            int steps = in.readInt();
            if (steps != training.steps()) {
                throw bad("it was made by a run with " + steps + " batches per epoch, this fit has " + training.steps()
                        + " (other data, validation split or batch size)");
            }
            List<String> metrics = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                metrics.add(in.readUTF());
            }
            if (!metrics.equals(training.metricNames())) {
                throw bad("it records " + metrics + ", this fit logs " + training.metricNames());
            }
            List<Map<String, Double>> rows = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                Map<String, Double> row = new LinkedHashMap<>();
                for (String m : metrics) {
                    row.put(m, in.readDouble());
                }
                row.put("seconds", in.readDouble());
                rows.add(row);
            }
            long numParams = in.readLong();
            if (numParams != net.numParams()) {
                throw bad("it holds " + numParams + " parameters, this network has " + net.numParams());
            }
            INDArray params = Nd4j.read(in);
            INDArray state = in.readBoolean() ? Nd4j.read(in) : null;
            INDArray own = net.getUpdater(true) == null ? null : net.getUpdater().getStateViewArray();
            if ((state == null) != (own == null) || (state != null && state.length() != own.length())) {
                throw bad("its optimizer state does not fit this network's optimizer");
            }
            if (epoch > training.epochs()) {
                throw bad("it is from epoch " + epoch + " but this fit has epochs(" + training.epochs() + ")");
            }
            training.resume(epoch, seed, root, node, rows);
            net.params().assign(params.reshape(net.params().shape()));
            if (state != null) {
                own.assign(state.reshape(own.shape()));
            }
            net.setIterationCount(iterations);
            net.setEpochCount(epochCount);
            done.addAll(rows);
            training.print("BackupAndRestore: resuming after epoch " + epoch + " from " + file + ".");
        } catch (IOException e) {
            throw new UncheckedIOException("BackupAndRestore cannot read " + file + ": " + e.getMessage()
                    + "; delete it to start afresh", e);
        }
    }

    private IllegalArgumentException bad(String why) {
        return new IllegalArgumentException("BackupAndRestore cannot resume from " + file + ": " + why
                + "; run the same network, data and options, or delete the backup to start afresh");
    }
}
