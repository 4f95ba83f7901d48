package rnnlab.train;

import java.util.List;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores the training batch from the forward pass DL4J makes inside {@code fit}, so training
 * accuracy is measured like Keras's: on the training-mode forward pass (dropout active), with the
 * parameters before the update. DL4J hands the listener the activations up to the input of the output
 * layer; the output layer itself is applied here (no dropout on its input). If the listener is not
 * called (truncated BPTT), {@link Trainer} falls back to an extra inference pass.
 */
final class OutputCapture extends BaseTrainingListener {

    private final MultiLayerNetwork net;
    private INDArray labels;
    private MetricAccumulator target;
    private boolean fired;

    OutputCapture(MultiLayerNetwork net) {
        this.net = net;
    }

    void arm(INDArray labels, MetricAccumulator target) {
        this.labels = labels;
        this.target = target;
        this.fired = false;
    }

    /** Stops scoring (between batches) but keeps {@link #fired()} of the last batch. */
    void disarm() {
        this.labels = null;
        this.target = null;
    }

    boolean fired() {
        return fired;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (labels == null || fired || model != net || activations == null || activations.isEmpty()) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            int last = net.getnLayers() - 1;
            INDArray in = activations.get(activations.size() - 1).dup();
            LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
            InputPreProcessor pp = net.getLayerWiseConfigurations().getInputPreProcess(last);
            if (pp != null) {
                in = pp.preProcess(in, (int) labels.size(0), mgr);
            }
            INDArray out = net.getOutputLayer().activate(in, false, mgr);
            target.addOutputs(out, labels);
            fired = true;
        }
    }
}
