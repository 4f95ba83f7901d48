package rnnlab.data;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import rnnlab.lab.Lab;

/**
 * Where a loader reads its files: a directory laid out like the shared mirror ({@code imdb/},
 * {@code mnist/}, {@code names/}), and whether missing files may be downloaded into it.
 *
 * <ul>
 *   <li>{@link #auto()}: quick mode → {@link #samples()}, full mode → {@link #full()} (what notebooks use);</li>
 *   <li>{@link #samples()}: the project's shipped subsets in {@link Lab#samplesDir()}, never downloads;</li>
 *   <li>{@link #full()}: {@link Lab#dataDir()} ({@code RNNLAB_DATA}), downloads what is missing from
 *       the canonical URLs;</li>
 *   <li>{@link #of(Path)}: any directory with that layout, used as is (no downloads).</li>
 * </ul>
 * A file already present is used as is, whatever its checksum ({@link #provenance(DataFile)} tells
 * which copy it is). Plays the part of Keras's {@code cache_dir}/{@code ~/.keras/datasets} and
 * torchvision's {@code root=..., download=True}.
 *
 * @param dir       the data directory
 * @param downloads whether missing files are fetched
 * @param mirror    base URL replacing the canonical hosts ({@code null}: canonical URLs); a file
 *                  is fetched from {@code mirror.resolve(relativePath)}
 * @param progress  where the download progress bar goes ({@code null}: silent)
 * @param acceptUnverified accept a mirror file that no published checksum can verify (see
 *                  {@link #acceptUnverified(boolean)})
 */
public record DataSource(Path dir, boolean downloads, URI mirror, PrintStream progress, boolean acceptUnverified) {

    /** Checks the directory is given and makes it absolute. */
    public DataSource {
        Objects.requireNonNull(dir, "dir");
        dir = dir.toAbsolutePath().normalize();
    }

    /** A source that refuses mirror files it cannot verify. */
    public DataSource(Path dir, boolean downloads, URI mirror, PrintStream progress) {
        this(dir, downloads, mirror, progress, false);
    }

    /**
     * This source accepting (or not) a mirror's file that matches no checksum in the table when no
     * canonical checksum is published for it (the names {@code data.zip}): it may be the canonical
     * file, but nothing can verify it. Off by default.
     */
    public DataSource acceptUnverified(boolean on) {
        return new DataSource(dir, downloads, mirror, progress, on);
    }

    /** The source for the current mode: samples in quick mode, the full data directory in full mode. */
    public static DataSource auto() {
        return Lab.quick() ? samples() : full();
    }

    /** The shipped samples ({@code data/} in the project); never downloads. */
    public static DataSource samples() {
        return new DataSource(Lab.samplesDir(), false, null, System.out);
    }

    /** The full data directory ({@code RNNLAB_DATA}); missing files are downloaded. */
    public static DataSource full() {
        return new DataSource(Lab.dataDir(), true, null, System.out);
    }

    /** An explicit directory, used as is (no downloads). */
    public static DataSource of(Path dir) {
        return new DataSource(dir, false, null, System.out);
    }

    /** This source with downloads switched on or off. */
    public DataSource withDownloads(boolean on) {
        return new DataSource(dir, on, mirror, progress, acceptUnverified);
    }

    /** This source downloading from {@code base} (e.g. a local HTTP or {@code file:} mirror) instead of the canonical hosts. */
    public DataSource withMirror(URI base) {
        String s = base.toString();
        return new DataSource(dir, downloads, URI.create(s.endsWith("/") ? s : s + "/"), progress, acceptUnverified);
    }

    /** This source drawing download progress on {@code out} ({@code null}: silent). */
    public DataSource withProgress(PrintStream out) {
        return new DataSource(dir, downloads, mirror, out, acceptUnverified);
    }

    /** The path a relative file name ({@code imdb/...}) has in this directory, whether or not it exists. */
    public Path path(String relativePath) {
        return dir.resolve(relativePath);
    }

    /** True when {@code relativePath} exists here (file or folder). */
    public boolean has(String relativePath) {
        return Files.exists(path(relativePath));
    }

