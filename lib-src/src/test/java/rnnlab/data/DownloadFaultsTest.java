package rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 5: downloads from a 127.0.0.1 server that stalls, truncates or is not there. The
 * server announces 100,000 bytes; {@code /stall} sends 1,000 and then waits, {@code /short} sends
 * 1,000 and closes.
 */
class DownloadFaultsTest {

    @TempDir
    Path tmp;

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;

    private URI serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.endsWith("/stall") || path.endsWith("/short")) {
                ex.sendResponseHeaders(200, 100_000);
                OutputStream out = ex.getResponseBody();
                out.write(new byte[1000]);
                out.flush();
                if (path.endsWith("/stall")) {
                    try {
                        release.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                ex.close();
                return;
            }
            byte[] b = path.endsWith("names/data.zip") ? "not the mirror's repack".getBytes() : null;
            ex.sendResponseHeaders(b == null ? 404 : 200, b == null ? -1 : b.length);
            if (b != null) {
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private void assertNothingLeft(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(0, s.count(), "no partial or temporary file in " + dir);
            }
        }
    }

    @Test
    void aStalledTransferEndsAtTheReadTimeout() throws Exception {
        URI base = serve();
        Downloader dl = new Downloader(null, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> dl.download(base.resolve("stall"), tmp.resolve("d/f.bin"), null));
        double s = (System.nanoTime() - t0) / 1e9;
        // the server holds the connection for 60 s: ending well before that is the read timeout at work
        // (the bound is loose because a first HttpClient takes seconds to start on a loaded machine)
        assertTrue(s < 15, "ended after " + s + " s");
        assertTrue(e.getMessage().contains("no data for 1 s") && e.getMessage().contains("received 1000 of 100000 bytes")
                && e.getMessage().contains("RNNLAB_DOWNLOAD_READ_TIMEOUT"), e.getMessage());
        assertNothingLeft(tmp.resolve("d"));
    }

    @Test
    void anInterruptEndsTheTransferWithinASecondAndRemovesThePartialFile() throws Exception {
        URI base = serve();
        Downloader dl = new Downloader(null, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(60));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                dl.download(base.resolve("stall"), tmp.resolve("d/f.bin"), null);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        Thread.sleep(700);
        long t0 = System.nanoTime();
        t.interrupt();
        t.join(5000);
        double s = (System.nanoTime() - t0) / 1e9;
        assertFalse(t.isAlive(), "the download ignored the interrupt");
        assertTrue(s < 1, "ended " + s + " s after the interrupt");
        assertTrue(thrown.get() instanceof java.io.InterruptedIOException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("interrupted"), thrown.get().getMessage());
        assertNothingLeft(tmp.resolve("d"));
    }

    @Test
    void aShortTransferSaysHowManyBytesArrived() throws Exception {
        URI base = serve();
        Downloader dl = new Downloader(null, 1 << 20, Duration.ofSeconds(5), Duration.ofSeconds(5));
        IOException e = assertThrows(IOException.class, () -> dl.download(base.resolve("short"), tmp.resolve("d/f.bin"), null));
        assertTrue(e.getMessage().contains("received 1000 of 100000 bytes"), e.getMessage());
        assertNothingLeft(tmp.resolve("d"));
    }

    @Test
    void anUnreachableHostIsNamedWithTheLocalCopyRemedy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        DataSource src = DataSource.of(tmp.resolve("data")).withDownloads(true).withProgress(null)
                .withMirror(URI.create("http://127.0.0.1:" + port + "/"));
        DataMissingException e = assertThrows(DataMissingException.class, () -> src.resolve(DataFile.MNIST_TEST_LABELS));
        String m = e.getMessage();
        assertTrue(m.contains("could not reach 127.0.0.1:" + port) && m.contains("RNNLAB_DATA"), m);
        assertTrue(m.contains("Mirror URL: http://127.0.0.1:" + port + "/mnist/t10k-labels-idx1-ubyte.gz"), m);
        assertTrue(m.contains("canonical URL: https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz"), m);
    }

    @Test
    void aMirrorFileWithoutAKnownCanonicalChecksumNeedsAnOptIn() throws Exception {
        URI base = serve();
        DataSource src = DataSource.of(tmp.resolve("data")).withDownloads(true).withProgress(null).withMirror(base);
        BadDataException e = assertThrows(BadDataException.class, () -> src.resolve(DataFile.NAMES_ZIP));
        assertTrue(e.getMessage().contains("cannot be verified") && e.getMessage().contains("acceptUnverified(true)"),
                e.getMessage());
        assertNothingLeft(tmp.resolve("data/names"));
        Path got = src.acceptUnverified(true).resolve(DataFile.NAMES_ZIP);
        assertEquals("not the mirror's repack", Files.readString(got));
    }
}
