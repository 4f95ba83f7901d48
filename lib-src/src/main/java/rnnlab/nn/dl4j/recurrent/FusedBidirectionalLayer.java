package rnnlab.nn.dl4j.recurrent;

import java.util.Arrays;
import java.util.Map;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BidirectionalLayer;
import org.deeplearning4j.nn.params.BidirectionalParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.Blas;
import rnnlab.nn.dl4j.runtime.Parallel;

/**
 * The computation of {@link FusedBidirectional}: a bidirectional pair of {@link FusedRecurrentImpl}
 * directions that share one time-major copy of the input and write their outputs into the two column
 * halves of one time-major [T·B, 2H] buffer, the backward direction reading the sequence from the last
 * position to the first ({@link FusedBuffers#reverse}); DL4J's {@code BidirectionalLayer} instead
 * materialises a time-reversed input, a reversed output, their concatenation and, in backprop, reversed
 * gradients and a strided sum, which took more time than the two LSTMs' arithmetic (BACKEND.md). The
 * input gradient is one product per direction into the same rows (the second adds to the first) unless a
 * direction has input dropout.
 *
 * <p>The two directions are independent until their input gradients meet, so they run concurrently
 * as two pieces of {@link Parallel#forEach} (the caller and a helper thread), with OpenBLAS set to one
 * thread per call for that time: two single-threaded chains of small per-step products use two cores
 * better than one chain whose every product is split over two threads and joined, and when the machine
 * is busy and the helper is not scheduled, the caller runs both pieces itself instead of waiting. Off
 * with {@code -Drnnlab.fused.parallel=false} or with one {@link Parallel} thread. Results do not depend
 * on it (each direction does the same arithmetic either way).
 *
 * <p>Input dropout stays DL4J's: each direction applies its own {@code IDropout} to the input (own
 * masks), as DL4J's wrapper does; only the directions' order of drawing them differs.
 */
public class FusedBidirectionalLayer extends BidirectionalLayer {

    /** Run the directions concurrently (package-private and settable for the tests). */
    static volatile boolean parallel = !"false".equals(System.getProperty("rnnlab.fused.parallel"))
            && Runtime.getRuntime().availableProcessors() > 1;

    private final FusedRecurrentImpl fwd;
    private final FusedRecurrentImpl bwd;
    private INDArray input;
    /** Owned buffers: the time-major input (a second one when the directions' dropout differs), outputs, output gradients. */
    private INDArray x1, x2, hs, e;
    private DataType dt;

    /** Created by {@link FusedBidirectional#instantiate}. */
    public FusedBidirectionalLayer(NeuralNetConfiguration conf, FusedRecurrentImpl fwd, FusedRecurrentImpl bwd,
            INDArray paramsView) {
        super(conf, fwd, bwd, paramsView);
        this.fwd = fwd;
        this.bwd = bwd;
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        this.input = input;
        fwd.setInput(input, workspaceMgr);
        bwd.setInput(input, workspaceMgr);   // not reversed: the backward direction reads it backwards
    }

    @Override
    public INDArray input() {
        return input;
    }

    @Override
    public void setMaskArray(INDArray maskArray) {
        fwd.setMaskArray(maskArray);
        bwd.setMaskArray(maskArray);   // both reject masks with a message
    }