    /**
     * The local path of {@code file}: used as is when present; otherwise downloaded (when this
     * source downloads) with SHA-256 verification; otherwise a {@link DataMissingException} naming
     * the file, where it looked, the URL and how to point {@code RNNLAB_DATA} at a local copy.
     */
    public Path resolve(DataFile file) {
        Path p = path(file.relativePath());
        if (Files.isRegularFile(p)) {
            return p;
        }
        URI url = mirror == null ? file.url() : mirror.resolve(file.relativePath());
        if (!downloads) {
            throw missing(file, p, url, "downloads are off for this source (" + describe() + ")", null);
        }
        try {
            if (progress != null) {
                progress.println("downloading " + url + " -> " + p);
            }
            // Checked before the file gets its name: a rejected download never appears under it.
            String sha = new Downloader(progress, Downloader.DEFAULT_MAX_BYTES, Downloader.configuredConnectTimeout(),
                    Downloader.configuredReadTimeout(), rnnlab.lab.Interrupt::requested)
                    .downloadVerified(url, p, (u, got) -> verify(file, p, u, got));
            if (progress != null && file.canonicalSha256() == null) {
                progress.println("note: no published SHA-256 for " + file.relativePath() + "; got " + sha
                        + (mirror != null && file.provenanceOf(sha) == DataFile.Provenance.UNKNOWN
                        ? " (accepted unverified, as asked with acceptUnverified(true))" : ""));
            }
            return p;
        } catch (IOException e) {
            throw missing(file, p, url, "download failed: " + e.getMessage(), e);
        }
    }

    /**
     * From the canonical host the canonical checksum must match (when one is published); from a
     * mirror either table entry may. A mirror file matching neither is refused; when the canonical
     * checksum is unknown it may be the canonical file, which is accepted only with
     * {@link #acceptUnverified(boolean)}.
     */
    private void verify(DataFile file, Path p, URI url, String sha) {
        if (mirror == null) {
            if (file.canonicalSha256() != null && file.provenanceOf(sha) != DataFile.Provenance.CANONICAL) {
                throw new BadDataException(p, "downloaded from " + url + " but its SHA-256 is " + sha + ", expected "
                        + file.canonicalSha256() + "; the download was discarded");
            }
            return;
        }
        if (file.provenanceOf(sha) != DataFile.Provenance.UNKNOWN) {
            return;
        }
        if (file.canonicalSha256() == null) {
            if (acceptUnverified) {
                return;
            }
            throw new BadDataException(p, "downloaded from the mirror " + url + " with SHA-256 " + sha + ", which is not the"
                    + " shared mirror's copy (" + file.mirrorSha256() + "); it may be the canonical file from "
                    + file.url() + ", but no canonical checksum is published for it, so it cannot be verified; discarded."
                    + " If you trust this mirror, accept it with DataSource...acceptUnverified(true)");
        }
        throw new BadDataException(p, "downloaded from the mirror " + url + " with SHA-256 " + sha
                + ", which matches neither the canonical (" + file.canonicalSha256() + ", " + file.url()
                + ") nor the shared mirror's (" + file.mirrorSha256() + ") checksum; discarded");
    }

    /** Which checksum-table entry the local copy of {@code file} matches (reads and hashes the file). */
    public DataFile.Provenance provenance(DataFile file) {
        return file.provenanceOf(Downloader.sha256(resolve(file)));
    }

    private DataMissingException missing(DataFile file, Path where, URI url, String why, Throwable cause) {
        String urls = url.equals(file.url()) ? "Canonical URL: " + url : "Mirror URL: " + url + "; canonical URL: " + file.url();
        return new DataMissingException("dataset file " + file.relativePath() + " is missing: looked for "
                + where + "; " + why + ". " + urls
                + ". To use a local copy, put the file there, or point RNNLAB_DATA (or -Drnnlab.data) at a folder"
                + " laid out as imdb/, mnist/, names/ that holds it (e.g. RNNLAB_DATA=/work/shared/datasets)"
                + " and run in full mode (RNNLAB_MODE=full), or pass DataSource.of(<that folder>).", cause);
    }

    /** One line: directory and whether it downloads. */
    public String describe() {
        return dir + (downloads ? " (downloads missing files)" : " (local files only)");
    }
}
