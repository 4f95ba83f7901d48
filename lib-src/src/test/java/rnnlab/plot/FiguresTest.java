package rnnlab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.api.LinePlot;

/**
 * Renders every figure type to PNG with headless Chromium (one batch) and checks the files; checks
 * that saved HTML is self-contained. Fails, never skips, when Chromium is missing.
 */
class FiguresTest {

    /** Any attribute in a tag that loads or links to a remote or protocol-relative URL. */
    static final Pattern REMOTE = Pattern.compile("(?i)<[a-z][^<>]*\\s(?:src|href)\\s*=\\s*[\"']?\\s*(?:https?:)?//");

    @TempDir
    static Path dir;

    static final String[] LANGS = {"Arabic", "Chinese", "Czech", "Dutch", "English", "French", "German",
        "Greek", "Irish", "Italian", "Japanese", "Korean", "Polish", "Portuguese", "Russian", "Scottish",
        "Spanish", "Vietnamese"};

    static Map<String, Figure> figures = new LinkedHashMap<>();
    static List<Path> written;
    static long batchMillis;

    static Table history(int epochs, double scale) {
        int[] ep = new int[epochs];
        double[][] c = new double[10][epochs];
        for (int i = 0; i < epochs; i++) {
            ep[i] = i + 1;
            c[0][i] = scale * Math.exp(-i / 3.0) + 0.1;            // loss
            c[1][i] = scale * Math.exp(-i / 4.0) + 0.2 + 0.01 * i; // val_loss
            c[2][i] = 1 - c[0][i];
            c[3][i] = 1 - c[1][i];
            for (int k = 4; k < 10; k++) {
                c[k][i] = c[2 + (k % 2)][i] - 0.01 * (k - 4);
            }
        }
        return Table.create("history", IntColumn.create("epoch", ep), DoubleColumn.create("loss", c[0]),
                DoubleColumn.create("val_loss", c[1]), DoubleColumn.create("accuracy", c[2]),
                DoubleColumn.create("val_accuracy", c[3]), DoubleColumn.create("precision", c[4]),
                DoubleColumn.create("val_precision", c[5]), DoubleColumn.create("recall", c[6]),
                DoubleColumn.create("val_recall", c[7]), DoubleColumn.create("f1", c[8]),
                DoubleColumn.create("val_f1", c[9]));
    }