    @Override
    public void clear() {
        super.clear();
        input = null;
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        forward(training, true, workspaceMgr);
        FusedBuffers w = fwd.buffers();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dt, new long[] {w.t, w.b, 2L * w.h}, 'c');
        FusedRecurrentImpl.copyFlat(hs, out);
        return out.permute(1, 2, 0);
    }

    private void forward(boolean training, boolean newMask, LayerWorkspaceMgr workspaceMgr) {
        if (input == null) {
            throw new IllegalStateException("FusedBidirectional layer " + fwd.getIndex() + ": no input set");
        }
        INDArray xf = fwd.preparePass(training, newMask, workspaceMgr);
        INDArray xb = bwd.preparePass(training, newMask, workspaceMgr);
        int nb = (int) xf.size(0), nt = (int) xf.size(2);
        FusedBuffers wf = fwd.buffers(), wb = bwd.buffers();
        long n = (long) nb * nt, h = wf.h;
        if (dt != wf.dt) {
            dt = wf.dt;
            x1 = x2 = hs = e = null;
        }
        x1 = FusedBuffers.grow(dt, x1, n * wf.nIn);
        hs = FusedBuffers.grow(dt, hs, n * 2 * h);
        e = FusedBuffers.grow(dt, e, n * 2 * h);
        FusedRecurrentImpl.toTimeMajor(xf, x1);
        INDArray xbFlat = x1;
        if (xb != xf) {   // input dropout: each direction its own masked input
            x2 = FusedBuffers.grow(dt, x2, n * wf.nIn);
            FusedRecurrentImpl.toTimeMajor(xb, x2);
            xbFlat = x2;
        }
        wf.reverse = false;
        wb.reverse = true;
        wf.share(nb, nt, fwd.masked(), x1, hs, e, (int) (2 * h), 0);
        wb.share(nb, nt, bwd.masked(), xbFlat, hs, e, (int) (2 * h), (int) h);
        both(() -> fwd.computeForward(training), () -> bwd.computeForward(training));
        fwd.passDone(training ? xf : null);
        bwd.passDone(training ? xb : null);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!fwd.hasForwardFor(fwd.input()) || !bwd.hasForwardFor(bwd.input())) {
            forward(true, false, workspaceMgr);   // keeps the recurrent-dropout masks
        }
        FusedBuffers wf = fwd.buffers(), wb = bwd.buffers();
        int nb = wf.b, nt = wf.t, h = wf.h, nIn = wf.nIn, n = nb * nt;
        if (epsilon.rank() != 3 || epsilon.size(0) != nb || epsilon.size(1) != 2L * h || epsilon.size(2) != nt) {
            throw new IllegalArgumentException("FusedBidirectional layer " + fwd.getIndex() + ": output gradient has shape "
                    + Arrays.toString(epsilon.shape()) + ", expected [" + nb + ", " + 2 * h + ", " + nt + "]");
        }
        FusedRecurrentImpl.toTimeMajor(epsilon, e);
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, new long[] {nt, nb, nIn}, 'c');
        INDArray dx;
        if (!fwd.hasInputDropout() && !bwd.hasInputDropout()) {
            // one input gradient: each thread does its half of the rows, forward direction then backward added
            int half = n / 2;
            both(fwd::computeBackward, bwd::computeBackward);
            both(() -> {
                fwd.inputGradient(epsOut, 0, half, false);
                bwd.inputGradient(epsOut, 0, half, true);
            }, () -> {
                fwd.inputGradient(epsOut, half, n, false);
                bwd.inputGradient(epsOut, half, n, true);
            });
            dx = epsOut.permute(1, 2, 0);
        } else {
            INDArray epsB = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, new long[] {nt, nb, nIn}, 'c');
            both(() -> {
                fwd.computeBackward();
                fwd.inputGradient(epsOut, 0, n, false);
            }, () -> {
                bwd.computeBackward();
                bwd.inputGradient(epsB, 0, n, false);
            });
            dx = fwd.dropoutBackprop(epsOut.permute(1, 2, 0));
            dx.addi(bwd.dropoutBackprop(epsB.permute(1, 2, 0)));
        }
        Gradient g = new DefaultGradient(getGradientsViewArray());
        for (Map.Entry<String, INDArray> en : fwd.publishGradients().gradientForVariable().entrySet()) {
            g.gradientForVariable().put(BidirectionalParamInitializer.FORWARD_PREFIX + en.getKey(), en.getValue());
        }
        for (Map.Entry<String, INDArray> en : bwd.publishGradients().gradientForVariable().entrySet()) {
            g.gradientForVariable().put(BidirectionalParamInitializer.BACKWARD_PREFIX + en.getKey(), en.getValue());
        }
        fwd.passDone(null);
        bwd.passDone(null);
        return new Pair<>(g, dx);
    }

    /**
     * Runs {@code a} and {@code b} as two pieces of {@link Parallel#forEach} (the caller and a helper
     * thread; a caller that finds the helper not started takes both), with OpenBLAS at one thread per
     * call meanwhile; or both here in turn with OpenBLAS's own threads.
     */
    static void both(Runnable a, Runnable b) {
        if (!parallel || Parallel.threads() < 2) {
            a.run();
            b.run();
            return;
        }
        int threads = Blas.threads();
        Blas.setThreads(1);
        try {
            Parallel.forEach(2, 2, (piece, worker) -> (piece == 0 ? a : b).run());
        } finally {
            Blas.setThreads(threads);
        }
    }
}
