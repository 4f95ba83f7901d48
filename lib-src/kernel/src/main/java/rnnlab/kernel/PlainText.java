package rnnlab.kernel;

import java.util.List;

import org.rapaio.jupyter.kernel.display.DefaultDisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplaySystem;

/**
 * Every value the kernel shows carries {@code text/plain}, as IPython's {@code __repr__} always does.
 * rapaio 3.0.1 renders plain values ({@code 1 + 1}, strings, booleans) and collections, tables and
 * images as {@code text/html} only (its default MIME type), so text-only front-ends (nbconvert to
 * markdown or script, {@code jupyter console}, VS Code's text renderer) show nothing. {@link #install}
 * replaces its fallback renderer and wraps its built-in ones; their HTML is kept as it was.
 * rnnlab's own renderers ({@link RnnlabDisplayProvider}) give text/plain themselves.
 */
final class PlainText {

    static final String TEXT = "text/plain";

    private PlainText() {
    }

    /** Makes {@code display}'s fallback and built-in renderers add text/plain. Idempotent. */
    @SuppressWarnings("unchecked")
    static void install(DisplaySystem display) throws ReflectiveOperationException {
        Upstream.field(DisplaySystem.class, "defaultDisplayRenderer").set(display, new Fallback());
        List<DisplayRenderer> builtIn = (List<DisplayRenderer>) Upstream.field(DisplaySystem.class, "systemDisplayRenderers").get(display);
        builtIn.replaceAll(r -> r instanceof WithText ? r : new WithText(r));
    }

    /** {@code dd}, with {@code o}'s text/plain form added if it has none (the renderer's own text form if it has one). */
    static DisplayData withText(DisplayData dd, DisplayRenderer renderer, String mime, Object o) {
        if (dd == null || dd.data().containsKey(TEXT)) {
            return dd;
        }
        Object text = null;
        if (renderer != null && !TEXT.equals(mime) && renderer.canRender(TEXT)) {
            DisplayData plain = renderer.render(TEXT, o);
            text = plain == null ? null : plain.data().get(TEXT);
        }
        dd.putData(TEXT, text != null ? text : String.valueOf(o));
        return dd;
    }

    /** rapaio's fallback renderer ({@code toString()} as the default MIME type), plus text/plain. */
    static final class Fallback extends DefaultDisplayRenderer {
        @Override
        public DisplayData render(String mime, Object o) {
            return withText(super.render(mime, o), null, mime, o);
        }
    }

    /** One of rapaio's built-in renderers (collections, images, tables), plus text/plain. */
    static final class WithText implements DisplayRenderer {
        private final DisplayRenderer inner;

        WithText(DisplayRenderer inner) {
            this.inner = inner;
        }

        @Override
        public Class<?> rendererClass() {
            return inner.rendererClass();
        }

        @Override
        public boolean canRender(String mime) {
            return inner.canRender(mime);
        }

        @Override
        public DisplayData render(String mime, Object o) {
            return withText(inner.render(mime, o), inner, mime, o);
        }
    }
}
