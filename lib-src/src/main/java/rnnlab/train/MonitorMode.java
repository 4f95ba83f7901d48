package rnnlab.train;

import java.util.Locale;

/**
 * Whether a monitored metric improves by going down or up: Keras's {@code mode='auto'|'min'|'max'}
 * of {@code EarlyStopping} and {@code ModelCheckpoint}.
 */
public enum MonitorMode {
    /** Decide from the name: accuracy, precision, recall and F1 go up; loss and anything else goes down. */
    AUTO,
    /** Lower is better. */
    MIN,
    /** Higher is better. */
    MAX;

    /** True if, for {@code monitor}, a higher value is better (resolving {@link #AUTO} from the name). */
    public boolean higherIsBetter(String monitor) {
        return switch (this) {
            case MIN -> false;
            case MAX -> true;
            case AUTO -> {
                String m = monitor.toLowerCase(Locale.ROOT);
                yield m.contains("acc") || m.contains("precision") || m.contains("recall") || m.contains("f1");
            }
        };
    }
}
