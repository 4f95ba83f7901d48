package rnnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Downloads one file with a text progress bar, SHA-256 verification and an atomic write: bytes go
 * to a temporary file next to the target ({@link AtomicFiles}), which gets the real name only after
 * the checksum was verified, so an interrupted, stalled or corrupt download leaves nothing under
 * the real name and no partial file.
 *
 * <p>Timeouts: connecting may take {@link #connectTimeout()} (default 30 s, setting
 * {@code RNNLAB_DOWNLOAD_CONNECT_TIMEOUT} / {@code -Drnnlab.download.connectTimeout}, in seconds);
 * a transfer that receives nothing for {@link #readTimeout()} (default 60 s, setting
 * {@code RNNLAB_DOWNLOAD_READ_TIMEOUT} / {@code -Drnnlab.download.readTimeout}) is abandoned. The
 * transfer waits for data in slices of a quarter second, so an interrupt of the calling thread (or
 * the stop hook, Jupyter's ■ in the rnnlab kernel) ends it within a second.
 *
 * <p>Mirrors Keras's {@code tf.keras.utils.get_file(fname, origin, file_hash)} and torchvision's
 * {@code download_url(url, root, md5)}. Built on the JDK's {@link HttpClient} (http/https, redirects
 * followed) and plain file reads for {@code file:} URLs; the progress bar is hand-written.
 */
public final class Downloader {

    /** Refuse downloads larger than this many bytes (no dataset here is near it). */
    public static final long DEFAULT_MAX_BYTES = 2L << 30;
    /** Default connect timeout: 30 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** Default read timeout (longest wait for the next bytes): 60 s. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    private static final long SLICE_MILLIS = 250;

    /** Checks a finished download's SHA-256 before it gets its name; throws (a {@link BadDataException}) to discard it. */
    @FunctionalInterface
    public interface Verifier {
        /** Accepts or rejects the download from {@code url} whose SHA-256 is {@code sha256}. */
        void verify(URI url, String sha256);
    }

    private final PrintStream progress;
    private final long maxBytes;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final BooleanSupplier stop;

