package rnnlab.nn.dl4j.recurrent;

import java.util.Collection;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.LayerWiring;

/**
 * The output of Keras's {@code Bidirectional(layer, merge_mode='concat')} with
 * {@code return_sequences=False}, taken from the full bidirectional sequence [batch, 2H, time]: the
 * forward half at the last step and the backward half at step 0 (the backward layer's state after
 * reading the whole sequence backwards), concatenated to [batch, 2H]; torch's
 * {@code cat(h_n[-2], h_n[-1])}. Parameter-free. It exists because DL4J's {@code Bidirectional}
 * wrapping a {@code LastTimeStep} computes this forward but cannot back-propagate it (its backward
 * pass indexes the 2-d gradient as 3-d and throws), so such models could not be trained.
 */
public class BidirectionalLastStep extends NoParamLayer {

    /** For Jackson. */
    public BidirectionalLastStep() {
    }

    /** A named instance. */
    public BidirectionalLastStep(String name) {
        setLayerName(name);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new BidirectionalLastStepImpl(conf, networkDataType), initializer(), conf, listeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeRecurrent r)) {
            throw new IllegalArgumentException("BidirectionalLastStep '" + getLayerName()
                    + "' expects a sequence input [batch, 2H, time], got " + inputType);
        }
        return InputType.feedForward(r.getSize());
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, BidirectionalLastStep.class, inputType, getOutputType(-1, inputType))
                .standardMemory(0, 0)
                .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public String toString() {
        return "BidirectionalLastStep(" + getLayerName() + ")";
    }
}
