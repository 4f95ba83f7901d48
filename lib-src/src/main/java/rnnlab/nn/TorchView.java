package rnnlab.nn;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A built {@link Model} as PyTorch would show it: the module print of {@code print(model)} and the
 * parameter count of {@code sum(p.numel() for p in model.parameters())}. What each module prints
 * and adds to the count comes from the layer's kind ({@link Layer#torchModule},
 * {@link Layer#torchExtraParams()}, {@link Activations#torchModule()}).
 */
final class TorchView {

    private TorchView() {
    }

    /** DL4J's count plus what torch's modules have beyond it (the second recurrent bias). */
    static long paramCount(Model.Meta meta, long dl4jParams) {
        long extra = 0;
        for (Layer l : meta.layers()) {
            extra += l.torchExtraParams();
        }
        return dl4jParams + extra;
    }

    /**
     * The module print: layers with an explicit name under that name, others under their index as
     * in {@code nn.Sequential}; a non-linear activation as a module of its own after its layer
     * ({@code relu1}, {@code relu2}, ... after named layers).
     */
    static String print(Model.Meta meta, MultiLayerNetwork net) {
        boolean named = meta.layers().stream().anyMatch(l -> l.name() != null);
        String title = meta.name().equals("sequential") ? "Sequential" : meta.name();
        StringBuilder sb = new StringBuilder(title).append("(\n");
        int index = 0;
        Map<String, Integer> actCount = new HashMap<>();
        for (int i = 0; i < meta.layers().size(); i++) {
            Layer l = meta.layers().get(i);
            int[] r = meta.ranges()[i];
            long in = r[1] > r[0] ? nIn(net, r[0]) : -1;
            String key = named && l.name() != null ? l.name() : String.valueOf(index++);
            sb.append("  (").append(key).append("): ").append(l.torchModule(in)).append('\n');
            Activations act = l instanceof Layer.Activated a ? Activations.of(a.activation(), l.kerasType()) : null;
            if (act != null && act != Activations.LINEAR) {
                String mod = act.torchModule();
                String stem = mod.substring(0, mod.indexOf('(')).toLowerCase(Locale.ROOT);
                int k = actCount.merge(stem, 1, Integer::sum);
                String akey = named && l.name() != null ? stem + k : String.valueOf(index++);
                sb.append("  (").append(akey).append("): ").append(mod).append('\n');
            }
        }
        return sb.append(')').toString();
    }

    /** The input size of DL4J layer {@code dl4jIndex} (inside its wrappers), or -1 for a layer without one. */
    private static long nIn(MultiLayerNetwork net, int dl4jIndex) {
        org.deeplearning4j.nn.conf.layers.Layer l = net.getLayerWiseConfigurations().getConf(dl4jIndex).getLayer();
        while (true) {
            if (l instanceof Bidirectional b) {
                l = b.getFwd();
            } else if (l instanceof BaseWrapperLayer w) {
                l = w.getUnderlying();
            } else {
                break;
            }
        }
        return l instanceof FeedForwardLayer f ? f.getNIn() : -1;
    }
}
