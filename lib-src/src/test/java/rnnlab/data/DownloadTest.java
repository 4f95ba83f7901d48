package rnnlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from file: URLs and a 127.0.0.1 server the test starts; never the network. */
class DownloadTest {

    @TempDir
    Path tmp;

    @Test
    void fileUrlWithChecksumProgressAndAtomicWrite() throws Exception {
        Path src = tmp.resolve("src.bin");
        Files.write(src, new byte[300_000]);
        String sha = Downloader.sha256(src);
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        Downloader dl = new Downloader(new PrintStream(bar, true, StandardCharsets.UTF_8), 1 << 20,
                java.time.Duration.ofSeconds(5));
        Path out = tmp.resolve("cache/dst.bin");
        assertEquals(sha, dl.download(src.toUri(), out, sha.toUpperCase()));
        assertEquals(300_000, Files.size(out));
        assertTrue(bar.toString(StandardCharsets.UTF_8).contains("100.0%"), bar.toString(StandardCharsets.UTF_8));

        Path bad = tmp.resolve("cache/bad.bin");
        BadDataException e = assertThrows(BadDataException.class, () -> dl.download(src.toUri(), bad, "00".repeat(32)));
        assertTrue(e.getMessage().contains(sha), e.getMessage());
        assertFalse(Files.exists(bad));
        try (Stream<Path> left = Files.list(tmp.resolve("cache"))) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
        Downloader small = new Downloader(null, 1000, java.time.Duration.ofSeconds(5));
        assertThrows(java.io.IOException.class, () -> small.download(src.toUri(), tmp.resolve("cache/big.bin"), null));
        assertFalse(Files.exists(tmp.resolve("cache/big.bin")));
    }

    @Test
    void dataSourceDownloadsFromALocalHttpMirror() throws Exception {
        byte[] body = "{\"the\": 1, \"film\": 2}".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] b = ex.getRequestURI().getPath().endsWith("imdb/imdb_word_index.json") ? body : null;
            ex.sendResponseHeaders(b == null ? 404 : 200, b == null ? -1 : b.length);
            if (b != null) {
                ex.getResponseBody().write(b);
            }
            ex.close();
        });
        server.start();
        try {
            DataSource src = DataSource.of(tmp.resolve("data")).withDownloads(true).withProgress(null)
                    .withMirror(java.net.URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
            // the body matches neither checksum in the table → discarded, nothing left under the real name
            BadDataException e = assertThrows(BadDataException.class, () -> src.resolve(DataFile.IMDB_WORD_INDEX));
            assertTrue(e.getMessage().contains("matches neither"), e.getMessage());
            assertFalse(Files.exists(src.path(DataFile.IMDB_WORD_INDEX.relativePath())));
            // a 404 is reported as missing data with the URL
            DataMissingException m = assertThrows(DataMissingException.class, () -> src.resolve(DataFile.NAMES_ZIP));
            assertTrue(m.getMessage().contains("HTTP 404"), m.getMessage());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void mirrorCopyWithTableChecksumIsAcceptedAndLocalCopyUsedAsIs() throws Exception {
        Path mirror = tmp.resolve("mirror");
        Path names = mirror.resolve("names/data.zip");
        Files.createDirectories(names.getParent());
        Files.copy(rnnlab.lab.Lab.samplesDir().resolve("names/data.zip"), names);
        DataSource src = DataSource.of(tmp.resolve("data")).withDownloads(true).withProgress(null).withMirror(mirror.toUri());
        Path got = src.resolve(DataFile.NAMES_ZIP);
        assertEquals(DataFile.Provenance.MIRROR, src.provenance(DataFile.NAMES_ZIP));
        assertEquals(18, Names.load(src).numLanguages());
        // present now: used as is, even with downloads off
        assertEquals(got, DataSource.of(tmp.resolve("data")).resolve(DataFile.NAMES_ZIP));
    }

    @Test
    void offlineAndMissingIsOneClearError() {
        DataMissingException e = assertThrows(DataMissingException.class,
                () -> Mnist.load(DataSource.of(tmp.resolve("empty"))));
        String m = e.getMessage();
        assertTrue(m.contains("mnist/train-images-idx3-ubyte.gz"), m);
        assertTrue(m.contains(tmp.resolve("empty").toString()), m);
        assertTrue(m.contains("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz"), m);
        assertTrue(m.contains("RNNLAB_DATA"), m);
    }

    @Test
    void extractionRefusesTraversalLinksAndBombs() throws Exception {
        Path zip = tmp.resolve("evil.zip");
        Fixtures.zip(zip, Map.of("ok.txt", "fine", "../../escape.txt", "evil"));
        BadDataException e = assertThrows(BadDataException.class,
                () -> Archives.extract(zip, tmp.resolve("out"), Archives.Limits.defaults()));
        assertTrue(e.getMessage().contains("path traversal"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("escape.txt")));

        Path tar = tmp.resolve("big.tar.gz");
        Fixtures.tarGz(tar, Map.of("a/zeros.txt", "0".repeat(100_000)));
        e = assertThrows(BadDataException.class,
                () -> Archives.extract(tar, tmp.resolve("out2"), new Archives.Limits(10_000, 10)));
        assertTrue(e.getMessage().contains("more than 10000 bytes"), e.getMessage());
        assertEquals(1, Archives.extract(tar, tmp.resolve("out3"), Archives.Limits.defaults()));
        assertEquals(100_000, Files.size(tmp.resolve("out3/a/zeros.txt")));
    }
}
