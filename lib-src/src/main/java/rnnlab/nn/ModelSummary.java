package rnnlab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Keras's {@code model.summary()} of a built {@link Model}: one {@link Model.Row} per layer (Keras
 * name and type, output shape with {@code None} for the batch, parameters of its DL4J layers) and
 * the TF 2.x text layout. What a row says about a layer comes from the layer's kind
 * ({@link Layer#kerasType()}, {@link Layer#kerasOutputShape}).
 */
final class ModelSummary {

    private static final int WIDTH = 65;

    private ModelSummary() {
    }

    /** The rows of a freshly built network (DL4J's Embedding later records the length of the data it saw). */
    static List<Model.Row> rows(Model.Meta meta, MultiLayerNetwork net) {
        List<InputType> types = net.getLayerWiseConfigurations().getLayerActivationTypes(meta.input().toInputType());
        List<Model.Row> out = new ArrayList<>();
        Shape prev = meta.input().kerasShape();
        for (int i = 0; i < meta.layers().size(); i++) {
            Layer l = meta.layers().get(i);
            int[] r = meta.ranges()[i];
            long params = 0;
            for (int j = r[0]; j < r[1]; j++) {
                params += net.getLayer(j).numParams();
            }
            Shape shape = l.kerasOutputShape(prev, r[1] > r[0] ? types.get(r[1] - 1) : null);
            out.add(new Model.Row(meta.names().get(i), l.kerasType(), shape, params));
            prev = shape;
        }
        return List.copyOf(out);
    }

    /** A DL4J activation type as Keras shows it: (batch, time, features), (batch, h, w, channels), (batch, n). */
    static Shape kerasShape(InputType t) {
        if (t instanceof InputType.InputTypeRecurrent r) {
            return Shape.of(0, r.getTimeSeriesLength(), r.getSize());
        }
        if (t instanceof InputType.InputTypeConvolutional c) {
            return Shape.of(0, c.getHeight(), c.getWidth(), c.getChannels());
        }
        if (t instanceof InputType.InputTypeFeedForward f) {
            return Shape.of(0, f.getSize());
        }
        return Shape.of(Arrays.stream(t.getShape(true)).map(v -> v < 0 ? 0 : v).toArray());
    }

    /** The summary text: model name, the layer table, totals (all parameters trainable). */
    static String text(String modelName, List<Model.Row> rows, long totalParams) {
        String rule = "_".repeat(WIDTH);
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"").append(modelName).append("\"\n").append(rule).append('\n');
        sb.append(row("Layer (type)", "Output Shape", "Param #")).append('\n');
        sb.append("=".repeat(WIDTH)).append('\n');
        for (Model.Row r : rows) {
            sb.append(row(r.name() + " (" + r.type() + ")", r.outputShape().toString(), Long.toString(r.params())))
                    .append('\n');
            sb.append(" ".repeat(WIDTH)).append('\n');
        }
        sb.append("=".repeat(WIDTH)).append('\n');
        sb.append("Total params: ").append(String.format(Locale.ROOT, "%,d", totalParams)).append('\n');
        sb.append("Trainable params: ").append(String.format(Locale.ROOT, "%,d", totalParams)).append('\n');
        sb.append("Non-trainable params: 0\n");
        sb.append(rule).append('\n');
        return sb.toString();
    }

    private static String row(String a, String b, String c) {
        return pad(" " + a, 29) + pad(b, 26) + pad(c, 10);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}