    static int[][] confusion(int n, int diag) {
        int[][] cm = new int[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cm[i][j] = i == j ? diag + 7 * i : (i * 31 + j * 17) % 9;
            }
        }
        return cm;
    }

    @BeforeAll
    static void renderAll() {
        assertTrue(Chromium.available(), "headless Chromium is required to test rnnlab.plot: install the Debian"
                + " package 'chromium' or set RNNLAB_CHROMIUM to the executable");
        Map<String, Table> models = new LinkedHashMap<>();
        models.put("LeNet", history(8, 0.5));
        models.put("长短期记忆 LSTM", history(8, 0.7));
        models.put("RNN", history(8, 0.9));
        List<String> digits = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        double[] losses = new double[60];
        double[] accs = new double[60];
        for (int i = 0; i < 60; i++) {
            losses[i] = 2.8 * Math.exp(-i / 12.0) + 0.4 + 0.05 * Math.sin(i);
            accs[i] = 0.9 - 0.7 * Math.exp(-i / 10.0);
        }
        Map<String, Double> test = new LinkedHashMap<>();
        test.put("LeNet", 99.08);
        test.put("LSTM", 98.90);
        test.put("RNN", 96.44);
        figures.put("loss", Figures.lossCurve(models.get("RNN")).withTitle("训练与验证损失"));
        figures.put("accuracy", Figures.accuracyCurve(models.get("RNN")));
        figures.put("curves", Figures.trainingCurves(models.get("RNN"), "LSTM"));
        figures.put("compare", Figures.compareModels(models));
        figures.put("metrics", Figures.metricCurves(models));
        figures.put("confusion", Figures.confusionMatrix(confusion(10, 950), digits, "LSTM - 混淆矩阵"));
        figures.put("confusions", Figures.confusionMatrices(Map.of("LeNet", confusion(10, 980)), digits));
        figures.put("normalized", Figures.normalizedConfusionMatrix(confusion(18, 60), Arrays.asList(LANGS),
                "GRU 归一化混淆矩阵"));
        figures.put("lossIter", Figures.lossByIteration(losses, 1000));
        figures.put("accIter", Figures.accuracyByIteration(accs, 1000));
        figures.put("bar", Figures.accuracyBar(test));
        figures.put("tablesaw", Figure.of(LinePlot.create("Tablesaw 折线图", models.get("RNN"), "epoch", "loss"))
                .withSize(500, 360));
        List<Figure> figs = new ArrayList<>(figures.values());
        List<Path> paths = new ArrayList<>();
        for (String name : figures.keySet()) {
            paths.add(dir.resolve("png").resolve(name + ".png"));
        }
        figs.add(figures.get("compare"));
        paths.add(dir.resolve("compare.svg"));
        figs.add(figures.get("normalized"));
        paths.add(dir.resolve("normalized.html"));
        long t0 = System.nanoTime();
        written = Figures.saveAll(figs, paths, 1);
        batchMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("rnnlab.plot: rendered " + figures.size() + " PNGs + 1 SVG + 1 HTML in " + batchMillis + " ms");
    }

    @Test
    void everyFigureTypeRendersToANonBlankPngOfTheFigureSize() throws IOException {
        int i = 0;
        for (Map.Entry<String, Figure> e : figures.entrySet()) {
            Path p = written.get(i++);
            assertEquals(dir.resolve("png").resolve(e.getKey() + ".png"), p);
            BufferedImage img = ImageIO.read(p.toFile());
            assertNotNull(img, e.getKey() + ": not a readable PNG");
            assertEquals(e.getValue().width(), img.getWidth(), e.getKey() + " width");
            assertEquals(e.getValue().height(), img.getHeight(), e.getKey() + " height");
            double var = lumaVariance(img);
            assertTrue(var > 100, e.getKey() + ": pixel variance " + var + " looks blank");
        }
    }

    @Test
    void singlePngRenderIsTimedAndMatchesScale() throws IOException {
        Figure f = figures.get("bar");
        long t0 = System.nanoTime();
        byte[] png = f.toPng(2);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("rnnlab.plot: one figure to PNG (scale 2) in " + ms + " ms");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(2 * f.width(), img.getWidth());
        assertEquals(2 * f.height(), img.getHeight());
    }

    @Test
    void svgIsWrittenAndHoldsTheChineseLegend() throws IOException {
        String svg = Files.readString(dir.resolve("compare.svg"), StandardCharsets.UTF_8);
        assertTrue(svg.startsWith("<svg"), svg.substring(0, 40));
        assertTrue(svg.contains("长短期记忆 LSTM"));
        assertTrue(svg.contains("Validation Accuracy"));
        assertFalse(svg.contains("https://"), "SVG references a remote URL");
    }

    @Test
    void savedHtmlIsSelfContained() throws IOException {
        String html = Files.readString(dir.resolve("normalized.html"), StandardCharsets.UTF_8);
        assertFalse(REMOTE.matcher(html).find(), "HTML references a remote URL: " + find(html));
        assertFalse(html.contains("cdn.plot.ly/plotly"), "HTML points at the plotly CDN");
        assertTrue(html.contains("plotly.js " + PlotlyJs.version()), "plotly.js not inlined");
        assertTrue(html.contains("Content-Security-Policy"));
        assertTrue(html.contains("GRU 归一化混淆矩阵"));
        assertTrue(html.length() > 900_000, "inlined plotly.js expected, got " + html.length() + " chars");
        String ts = figures.get("tablesaw").toHtml();
        assertFalse(REMOTE.matcher(ts).find(), "tablesaw figure HTML references a remote URL: " + find(ts));
    }

    @Test
    void remoteUrlRegexCatchesCdnScripts() {
        assertTrue(REMOTE.matcher("<script src=\"https://example.org/plotly.min.js\"></script>").find());
        assertTrue(REMOTE.matcher("<link rel=stylesheet href=//fonts.example/x.css>").find());
        assertFalse(REMOTE.matcher("<img src=\"data:image/png;base64,AAAA\">").find());
    }

    @Test
    void notebookBundleCarriesPngAndInlinesPlotlyOncePerSession() {
        Figures.resetNotebookSession();
        Figures.setInteractive(true);
        try {
            Map<String, String> first = figures.get("confusion").mimeBundle();
            assertTrue(first.get("text/plain").startsWith("Figure[LSTM - 混淆矩阵"));
            byte[] png = Base64.getDecoder().decode(first.get("image/png"));
            assertEquals((byte) 0x89, png[0]);
            assertEquals('P', png[1]);
            String html1 = first.get("text/html");
            assertTrue(html1.contains("<img src=\"data:image/png;base64,"), "PNG fallback missing from HTML");
            assertTrue(html1.contains("plotly-cartesian.min.js"), "first figure must inline plotly.js");
            assertFalse(REMOTE.matcher(html1).find());
            // later figures reuse window.Plotly (fake PNG: only the HTML is under test here)
            String html2 = figures.get("bar").notebookHtml("AAAA");
            assertFalse(html2.contains("plotly-cartesian.min.js"), "plotly.js inlined twice");
            assertTrue(html2.contains("window.Plotly"));
            System.out.println("rnnlab.plot: notebook text/html first figure " + html1.length()
                    + " chars, later figure " + html2.length() + " chars (of which PNG 4)");
            Figures.resetNotebookSession();
            assertTrue(figures.get("bar").notebookHtml("AAAA").contains("plotly-cartesian.min.js"));
        } finally {
            Figures.resetNotebookSession();
        }
    }

    @Test
    void notebookHtmlDrawsLiveChartsEvenUnderRequireJs(@TempDir Path tmp) throws Exception {
        Figures.resetNotebookSession();
        try {
            // a RequireJS-like define (classic Notebook): the inlined bundle must still set window.Plotly
            String page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><script>window.define = function(){"
                    + " document.title = 'AMD define was called'; }; window.define.amd = {};</script></head><body>"
                    + figures.get("bar").notebookHtml("AAAA") + figures.get("confusion").notebookHtml("AAAA")
                    + "</body></html>";
            Path html = tmp.resolve("nb.html");
            Files.writeString(html, page, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(Chromium.executable().orElseThrow().toString(), "--headless",
                    "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + tmp.resolve("profile"),
                    "--virtual-time-budget=10000", "--dump-dom", html.toUri().toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String dom = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            assertFalse(dom.contains("<title>AMD define was called"), "plotly.js registered as an AMD module");
            long charts = Pattern.compile("class=\"main-svg\"").matcher(dom).results().count();
            assertTrue(charts >= 2, "expected both live charts, found " + charts + " main-svg elements");
            assertFalse(dom.contains("<img src=\"data:image/png;base64,AAAA\""), "PNG placeholder not replaced");
        } finally {
            Figures.resetNotebookSession();
        }
    }

    @Test
    void varianceThresholdRejectsABlankImage() {
        BufferedImage white = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                white.setRGB(x, y, 0xffffff);
            }
        }
        assertTrue(lumaVariance(white) < 100);
    }

    @Test
    void fullBundleIsUsedForTracesOutsideTheCartesianOne() {
        assertEquals(PlotlyJs.Bundle.CARTESIAN, figures.get("normalized").bundle());
        assertEquals(PlotlyJs.Bundle.FULL, PlotlyJs.Bundle.forTraceTypes(List.of("scatter3d")));
        assertTrue(PlotlyJs.Bundle.FULL.covers(PlotlyJs.Bundle.CARTESIAN));
        assertFalse(PlotlyJs.Bundle.CARTESIAN.covers(PlotlyJs.Bundle.FULL));
    }

    @Test
    void withoutChromiumSaveFallsBackToHtml(@TempDir Path tmp) {
        System.setProperty("rnnlab.chromium", "none");
        try {
            assertFalse(Chromium.available());
            Path out = Figures.save(figures.get("bar"), tmp.resolve("bar.png"));
            assertEquals(tmp.resolve("bar.html"), out);
            assertTrue(Files.exists(out));
            assertFalse(Files.exists(tmp.resolve("bar.png")));
            Figure fresh = Figures.accuracyBar(Map.of("A", 0.5));
            Map<String, String> b = fresh.mimeBundle();
            assertEquals(List.of("text/plain", "text/html"), new ArrayList<>(b.keySet()));
        } finally {
            System.clearProperty("rnnlab.chromium");
            Figures.resetNotebookSession();
        }
    }

    @Test
    void badArgumentsGiveClearMessages() {
        Table t = Table.create("h", IntColumn.create("epoch", 1, 2), DoubleColumn.create("loss", 1.0, 0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Figures.trainingCurves(t));
        assertTrue(e.getMessage().contains("no column 'val_loss'"), e.getMessage());
        Table s = Table.create("h", StringColumn.create("epoch", "a"), DoubleColumn.create("loss", 1.0),
                DoubleColumn.create("val_loss", 1.0));
        e = assertThrows(IllegalArgumentException.class, () -> Figures.lossCurve(s));
        assertTrue(e.getMessage().contains("must be numeric"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Figures.confusionMatrix(new int[][] {{1, 2}, {3}}, List.of("a", "b"), "t"));
        assertTrue(e.getMessage().contains("counts[1] has 1 entries; expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Figures.confusionMatrix(new int[3][3], List.of("a", "b"), "t"));
        assertTrue(e.getMessage().contains("classNames has 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Figures.lossByIteration(new double[] {1}, 0));
        assertTrue(e.getMessage().contains("plot_every"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Figures.save(figures.get("bar"), dir.resolve("x.jpg")));
        assertTrue(e.getMessage().contains(".png, .svg, .html or .htm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> figures.get("bar").withSize(10, 300));
        assertTrue(e.getMessage().contains("[100, 4000]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Figures.accuracyBar(Map.of("x", Double.NaN)));
        assertTrue(e.getMessage().contains("accuracyByModel[x]"), e.getMessage());
    }

    @Test
    void resultsTableFormatsAndSaves() throws IOException {
        Table t = Table.create("测试结果", StringColumn.create("model", "LSTM", "RNN"),
                DoubleColumn.create("accuracy", 0.885, 0.65483), DoubleColumn.create("seconds", 2054.42, 803.57));
        TableView v = Figures.resultsTable(t);
        String html = v.toHtml();
        assertTrue(html.contains("<td style=\"padding:2px 10px;text-align:right\">0.6548</td>"), html);
        assertTrue(html.contains("<caption"), html);
        assertEquals("0.8850", v.cell(0, 1));
        String text = v.mimeBundle().get("text/plain");
        assertTrue(text.startsWith("测试结果\n") && text.contains(" LSTM    0.8850  2054.4200\n"), text);
        assertTrue(!text.contains("0.65483"), "the text view uses the same decimals as the HTML view: " + text);
        Path h = v.save(dir.resolve("results.html"));
        assertTrue(Files.readString(h).contains("测试结果"));
        Path c = v.save(dir.resolve("results.csv"));
        assertTrue(Files.readString(c).startsWith("model,accuracy,seconds"));
    }

    private static String find(String html) {
        var m = REMOTE.matcher(html);
        return m.find() ? html.substring(m.start(), Math.min(html.length(), m.end() + 60)) : "";
    }

    private static double lumaVariance(BufferedImage img) {
        double sum = 0;
        double sq = 0;
        long n = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                double l = 0.299 * ((rgb >> 16) & 255) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255);
                sum += l;
                sq += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }
}
