package rnnlab.plot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The local copy of plotly.js, read from the {@code org.webjars.bower:plotly.js} jar on the class
 * path: the library never points a browser at a CDN (tablesaw-jsplot's own page template does, which
 * is why rnnlab builds its pages itself).
 *
 * <p>Two minified bundles are used: the "cartesian" partial bundle (about 1 MB; scatter, bar, box,
 * heatmap, histogram, contour, pie, violin ...), enough for every figure {@link Figures} makes, and
 * the full bundle (about 3.4 MB) for anything else a tablesaw-jsplot figure may contain (3-D, OHLC).
 */
public final class PlotlyJs {

    /** Which minified plotly.js bundle a figure needs. */
    public enum Bundle {
        /** {@code dist/plotly-cartesian.min.js}: 2-D cartesian traces and pie. */
        CARTESIAN("plotly-cartesian.min.js"),
        /** {@code dist/plotly.min.js}: every trace type. */
        FULL("plotly.min.js");

        private final String file;

        Bundle(String file) {
            this.file = file;
        }

        /** The file name inside the webjar's {@code dist/} folder. */
        public String file() {
            return file;
        }

        /** Whether this bundle contains everything {@code needed} contains. */
        public boolean covers(Bundle needed) {
            return this == FULL || needed == CARTESIAN;
        }

        /** The smallest bundle that has every one of these Plotly trace types. */
        public static Bundle forTraceTypes(Collection<String> types) {
            return CARTESIAN_TYPES.containsAll(types) ? CARTESIAN : FULL;
        }
    }

    /** The trace modules registered by plotly-cartesian.min.js 1.54.1 (read from the bundle). */
    static final Set<String> CARTESIAN_TYPES = Set.of("bar", "box", "contour", "heatmap", "histogram",
            "histogram2d", "histogram2dcontour", "image", "pie", "scatter", "scatterternary", "violin");

    private static final String POM_PROPERTIES = "META-INF/maven/org.webjars.bower/plotly.js/pom.properties";
    private static final Map<Bundle, String> SOURCES = new EnumMap<>(Bundle.class);
    private static String version;

    private PlotlyJs() {
    }

    /** The plotly.js version of the webjar on the class path, e.g. {@code 1.54.1}. */
    public static synchronized String version() {
        if (version == null) {
            try (InputStream in = resource(POM_PROPERTIES)) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
            }
        }
        return version;
    }

    /** The minified JavaScript source of a bundle (cached after the first read). */
    public static synchronized String source(Bundle bundle) {
        return SOURCES.computeIfAbsent(bundle, b -> {
            String path = "META-INF/resources/webjars/plotly.js/" + version() + "/dist/" + b.file();
            try (InputStream in = resource(path)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read plotly.js from the class path at " + path, e);
            }
        });
    }

    /**
     * A {@code <script>} element defining {@code window.Plotly} from the inlined bundle. The bundle
     * is wrapped in a function whose parameters hide {@code define}, {@code module} and
     * {@code exports}, so under RequireJS (classic Jupyter Notebook) it still becomes a global
     * instead of an anonymous AMD module.
     */
    public static String scriptElement(Bundle bundle) {
        String js = source(bundle).replace("</script", "<\\/script");
        return "<script>/* plotly.js " + version() + " (" + bundle.file() + ") inlined by rnnlab.plot */\n"
                + "(function(define, module, exports){\n" + js + "\n}).call(window);</script>";
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = PlotlyJs.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("resource " + path + " is missing: put org.webjars.bower:plotly.js on the class path"
                    + " (it is a dependency of rnnlab's lib-src/pom.xml)");
        }
        return in;
    }
}
