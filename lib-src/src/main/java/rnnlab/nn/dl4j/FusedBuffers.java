package rnnlab.nn.dl4j;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The off-heap working buffers of one {@link FusedRecurrentImpl}, time-major (row {@code t·B + b} is
 * step t of sequence b), allocated outside DL4J's workspaces, grown when a larger batch×time arrives
 * and otherwise reused across calls; the step loops address them by element offsets (java.nio and
 * {@link Blas}), so they allocate nothing. Package-private plumbing shared by the float and double kernels.
 */
final class FusedBuffers {

    final FusedRecurrent.Cell cell;
    final DataType dt;
    final int nIn, h, g;
    int b = -1, t = -1;

    /** Flat bases (offset 0) whose java.nio views and {@link Blas} pointers the kernels read and write. */
    INDArray xFlat, zFlat, zhFlat, hsFlat, eFlat, dhFlat, sFlat, hinFlat, onesFlat;
    /** A contiguous copy [H, G] of the recurrent weights, made once per pass for {@link Blas}. */
    private INDArray rwFlat;
    /** [1, N] of ones: column sums (bias gradients) as one GEMM, much faster than ND4J's strided sum. */
    INDArray ones;
    /** [N, nIn] input, [N, G] pre-activations (then their gradients), [N, G] GRU recurrent-side gradients. */
    INDArray x, z, zh;
    /** [N, H] outputs; [N, H] incoming output gradient; [B, H] recurrent-gradient scratch. */
    INDArray hs, e, dh;
    /** GRU: [B, 3H] recurrent pre-activation scratch. */
    INDArray s;
    /** [B, H] the state h_{t-1} times the recurrent-dropout mask (any cell; used only when the mask is on). */
    INDArray hin;
    /** Rows [0, (T-1)B) of hs and rows [B, N) of z / zh: the operands of the recurrent-weight gradient. */
    INDArray hsHead, zTail, zhTail;

    FusedBuffers(FusedRecurrent.Cell cell, DataType dt, int nIn, int h) {
        this.cell = cell;
        this.dt = dt;
        this.nIn = nIn;
        this.h = h;
        this.g = cell.gates() * h;
    }

    /** Makes the buffers fit batch {@code nb} × time {@code nt} (reuses them when they already do). */
    void ensure(int nb, int nt) {
        if (nb == b && nt == t) {
            return;
        }
        long n = (long) nb * nt;
        if (n * Math.max(g, nIn) >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Fused" + cell + ": batch " + nb + " x time " + nt
                    + " is too large for one call; use smaller batches");
        }
        xFlat = grow(xFlat, n * nIn);
        zFlat = grow(zFlat, n * g);
        hsFlat = grow(hsFlat, n * h);
        eFlat = grow(eFlat, n * h);
        dhFlat = grow(dhFlat, (long) nb * h);
        if (onesFlat == null || onesFlat.length() < n) {
            onesFlat = grow(onesFlat, n).assign(1);
        }
        ones = rows(onesFlat, 1, n);
        x = rows(xFlat, n, nIn);
        z = rows(zFlat, n, g);
        hs = rows(hsFlat, n, h);
        e = rows(eFlat, n, h);
        dh = rows(dhFlat, nb, h);
        hinFlat = grow(hinFlat, (long) nb * h);
        hin = rows(hinFlat, nb, h);
        if (cell == FusedRecurrent.Cell.GRU) {
            zhFlat = grow(zhFlat, n * g);
            sFlat = grow(sFlat, (long) nb * g);
            zh = rows(zhFlat, n, g);
            s = rows(sFlat, nb, g);
        }
        if (nt > 1) {
            hsHead = hs.get(interval(0, (long) (nt - 1) * nb), all());
            zTail = z.get(interval((long) nb, n), all());
            zhTail = zh != null ? zh.get(interval((long) nb, n), all()) : null;
        } else {
            hsHead = zTail = zhTail = null;
        }
        b = nb;
        t = nt;
    }

    /** Copies the recurrent weights [H, G] (a view of the network's parameters) into an owned flat buffer. */
    INDArray recurrentWeights(INDArray rw) {
        if (rw.rank() != 2 || rw.size(0) != h || rw.size(1) != g) {
            throw new IllegalArgumentException("Fused" + cell + ": recurrent weights must be [" + h + ", " + g + "], got "
                    + java.util.Arrays.toString(rw.shape()));
        }
        if (rwFlat == null) {
            rwFlat = Nd4j.createUninitializedDetached(dt, (long) h * g);
        }
        rwFlat.reshape('c', h, g).assign(rw);
        return rwFlat;
    }

    private INDArray grow(INDArray flat, long need) {
        if (flat != null && flat.length() >= need) {
            return flat;
        }
        long cap = flat == null ? need : Math.max(need, flat.length() + flat.length() / 2);
        return Nd4j.createUninitializedDetached(dt, cap);
    }

    private static INDArray rows(INDArray flat, long r, long c) {
        return flat.get(interval(0, r * c)).reshape('c', r, c);
    }
}
