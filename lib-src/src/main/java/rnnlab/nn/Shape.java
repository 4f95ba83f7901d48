package rnnlab.nn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Keras-style tensor shape, e.g. {@code (None, 400, 32)}: the first entry is the batch size and
 * {@code null} stands for Keras's {@code None} (unknown). Recurrent shapes are shown as Keras shows
 * them, (batch, time, features), image shapes as (batch, height, width, channels); the DL4J
 * tensors themselves are [batch, features, time] and [batch, channels, height, width].
 */
public record Shape(List<Long> dims) implements Serializable {

    /** Defensive copy (nulls allowed). */
    public Shape {
        dims = Collections.unmodifiableList(new ArrayList<>(dims));
    }

    /** A shape from dimensions; values &lt;= 0 become {@code None}. */
    public static Shape of(long... d) {
        List<Long> l = new ArrayList<>();
        for (long v : d) {
            l.add(v > 0 ? v : null);
        }
        return new Shape(l);
    }

    /** Number of dimensions including the batch. */
    public int rank() {
        return dims.size();
    }

    /** Dimension i, or {@code null} for None. */
    public Long get(int i) {
        return dims.get(i);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims.get(i) == null ? "None" : dims.get(i).toString());
        }
        return sb.append(dims.size() == 1 ? ",)" : ")").toString();
    }
}
