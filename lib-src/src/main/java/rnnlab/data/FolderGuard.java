package rnnlab.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Keeps the readers of extracted dataset folders inside them: a file (or sub-folder) that is a
 * symbolic link to somewhere outside the folder is refused rather than followed, so a crafted
 * data folder cannot make a loader read a private file. The folder-side counterpart of the
 * archive entry checks in {@link Archives} (Python's {@code tarfile} {@code data_filter}).
 */
final class FolderGuard {

    private final Path root;
    private final Path realRoot;

    /** A guard for the folder {@code root} (resolved once). */
    FolderGuard(Path root) {
        this.root = root;
        try {
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new BadDataException(root, "cannot resolve the data folder: " + e, e);
        }
    }

    /** Throws a {@link BadDataException} unless {@code p} resolves to a path inside the folder. */
    void check(Path p) {
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            throw new BadDataException(p, "cannot resolve (a broken link?): " + e, e);
        }
        if (!real.startsWith(realRoot)) {
            throw new BadDataException(p, "a symbolic link to " + real + ", outside " + root
                    + "; links out of the data folder are not followed");
        }
    }
}
