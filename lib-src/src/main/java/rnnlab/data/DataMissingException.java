package rnnlab.data;

/**
 * A dataset file that is neither in the data directory nor downloadable (offline, or the download
 * failed). The message names the file, where it looked, the canonical URL and how to point
 * {@code RNNLAB_DATA} at a local copy: one error, not a cascade.
 *
 * <p>Plays the part of the {@code Exception: URL fetch failure} that Keras's {@code get_file}
 * raises, with the remedy spelled out.
 */
public class DataMissingException extends IllegalStateException {

    /** A missing-data error with the full, user-facing {@code message}. */
    public DataMissingException(String message, Throwable cause) {
        super(message, cause);
    }
}
