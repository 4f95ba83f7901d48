package rnnlab.kernel;

import java.util.List;
import java.util.Map;

import org.rapaio.jupyter.kernel.display.DisplayData;
import org.rapaio.jupyter.kernel.display.DisplayRenderer;
import org.rapaio.jupyter.kernel.display.DisplayTransformer;
import org.rapaio.jupyter.kernel.display.spi.DisplayProvider;

import org.nd4j.linalg.api.ndarray.INDArray;
import tech.tablesaw.api.Table;

import rnnlab.display.Displayable;
import rnnlab.display.Html;

/**
 * Registers rnnlab's renderers with the rapaio Java kernel through its {@code DisplayProvider}
 * service: every {@link Displayable} shows as its full MIME bundle. Loaded by the kernel only; the
 * rest of the library never touches kernel classes.
 */
public final class RnnlabDisplayProvider implements DisplayProvider {

    @Override
    public List<DisplayRenderer> getDisplayRenderers() {
        return List.of(new DisplayableRenderer(), new TableRenderer(), new NdArrayRenderer());
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

    /** Renders a Tablesaw table as an HTML table (and its text form), like a pandas DataFrame. */
    static final class TableRenderer implements DisplayRenderer {
        @Override
        public Class<?> rendererClass() {
            return Table.class;
        }

        @Override
        public boolean canRender(String mime) {
            return true;
        }

        @Override
        public DisplayData render(String mime, Object o) {
            Table t = (Table) o;
            DisplayData dd = DisplayData.withType("text/plain", t.print(40));
            dd.putData("text/html", Html.table(t, 40));
            return dd;
        }
    }

    /** Renders an ND4J array as plain text with its shape and data type, like numpy's repr. */
    static final class NdArrayRenderer implements DisplayRenderer {
        @Override
        public Class<?> rendererClass() {
            return INDArray.class;
        }

        @Override
        public boolean canRender(String mime) {
            return true;
        }

        @Override
        public DisplayData render(String mime, Object o) {
            INDArray a = (INDArray) o;
            String text = a.toString() + "\nshape=" + java.util.Arrays.toString(a.shape()) + " dtype=" + a.dataType();
            return DisplayData.withType("text/plain", text);
        }
    }
}
