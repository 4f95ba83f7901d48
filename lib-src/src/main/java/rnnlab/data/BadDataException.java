package rnnlab.data;

import java.nio.file.Path;

/**
 * A data file that exists but cannot be used: truncated gzip, wrong IDX magic number, counts that
 * disagree, an empty review or names file, a word index that does not parse. The message always
 * names the file and the reason, so a notebook never continues with a silently partial dataset.
 *
 * <p>Plays the part of the {@code ValueError}/{@code RuntimeError} that Keras's and torchvision's
 * loaders raise on a corrupt download.
 */
public class BadDataException extends IllegalArgumentException {

    private final transient Path file;

    /** A bad file {@code file} (may be a path inside an archive) for {@code reason}. */
    public BadDataException(Path file, String reason) {
        this(file, reason, null);
    }

    /** As {@link #BadDataException(Path, String)} with the low-level cause kept. */
    public BadDataException(Path file, String reason, Throwable cause) {
        super("bad data file " + file + ": " + reason
                + " (delete or replace the file; a full copy can be re-downloaded into the data directory)", cause);
        this.file = file;
    }

    /** The file that was rejected. */
    public Path file() {
        return file;
    }
}
