package rnnlab.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Maps torch.nn.{GRU,LSTM,RNN} parameters (one layer, torch names and shapes) onto DL4J layers.
 * <ul>
 *   <li>GRU ({@code rnnlab.nn.dl4j.recurrent.GruLayer}): W = weight_ih<sup>T</sup>, RW = weight_hh<sup>T</sup>
 *       (both gate order r, z, n, unchanged), b = [bias_ih, bias_hh].</li>
 *   <li>LSTM (DL4J {@code LSTM}): DL4J's gate blocks are ordered (g, f, o, i) = (cell candidate,
 *       forget, output, input) while torch uses (i, f, g, o); W and RW are the transposes with the
 *       blocks reordered; DL4J has one bias, so b = bias_ih + bias_hh (reordered).</li>
 *   <li>RNN (DL4J {@code SimpleRnn}): W = weight_ih<sup>T</sup>, RW = weight_hh<sup>T</sup>,
 *       b = bias_ih + bias_hh.</li>
 * </ul>
 */
final class TorchWeights {

    /** Position of each DL4J LSTM block in torch's order: DL4J block k is torch block LSTM_ORDER[k]. */
    private static final int[] LSTM_ORDER = {2, 1, 3, 0};

    private TorchWeights() {
    }

    @SuppressWarnings("unchecked")
    static INDArray matrix(Object nested) {
        List<List<Number>> l = (List<List<Number>>) nested;
        double[][] d = new double[l.size()][];
        for (int i = 0; i < d.length; i++) {
            d[i] = l.get(i).stream().mapToDouble(Number::doubleValue).toArray();
        }
        return Nd4j.create(d).castTo(DataType.DOUBLE);
    }

    @SuppressWarnings("unchecked")
    static INDArray row(Object nested) {
        double[] d = ((List<Number>) nested).stream().mapToDouble(Number::doubleValue).toArray();
        return Nd4j.create(d, 1, d.length).castTo(DataType.DOUBLE);
    }

    /** Reorders the column blocks (size h) of a [*, 4h] array from torch's to DL4J's LSTM order. */
    static INDArray lstmBlocks(INDArray a, int h) {
        INDArray out = a.dup();
        for (int k = 0; k < 4; k++) {
            int src = LSTM_ORDER[k];
            out.get(NDArrayIndex.all(), NDArrayIndex.interval(k * h, (k + 1) * h))
                    .assign(a.get(NDArrayIndex.all(), NDArrayIndex.interval(src * h, (src + 1) * h)));
        }
        return out;
    }

    static Map<String, INDArray> gruGradients(Map<String, Object> g, int in, int h) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("W", matrix(g.get("weight_ih_l0")).transpose());
        m.put("RW", matrix(g.get("weight_hh_l0")).transpose());
        m.put("b", Nd4j.concat(1, row(g.get("bias_ih_l0")), row(g.get("bias_hh_l0"))));
        return m;
    }

    static void loadGru(Layer layer, Map<String, Object> p) {
        gruGradients(p, 0, 0).forEach((k, v) -> layer.getParam(k).assign(v));
    }

    static Map<String, INDArray> lstmGradients(Map<String, Object> g, int in, int h) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("W", lstmBlocks(matrix(g.get("weight_ih_l0")).transpose(), h));
        m.put("RW", lstmBlocks(matrix(g.get("weight_hh_l0")).transpose(), h));
        // d/d(b_ih) = d/d(b_hh) = d/d(b_ih + b_hh): the single DL4J bias has torch's bias_ih gradient
        m.put("b", lstmBlocks(row(g.get("bias_ih_l0")), h));
        return m;
    }

    static void loadLstm(Layer layer, Map<String, Object> p) {
        int h = row(p.get("bias_ih_l0")).columns() / 4;
        layer.getParam("W").assign(lstmBlocks(matrix(p.get("weight_ih_l0")).transpose(), h));
        layer.getParam("RW").assign(lstmBlocks(matrix(p.get("weight_hh_l0")).transpose(), h));
        layer.getParam("b").assign(lstmBlocks(row(p.get("bias_ih_l0")).add(row(p.get("bias_hh_l0"))), h));
    }

    static Map<String, INDArray> simpleRnnGradients(Map<String, Object> g, int in, int h) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("W", matrix(g.get("weight_ih_l0")).transpose());
        m.put("RW", matrix(g.get("weight_hh_l0")).transpose());
        m.put("b", row(g.get("bias_ih_l0")));
        return m;
    }

    static void loadSimpleRnn(Layer layer, Map<String, Object> p) {
        layer.getParam("W").assign(matrix(p.get("weight_ih_l0")).transpose());
        layer.getParam("RW").assign(matrix(p.get("weight_hh_l0")).transpose());
        layer.getParam("b").assign(row(p.get("bias_ih_l0")).add(row(p.get("bias_hh_l0"))));
    }
}
