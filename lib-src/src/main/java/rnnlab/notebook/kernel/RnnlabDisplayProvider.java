package rnnlab.notebook.kernel;

import java.util.List;
import java.util.Map;

import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;

import rnnlab.notebook.Displayable;

/**
 * Registers rnnlab's renderers with the rapaio Java kernel through its {@code DisplayProvider}
 * service: every {@link Displayable} shows as its full MIME bundle. Loaded by the kernel only; the
 * rest of the library never touches kernel classes.
 */
public final class RnnlabDisplayProvider implements DisplayProvider {

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(new DisplayableRenderer());
    }

    @Override
    public List<DisplayTransformer> getDisplayTransformers() {
        return List.of();
    }

    /** Renders a {@link Displayable} as a multi-type display bundle. */
    static final class DisplayableRenderer implements DisplayRenderer {
        @Override
        public Class<?> rendererClass() {
            return Displayable.class;
        }

        @Override
        public boolean canRender(String mime) {
            return true;
        }

        @Override
        public DisplayData render(String mime, Object o) {
            Map<String, String> bundle = ((Displayable) o).mimeBundle();
            DisplayData dd = DisplayData.withType("text/plain", bundle.getOrDefault("text/plain", o.toString()));
            for (Map.Entry<String, String> e : bundle.entrySet()) {
                if (mime == null || mime.isBlank() || mime.equals(e.getKey()) || e.getKey().equals("text/plain")) {
                    dd.putData(e.getKey(), e.getValue());
                }
            }
            return dd;
        }
    }
}
