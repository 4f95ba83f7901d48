package rnnlab.nn.dl4j.recurrent;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The off-heap working buffers of one direction of a {@link FusedRecurrentImpl}, time-major (row
 * {@code p·B + b} is time position p of sequence b), allocated outside DL4J's workspaces, grown when a
 * larger batch×time arrives and otherwise reused across calls; the step loops and the whole-sequence
 * products address them by element offsets (java.nio and {@link rnnlab.nn.dl4j.runtime.Blas Blas}), so they allocate nothing and
 * need no ND4J op: the computation can run on any thread. Package-private plumbing shared by the float
 * and double kernels.
 *
 * <p>The input {@code x} [N, nIn] and the outputs {@code hs} / output gradients {@code e} [N, ld] may
 * belong to someone else: a {@link FusedBidirectionalLayer} hands both directions the same input copy
 * and one [N, 2H] output buffer, the forward direction's H columns at {@code col = 0}, the backward
 * direction's at {@code col = H}, so neither reversal nor concatenation is ever materialised. The
 * backward direction ({@link #reverse}) reads the sequence from position T-1 down to 0.
 */
final class FusedBuffers {

    final FusedRecurrent.Cell cell;
    final DataType dt;
    final int nIn, h, g;
    int b = -1, t = -1;
    /** Process the time positions from T-1 down to 0 (the backward half of a bidirectional layer). */
    boolean reverse;

    /** [N, nIn] time-major input (owned, or shared by a bidirectional pair; see {@link #useInput}). */
    INDArray xFlat;
    /** [N, ld] outputs and output gradients; this direction's H columns start at {@link #col}. */
    INDArray hsFlat, eFlat;
    int ld, col;
    /** [N, G] pre-activations, then their gradients; GRU: [N, G] recurrent-side gradients. */
    INDArray zFlat, zhFlat;
    /** [B, H] recurrent-gradient scratch; GRU: [B, G] recurrent pre-activation scratch. */
    INDArray dhFlat, sFlat;
    /** Recurrent dropout: [N, H] the states h times the mask, by time position (used only with the mask). */
    INDArray hinFlat;

    /** Contiguous copies of the parameters, made on the caller's thread once per pass: W [nIn, G], RW [H, G], b. */
    INDArray wFlat, rwFlat, bFlat;
    /** Gradients computed here, in the memory order of DL4J's 'f' views: Wᵀ [G, nIn], RWᵀ [G, H], b [biases·H]. */
    INDArray gwFlat, grwFlat, gbFlat;

    private INDArray ownX, ownHs, ownE;

    FusedBuffers(FusedRecurrent.Cell cell, DataType dt, int nIn, int h) {
        this.cell = cell;
        this.dt = dt;
        this.nIn = nIn;
        this.h = h;
        this.g = cell.gates() * h;
        long nb = (long) cell.biases() * h;
        wFlat = Nd4j.createUninitializedDetached(dt, (long) nIn * g);
        rwFlat = Nd4j.createUninitializedDetached(dt, (long) h * g);
        bFlat = Nd4j.createUninitializedDetached(dt, nb);
        gwFlat = Nd4j.createUninitializedDetached(dt, (long) nIn * g);
        grwFlat = Nd4j.createUninitializedDetached(dt, (long) h * g);
        gbFlat = Nd4j.createUninitializedDetached(dt, nb);
    }

    /**
     * Makes the buffers fit batch {@code nb} × time {@code nt} (reuses them when they already do),
     * with this direction's own input and output buffers ({@code ld = H}).
     */
    void ensure(int nb, int nt, boolean masked) {
        long n = size(nb, nt);
        ownX = grow(ownX, n * nIn);
        ownHs = grow(ownHs, n * h);
        ownE = grow(ownE, n * h);
        xFlat = ownX;
        hsFlat = ownHs;
        eFlat = ownE;
        ld = h;
        col = 0;
        scratch(nb, nt, masked);
    }

    /** As {@link #ensure}, but with the input, output and output-gradient buffers of a bidirectional pair. */
    void share(int nb, int nt, boolean masked, INDArray x, INDArray hs, INDArray e, int ld, int col) {
        long n = size(nb, nt);
        if (x.length() < n * nIn || hs.length() < n * ld || e.length() < n * ld || col + h > ld) {
            throw new IllegalArgumentException("Fused" + cell + ": shared buffers too small");
        }
        xFlat = x;
        hsFlat = hs;
        eFlat = e;
        this.ld = ld;
        this.col = col;
        scratch(nb, nt, masked);
    }

    private long size(int nb, int nt) {
        long n = (long) nb * nt;
        if (n * Math.max(Math.max(g, nIn), 2L * h) >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Fused" + cell + ": batch " + nb + " x time " + nt
                    + " is too large for one call; use smaller batches");
        }
        return n;
    }

    private void scratch(int nb, int nt, boolean masked) {
        long n = (long) nb * nt;
        zFlat = grow(zFlat, n * g);
        dhFlat = grow(dhFlat, (long) nb * h);
        if (masked) {
            hinFlat = grow(hinFlat, n * h);
        }
        if (cell == FusedRecurrent.Cell.GRU) {
            zhFlat = grow(zhFlat, n * g);
            sFlat = grow(sFlat, (long) nb * g);
        }
        b = nb;
        t = nt;
    }

    /** Element offset of time position p's first row in a [N, width] buffer. */
    long row(int p, int width) {
        return (long) p * b * width;
    }

    /** The time position of processing step k (0 = the first step this direction computes). */
    int pos(int k) {
        return reverse ? t - 1 - k : k;
    }

    /** Copies the parameters (views of the network's, any order) into the contiguous buffers. */
    void loadParams(INDArray w, INDArray rw, INDArray bias) {
        if (w.rank() != 2 || w.size(0) != nIn || w.size(1) != g || rw.rank() != 2 || rw.size(0) != h || rw.size(1) != g) {
            throw new IllegalArgumentException("Fused" + cell + ": weights must be [" + nIn + ", " + g + "] and [" + h + ", "
                    + g + "], got " + java.util.Arrays.toString(w.shape()) + " and " + java.util.Arrays.toString(rw.shape()));
        }
        wFlat.reshape('c', nIn, g).assign(w);
        rwFlat.reshape('c', h, g).assign(rw);
        bFlat.assign(bias.reshape(bias.length()));
    }

    private INDArray grow(INDArray flat, long need) {
        return grow(dt, flat, need);
    }

    /**
     * {@code flat} if it holds at least {@code need} elements, else a new detached buffer of type
     * {@code dt} (1.5× the old size when that is more, so a slowly growing batch does not reallocate
     * every pass); the contents are not kept.
     */
    static INDArray grow(DataType dt, INDArray flat, long need) {
        if (flat != null && flat.length() >= need) {
            return flat;
        }
        long cap = flat == null ? need : Math.max(need, flat.length() + flat.length() / 2);
        return Nd4j.createUninitializedDetached(dt, cap);
    }
}
