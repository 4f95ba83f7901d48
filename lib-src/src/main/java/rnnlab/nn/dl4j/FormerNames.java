package rnnlab.nn.dl4j;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import rnnlab.nn.dl4j.conv.FastConvolution;
import rnnlab.nn.dl4j.conv.FastSubsampling;
import rnnlab.nn.dl4j.dense.FastDense;
import rnnlab.nn.dl4j.dense.FastOutput;
import rnnlab.nn.dl4j.dense.ScatterEmbedding;
import rnnlab.nn.dl4j.recurrent.BidirectionalLastStep;
import rnnlab.nn.dl4j.recurrent.FusedBidirectional;
import rnnlab.nn.dl4j.recurrent.FusedRecurrent;
import rnnlab.nn.dl4j.recurrent.GruLayer;
import rnnlab.nn.dl4j.recurrent.TimeSharedDropout;
import rnnlab.nn.dl4j.runtime.TorchUniformInit;

/**
 * Model files saved before {@code rnnlab.nn.dl4j} was split into sub-packages name its classes by their
 * former names in DL4J's configuration JSON ({@code "@class" : "rnnlab.nn.dl4j.recurrent.FusedRecurrent"});
 * {@link #upgrade} rewrites those to the current names so that {@code Model.load} still reads them.
 * Lists every class of these packages that a DL4J configuration can name (layer configurations, the
 * dropout and the weight initialiser).
 */
public final class FormerNames {

    private static final List<Class<?>> SERIALIZED = List.of(FusedRecurrent.class, GruLayer.class,
            FusedBidirectional.class, BidirectionalLastStep.class, TimeSharedDropout.class, FastConvolution.class,
            FastSubsampling.class, FastDense.class, FastOutput.class, ScatterEmbedding.class, TorchUniformInit.class);

    /** {@code "rnnlab.nn.dl4j.X"} → {@code "rnnlab.nn.dl4j.<sub-package>.X"}, quoted as in JSON. */
    private static final Map<String, String> QUOTED = SERIALIZED.stream().collect(Collectors.toUnmodifiableMap(
            c -> "\"rnnlab.nn.dl4j." + c.getSimpleName() + "\"", c -> "\"" + c.getName() + "\""));

    private FormerNames() {
    }

    /** {@code json} with every former class name (a whole JSON string) replaced by the current one. */
    public static String upgrade(String json) {
        if (!json.contains("\"rnnlab.nn.dl4j.")) {
            return json;
        }
        for (var e : QUOTED.entrySet()) {
            json = json.replace(e.getKey(), e.getValue());
        }
        return json;
    }
}
