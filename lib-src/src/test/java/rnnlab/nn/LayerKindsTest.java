package rnnlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.api.Test;

import rnnlab.nn.Layer.Bidirectional;
import rnnlab.nn.Layer.Dense;
import rnnlab.nn.Layer.Embedding;
import rnnlab.nn.Layer.GRU;
import rnnlab.nn.Layer.LSTM;
import rnnlab.nn.Layer.SimpleRNN;

/** What each layer kind says about itself: its PyTorch print and count, its activation from the one table. */
class LayerKindsTest {

    @Test
    void kerasRecurrentLayersPrintAsTorchModulesAndCountTorchsSecondBias() {
        Model m = Sequential.of(new Embedding(50, 4), new Bidirectional(new LSTM(6).returnSequences(true)),
                new Bidirectional(new GRU(3)), new Dense(1, "sigmoid")).build();
        assertEquals(String.join("\n",
                "Sequential(",
                "  (0): Embedding(50, 4)",
                "  (1): LSTM(4, 6, batch_first=True, bidirectional=True)",
                "  (2): GRU(12, 3, batch_first=True, bidirectional=True)",
                "  (3): Linear(in_features=6, out_features=1, bias=True)",
                "  (4): Sigmoid()",
                ")"), m.toTorchString());
        // torch: LSTM(4, 6, bidirectional) 2·(4·6·(4+6) + 2·4·6) = 576, DL4J one bias less per gate: 528;
        // GRU(12, 3, bidirectional) 2·(3·3·(12+3) + 2·3·3) = 306 in both
        assertEquals(200 + 528 + 306 + 7, m.countParams());
        assertEquals(200 + 576 + 306 + 7, m.torchParamCount());

        Model rnn = new Sequential().inputSequence(0, 3).add(new SimpleRNN(5).named("rnn")).add(new Dense(2).named("fc")).build();
        assertEquals("Sequential(\n  (rnn): RNN(3, 5, batch_first=True)\n  (fc): Linear(in_features=5, out_features=2, bias=True)\n)",
                rnn.toTorchString());
        assertEquals(rnn.countParams() + 5, rnn.torchParamCount()); // b_hh of RNN(3, 5)
    }

    @Test
    void everyActivationOfTheTableIsBuiltAndPrintedFromIt() {
        for (Activations a : Activations.values()) {
            Model m = new Sequential().inputFeatures(3).add(new Dense(2, " " + a.kerasName().toUpperCase() + " ")).build();
            BaseLayer dense = (BaseLayer) m.network().getLayerWiseConfigurations().getConf(0).getLayer();
            assertEquals(a.dl4j().getActivationFunction().getClass(), dense.getActivationFn().getClass(), a.kerasName());
            assertEquals(a == Activations.LINEAR, !m.toTorchString().contains(a.torchModule()), m.toTorchString());
            assertTrue(Layer.ACTIVATIONS.contains(a.kerasName()), Layer.ACTIVATIONS);
        }
    }
}
