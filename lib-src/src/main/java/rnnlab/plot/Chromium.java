package rnnlab.plot;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import rnnlab.lab.Lab;

/**
 * Static rendering of {@link Figure}s through headless Chromium: the role kaleido plays for
 * plotly.py ({@code fig.write_image}). Hand-written because no Java library renders Plotly figures.
 *
 * <p>One Chromium process renders a whole batch: the figures go into one self-contained page (plotly.js
 * inlined), each is drawn and exported with {@code Plotly.toImage}, and the data URLs are read back
 * from {@code --dump-dom}. Chromium is found through {@code RNNLAB_CHROMIUM} /
 * {@code -Drnnlab.chromium} (a path to the executable) or else on the {@code PATH} as
 * {@code chromium}, {@code chromium-browser}, {@code google-chrome} or {@code google-chrome-stable};
 * {@code RNNLAB_CHROMIUM=none} turns static rendering off.
 * Chromium runs with host resolution disabled, so a figure can never fetch anything remote.
 * {@code -Drnnlab.plot.keepTemp=true} keeps the work folder (page, DOM dump, Chromium's stderr) for
 * debugging.
 */
public final class Chromium {

    /** Executable names looked up on the PATH, in order. */
    public static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome",
            "google-chrome-stable");

    private static final Pattern OUT = Pattern.compile("<pre id=\"rnnlab-out-(\\d+)\">([^<]*)</pre>");
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final long TIMEOUT_SECONDS = 180;

    private Chromium() {
    }

    /** The Chromium executable, if there is one; a wrongly set {@code RNNLAB_CHROMIUM} is an error. */
    public static Optional<Path> executable() {
        String set = Lab.setting("rnnlab.chromium", "RNNLAB_CHROMIUM");
        if (set != null) {
            if (set.equalsIgnoreCase("none")) {
                return Optional.empty();
            }
            Path p = Path.of(set);
            if (!Files.isExecutable(p)) {
                throw new IllegalArgumentException("RNNLAB_CHROMIUM / rnnlab.chromium is '" + set
                        + "', which is not an executable file; point it at the chromium binary, set it to 'none'"
                        + " to turn PNG/SVG rendering off, or unset it"
                        + " to search the PATH for " + NAMES);
            }
            return Optional.of(p);
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** True when static rendering (PNG, SVG) is possible. */
    public static boolean available() {
        return executable().isPresent();
    }

    /** Prints, once per JVM, the one sentence saying Chromium is missing and what happens instead. */
    static void warnMissingOnce() {
        if (WARNED.compareAndSet(false, true)) {
            System.err.println("rnnlab.plot: headless Chromium was not found (set RNNLAB_CHROMIUM or install the"
                    + " 'chromium' package), so figures are shown and saved as interactive HTML only, without PNG/SVG.");
        }
    }

    /** Output formats of {@link #render}. */
    public enum Format {
        /** PNG bytes. */
        PNG,
        /** SVG text as UTF-8 bytes. */
        SVG
    }

    /**
     * Renders figures with one Chromium process. {@code scale} multiplies the pixel size of PNGs
     * (1 gives exactly {@code width × height}).
     *
     * @throws IllegalStateException if Chromium is missing, fails or a figure fails to draw
     */
    public static List<byte[]> render(List<Figure> figures, Format format, double scale) {
        if (figures.isEmpty()) {
            return List.of();
        }
        if (!(scale > 0 && scale <= 8)) {
            throw new IllegalArgumentException("scale is " + scale + "; it must be in (0, 8], e.g. 1 or 2");
        }
        Path exe = executable().orElseThrow(() -> new IllegalStateException(
                "headless Chromium was not found: install the Debian package 'chromium' or set RNNLAB_CHROMIUM"
                        + " to the executable; searched the PATH for " + NAMES));
        Path work = null;
        try {
            work = Files.createTempDirectory("rnnlab-plot-");
            Path page = work.resolve("render.html");
            Files.writeString(page, renderPage(figures, format, scale), StandardCharsets.UTF_8);
            Path profile = Files.createDirectory(work.resolve("profile"));
            int w = figures.stream().mapToInt(Figure::width).max().orElse(800);
            int h = figures.stream().mapToInt(Figure::height).max().orElse(600);
            List<String> cmd = List.of(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions",
                    "--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir=" + profile,
                    "--hide-scrollbars", "--window-size=" + w + "," + h,
                    "--virtual-time-budget=" + (15000 + 5000L * figures.size()), "--dump-dom",
                    page.toUri().toString());
            Path stdout = work.resolve("stdout.html");
            Path stderr = work.resolve("stderr.txt");
            Process proc = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .start();
            if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IllegalStateException("Chromium did not finish rendering " + figures.size()
                        + " figure(s) within " + TIMEOUT_SECONDS + " s");
            }
            String dom = Files.readString(stdout, StandardCharsets.UTF_8);
            List<byte[]> out = parse(dom, figures.size(), format);
            if (out == null) {
                throw new IllegalStateException("Chromium (" + exe + ") exited with " + proc.exitValue()
                        + " without producing the figures; its stderr: "
                        + tail(Files.readString(stderr, StandardCharsets.UTF_8)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("rendering figures with Chromium failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while Chromium was rendering", e);
        } finally {
            if (Boolean.getBoolean("rnnlab.plot.keepTemp")) {
                System.err.println("rnnlab.plot: kept Chromium work folder " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    private static String renderPage(List<Figure> figures, Format format, double scale) {
        StringBuilder sb = new StringBuilder(1 << 20);
        PlotlyJs.Bundle bundle = figures.stream().map(Figure::bundle)
                .reduce((a, b) -> a.covers(b) ? a : b).orElse(PlotlyJs.Bundle.CARTESIAN);
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\">")
                .append("<style>body{margin:0;background:#fff}</style>")
                .append(PlotlyJs.scriptElement(bundle)).append("</head><body>\n");
        for (int i = 0; i < figures.size(); i++) {
            Figure f = figures.get(i);
            sb.append("<div id=\"rnnlab-fig-").append(i).append("\" style=\"width:").append(f.width())
                    .append("px;height:").append(f.height()).append("px\"></div><pre id=\"rnnlab-out-")
                    .append(i).append("\"></pre>\n");
        }
        sb.append("<script>\nvar rnnlabPlots = [\n");
        for (int i = 0; i < figures.size(); i++) {
            sb.append("function(){\n").append(figures.get(i).plotScript("rnnlab-fig-" + i, true)).append("\n},\n");
        }
        sb.append("];\n(async function(){\n  for (var i = 0; i < rnnlabPlots.length; i++) {\n")
                .append("    var out = document.getElementById('rnnlab-out-' + i);\n")
                .append("    try {\n      await rnnlabPlots[i]();\n")
                .append("      var gd = document.getElementById('rnnlab-fig-' + i);\n")
                .append("      out.textContent = await Plotly.toImage(gd, {format: '")
                .append(format == Format.PNG ? "png" : "svg").append("', width: gd._fullLayout.width,")
                .append(" height: gd._fullLayout.height, scale: ").append(scale).append("});\n")
                .append("      Plotly.purge(gd);\n")
                .append("    } catch (e) { out.textContent = 'error: ' + (e && e.message ? e.message : e); }\n")
                .append("  }\n})();\n</script></body></html>\n");
        return sb.toString();
    }

    private static List<byte[]> parse(String dom, int n, Format format) {
        String[] urls = new String[n];
        Matcher m = OUT.matcher(dom);
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (i < n) {
                urls[i] = m.group(2).replace("&amp;", "&");
            }
        }
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String u = urls[i];
            if (u == null || u.isEmpty()) {
                return null;
            }
            if (u.startsWith("error:")) {
                throw new IllegalStateException("Plotly could not draw figure " + i + ": " + u.substring(6).trim());
            }
            if (format == Format.PNG) {
                String prefix = "data:image/png;base64,";
                if (!u.startsWith(prefix)) {
                    throw new IllegalStateException("figure " + i + ": expected a PNG data URL, got "
                            + u.substring(0, Math.min(40, u.length())));
                }
                out.add(Base64.getDecoder().decode(u.substring(prefix.length())));
            } else {
                int comma = u.indexOf(',');
                if (!u.startsWith("data:image/svg+xml") || comma < 0) {
                    throw new IllegalStateException("figure " + i + ": expected an SVG data URL");
                }
                out.add(URLDecoder.decode(u.substring(comma + 1), StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() > 2000 ? "..." + t.substring(t.length() - 2000) : t;
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp folder is harmless
        }
    }
}
