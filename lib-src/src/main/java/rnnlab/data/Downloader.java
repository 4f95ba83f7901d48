package rnnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * Downloads one file with a text progress bar, SHA-256 verification and an atomic write: bytes go
 * to a temporary file next to the target, which is renamed into place only after the checksum
 * matched, so an interrupted or corrupt download leaves nothing half-written under the real name.
 *
 * <p>Mirrors Keras's {@code tf.keras.utils.get_file(fname, origin, file_hash)} and torchvision's
 * {@code download_url(url, root, md5)}. Built on the JDK's {@link HttpClient} (http/https, redirects
 * followed) and {@link URI#toURL()} for {@code file:} URLs; the progress bar is hand-written.
 */
public final class Downloader {

    /** Refuse downloads larger than this many bytes (no dataset here is near it). */
    public static final long DEFAULT_MAX_BYTES = 2L << 30;

    private final PrintStream progress;
    private final long maxBytes;
    private final Duration timeout;

    /** A downloader that draws its progress bar on {@code progress} ({@code null}: silent). */
    public Downloader(PrintStream progress, long maxBytes, Duration timeout) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        this.progress = progress;
        this.maxBytes = maxBytes;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** Progress on {@code System.out}, 2 GiB limit, 30 s connect timeout. */
    public Downloader() {
        this(System.out, DEFAULT_MAX_BYTES, Duration.ofSeconds(30));
    }

    /**
     * Fetches {@code url} into {@code target}. When {@code expectedSha256} is non-null the bytes must
     * hash to it, else nothing is written and a {@link BadDataException} names both checksums.
     *
     * @return the SHA-256 (lower-case hex) of what was written
     * @throws IOException when the source cannot be reached or read (the caller turns this into
     *                     a {@link DataMissingException} with the remedy)
     */
    public String download(URI url, Path target, String expectedSha256) throws IOException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(target, "target");
        String[] sha = new String[1];
        // Checked before the rename: a corrupt or partial download never gets the real name.
        AtomicFiles.write(target, tmp -> {
            long[] lengthOut = new long[1];
            try (InputStream in = open(url, lengthOut); OutputStream out = Files.newOutputStream(tmp)) {
                sha[0] = copy(in, out, lengthOut[0], url);
            }
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha[0])) {
                throw new BadDataException(Path.of(url.getPath()), "downloaded from " + url
                        + " but its SHA-256 is " + sha[0] + ", expected " + expectedSha256.toLowerCase(Locale.ROOT)
                        + "; the download was discarded");
            }
        });
        return sha[0];
    }

    private InputStream open(URI url, long[] lengthOut) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") || scheme.equals("https")) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpRequest req = HttpRequest.newBuilder(url).GET().build();
            HttpResponse<InputStream> resp;
            try {
                resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("download of " + url + " interrupted", e);
            }
            if (resp.statusCode() / 100 != 2) {
                resp.body().close();
                throw new IOException("HTTP " + resp.statusCode() + " from " + url);
            }
            lengthOut[0] = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
            return resp.body();
        }
        if (scheme.equals("file")) {
            Path p = Path.of(url);
            lengthOut[0] = Files.size(p);
            return Files.newInputStream(p);
        }
        throw new IllegalArgumentException("unsupported URL scheme in " + url + "; allowed: http, https, file");
    }

    private String copy(InputStream in, OutputStream out, long length, URI url) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (length > maxBytes) {
            throw new IOException(url + " announces " + length + " bytes, above the limit of " + maxBytes);
        }
        byte[] buf = new byte[1 << 16];
        long done = 0;
        int lastDrawn = -1;
        String name = Path.of(url.getPath()).getFileName().toString();
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
            md.update(buf, 0, n);
            done += n;
            if (done > maxBytes) {
                throw new IOException(url + " sent more than the limit of " + maxBytes + " bytes");
            }
            int permille = length > 0 ? (int) (done * 1000 / length) : (int) (done >> 20);
            if (progress != null && permille != lastDrawn) {
                lastDrawn = permille;
                progress.print("\r" + bar(name, done, length));
            }
        }
        if (length > 0 && done != length) {
            throw new IOException(url + " ended after " + done + " of " + length + " bytes");
        }
        if (progress != null) {
            progress.println("\r" + bar(name, done, length));
            progress.flush();
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** One line of the text progress bar, e.g. {@code data.zip [#####-----]  50.0%  0.03/0.06 MB}. */
    static String bar(String name, long done, long total) {
        int width = 30;
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s %.2f MB", name, done / 1e6);
        }
        int filled = (int) Math.min(width, done * width / total);
        return String.format(Locale.ROOT, "%s [%s%s] %5.1f%% %.2f/%.2f MB", name, "#".repeat(filled),
                "-".repeat(width - filled), 100.0 * done / total, done / 1e6, total / 1e6);
    }

    /** SHA-256 (lower-case hex) of a file. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to checksum it: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