    /**
     * A downloader that draws its progress bar on {@code progress} ({@code null}: silent), with the
     * given limits; {@code stop} is polled while waiting (e.g. the notebook's stop button), may be {@code null}.
     */
    public Downloader(PrintStream progress, long maxBytes, Duration connectTimeout, Duration readTimeout, BooleanSupplier stop) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be > 0, got connect " + connectTimeout + ", read " + readTimeout);
        }
        this.progress = progress;
        this.maxBytes = maxBytes;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.stop = stop == null ? () -> false : stop;
    }

    /** {@link #Downloader(PrintStream, long, Duration, Duration, BooleanSupplier)} without a stop hook. */
    public Downloader(PrintStream progress, long maxBytes, Duration connectTimeout, Duration readTimeout) {
        this(progress, maxBytes, connectTimeout, readTimeout, null);
    }

    /** A downloader with {@code timeout} as connect timeout and the configured read timeout. */
    public Downloader(PrintStream progress, long maxBytes, Duration timeout) {
        this(progress, maxBytes, timeout, configuredReadTimeout(), null);
    }

    /** Progress on {@code System.out}, 2 GiB limit, the configured timeouts. */
    public Downloader() {
        this(System.out, DEFAULT_MAX_BYTES, configuredConnectTimeout(), configuredReadTimeout(), null);
    }

    /** The connect timeout: {@code RNNLAB_DOWNLOAD_CONNECT_TIMEOUT} / {@code -Drnnlab.download.connectTimeout} seconds, else 30 s. */
    public static Duration configuredConnectTimeout() {
        return setting("rnnlab.download.connectTimeout", "RNNLAB_DOWNLOAD_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT);
    }

    /** The read timeout: {@code RNNLAB_DOWNLOAD_READ_TIMEOUT} / {@code -Drnnlab.download.readTimeout} seconds, else 60 s. */
    public static Duration configuredReadTimeout() {
        return setting("rnnlab.download.readTimeout", "RNNLAB_DOWNLOAD_READ_TIMEOUT", DEFAULT_READ_TIMEOUT);
    }

    private static Duration setting(String property, String env, Duration fallback) {
        String v = System.getProperty(property);
        String from = "-D" + property;
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
            from = env;
        }
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            double s = Double.parseDouble(v.trim());
            if (s > 0 && s < 1e6) {
                return Duration.ofMillis((long) (s * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(from + "=" + v + " is not a number of seconds > 0 (e.g. 120)");
    }

    /** The connect timeout. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The read timeout: the longest wait for the next bytes of a transfer. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Fetches {@code url} into {@code target}. When {@code expectedSha256} is non-null the bytes must
     * hash to it, else nothing is written and a {@link BadDataException} names both checksums.
     *
     * @return the SHA-256 (lower-case hex) of what was written
     * @throws IOException when the source cannot be reached or read, stalls beyond the read timeout
     *                     ({@link InterruptedIOException} when interrupted); the caller turns this
     *                     into a {@link DataMissingException} with the remedy
     */
    public String download(URI url, Path target, String expectedSha256) throws IOException {
        return downloadVerified(url, target, (u, sha) -> {
            if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha)) {
                throw new BadDataException(Path.of(u.getPath()), "downloaded from " + u
                        + " but its SHA-256 is " + sha + ", expected " + expectedSha256.toLowerCase(Locale.ROOT)
                        + "; the download was discarded");
            }
        });
    }

    /** {@link #download(URI, Path, String)} with any check of the SHA-256, run before the file gets its name. */
    public String downloadVerified(URI url, Path target, Verifier verifier) throws IOException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(verifier, "verifier");
        String[] sha = new String[1];
        AtomicFiles.write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                sha[0] = transfer(url, out);
            }
            verifier.verify(url, sha[0]);
        });
        return sha[0];
    }

    private String transfer(URI url, OutputStream out) throws IOException {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        Copy copy = new Copy(url, out);
        if (scheme.equals("http") || scheme.equals("https")) {
            http(url, copy);
        } else if (scheme.equals("file")) {
            Path p = Path.of(url);
            copy.start(Files.size(p));
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    checkStop(copy);
                    copy.write(ByteBuffer.wrap(buf, 0, n));
                }
            }
        } else {
            throw new IllegalArgumentException("unsupported URL scheme in " + url + "; allowed: http, https, file");
        }
        return copy.finish();
    }

    /**
     * Sends the request and copies the body as it arrives. Everything (the response headers, the
     * body's buffers, its end or error) comes through one queue that is polled in slices, so stalls
     * and interrupts are noticed while connecting, waiting for the headers and during the transfer.
     */
    private void http(URI url, Copy copy) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest req = HttpRequest.newBuilder(url).GET().build();
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Object done = new Object();
        Flow.Subscription[] subscription = new Flow.Subscription[1];
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(req, info -> {
            queue.add(info);
            return HttpResponse.BodySubscribers.fromSubscriber(new Flow.Subscriber<List<ByteBuffer>>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription[0] = s;
                    s.request(1);
                }

                @Override
                public void onNext(List<ByteBuffer> item) {
                    queue.add(item);
                }

                @Override
                public void onError(Throwable t) {
                    queue.add(t);
                }

                @Override
                public void onComplete() {
                    queue.add(done);
                }
            });
        });
        response.whenComplete((r, t) -> {
            if (t != null) {
                queue.add(t);
            }
        });
        boolean headers = false;
        try {
            long lastData = System.nanoTime();
            while (true) {
                checkStop(copy);
                Object item;
                try {
                    item = queue.poll(SLICE_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw interrupted(copy);
                }
                if (item == null) {
                    Duration limit = headers ? readTimeout : readTimeout.plus(connectTimeout);
                    if (System.nanoTime() - lastData > limit.toNanos()) {
                        throw new IOException(headers
                                ? "no data for " + seconds(readTimeout) + " from " + url + " (the read timeout): "
                                + copy.received() + "; for a slow connection raise it with RNNLAB_DOWNLOAD_READ_TIMEOUT=<seconds>"
                                : host(url) + " sent no response within " + seconds(limit) + "; for a slow connection raise"
                                + " RNNLAB_DOWNLOAD_READ_TIMEOUT=<seconds>");
                    }
                    continue;
                }
                if (item instanceof HttpResponse.ResponseInfo info) {
                    headers = true;
                    lastData = System.nanoTime();
                    if (info.statusCode() / 100 != 2) {
                        throw new IOException("HTTP " + info.statusCode() + " from " + url);
                    }
                    copy.start(info.headers().firstValueAsLong("Content-Length").orElse(-1));
                    continue;
                }
                if (item == done) {
                    return;
                }
                if (item instanceof Throwable t) {
                    throw failure(url, copy, headers, t);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) item;
                for (ByteBuffer b : buffers) {
                    copy.write(b);
                }
                lastData = System.nanoTime();
                subscription[0].request(1);
            }
        } finally {
            response.cancel(true);
            if (subscription[0] != null) {
                subscription[0].cancel();
            }
        }
    }

    /** An exception of the HTTP client as an IOException that says what happened. */
    private static IOException failure(URI url, Copy copy, boolean headers, Throwable t) {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (!headers) {
            for (Throwable x = c; x != null; x = x.getCause()) {
                if (x instanceof ConnectException || x instanceof UnknownHostException || x instanceof HttpConnectTimeoutException
                        || x instanceof UnresolvedAddressException) {
                    return new IOException("could not reach " + host(url) + " (" + x.getClass().getSimpleName()
                            + (x.getMessage() == null ? "" : ": " + x.getMessage()) + "): no network, the host is down, or"
                            + " a firewall blocks it", c);
                }
            }
        }
        return new IOException("the transfer from " + url + " failed: " + copy.received() + " (" + c + ")", c);
    }

    private void checkStop(Copy copy) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted() || stop.getAsBoolean()) {
            throw interrupted(copy);
        }
    }

    private static InterruptedIOException interrupted(Copy copy) {
        return new InterruptedIOException("download of " + copy.url + " interrupted after " + copy.received()
                + "; the partial file was removed");
    }

    private static String host(URI url) {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** The bytes of one transfer: file, hash, counts and progress bar. */
    private final class Copy {
        final URI url;
        private final OutputStream out;
        private final MessageDigest md;
        private final String name;
        private long length = -1;
        private long done;
        private int lastDrawn = -1;

        Copy(URI url, OutputStream out) {
            this.url = url;
            this.out = out;
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            Path p = Path.of(url.getPath()).getFileName();
            name = p == null ? url.toString() : p.toString();
        }

        void start(long announced) throws IOException {
            if (announced > maxBytes) {
                throw new IOException(url + " announces " + announced + " bytes, above the limit of " + maxBytes);
            }
            length = announced;
        }

        void write(ByteBuffer b) throws IOException {
            int n = b.remaining();
            byte[] a = new byte[n];
            b.get(a);
            done += n;
            if (done > maxBytes) {
                throw new IOException(url + " sent more than the limit of " + maxBytes + " bytes");
            }
            out.write(a);
            md.update(a);
            int permille = length > 0 ? (int) (done * 1000 / length) : (int) (done >> 20);
            if (progress != null && permille != lastDrawn) {
                lastDrawn = permille;
                progress.print("\r" + bar(name, done, length));
            }
        }

        String received() {
            return "received " + done + (length >= 0 ? " of " + length : "") + " bytes";
        }

        String finish() throws IOException {
            if (length >= 0 && done != length) {
                throw new IOException("the transfer from " + url + " stopped early: " + received());
            }
            if (progress != null) {
                progress.println("\r" + bar(name, done, length));
                progress.flush();
            }
            return HexFormat.of().formatHex(md.digest());
        }
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
