package rnnlab.nn.dl4j.conv;

import java.nio.FloatBuffer;
import java.util.Arrays;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import rnnlab.nn.dl4j.runtime.Blas;
import rnnlab.nn.dl4j.runtime.Parallel;
import rnnlab.nn.dl4j.runtime.Strides;

/**
 * The float computation of {@link FastConvolutionImpl} on wide planes (see {@link ConvKernel} for the
 * layout and the two paths). Every hot loop is a small static method whose arrays all use the same
 * index (the form C2 vectorises); plane shifts are {@code System.arraycopy} or off-heap bulk copies.
 * Buffers are kept across calls and re-made only when the geometry changes.
 *
 * <p>Of this class and its precision twin only the single-precision source is edited: the
 * double-precision one is generated from it at build time (lib-src/pom.xml, phase generate-sources)
 * by the substitutions in {@code lib-src/src/twins/twin-substitutions.properties}, and
 * {@code rnnlab.nn.dl4j.DoubleTwinsTest} checks that it was.
 */
final class ConvKernelF extends ConvKernel {

    /** Images per piece of the reductions (weight and bias gradients): fixed, so results do not depend on the thread count. */
    private static final int CHUNK = 8;

    /** Compact input staging [n·c·h·w] (padded layouts only) and padded input planes [n·c][hw] flat. */
    private float[] xs = new float[0], xp = new float[0];
    /** Weights [oc][k] flat, bias [oc], weight gradient [oc][k] flat, bias gradient [oc]. */
    private float[] wt = new float[0], bs = new float[0], gw = new float[0], gb = new float[0];
    /** Compact output / output-gradient staging [n·oc·oh·ow]; compact input gradient [n·c·h·w]; Z<sup>T</sup> [r, oc]. */
    private float[] ys = new float[0], dx = new float[0], zs = new float[0];
    /** Wide activations and output gradients per (image, output channel): [n·oc][len]. */
    private float[][] act = new float[0][], dz = new float[0][];
    /** Per worker thread: one shifted plane [hw]; one patch-gradient row [len]. */
    private float[][] tmps = new float[0][], rowBufs = new float[0][];
    /** Per worker thread: per-position accumulators [oc][len]; one image's padded input gradient [c][hw]. */
    private float[][][] accs = new float[0][][], dxws = new float[0][][];
    /** Per worker thread, direct input gradient: per output channel, Δ behind {@code front} zeros, and its shifted copy. */
    private float[][][] dzPads = new float[0][][], dzShifts = new float[0][][];
    /**
     * Vector API input gradient: per worker thread, every output channel's Δ behind {@code front} zeros in
     * one array (rows of {@code front + hw + SLACK}); the weights as [c][oc·kh·kw]; the offset of each
     * (output channel, tap)'s shifted row in the first.
     */
    private float[][] dzFlats = new float[0][];
    private float[] wtT = new float[0];
    private int[] dzOffs = new int[0];
    /** Per piece of {@link #CHUNK} images: weight-gradient [oc·k] and bias-gradient [oc] partial sums. */
    private double[][] gwPart = new double[0][], gbPart = new double[0][];
    /** GEMM path, off-heap: patch matrix [k, r], Z<sup>T</sup> [r, oc], Δ [oc, r], W [oc, k], dW per piece [pieces·oc, k]. */
    private INDArray col, zT, dzBuf, wBuf, gwBuf;

    @Override
    boolean shape(int n, int c, int h, int w, int oc, int kh, int kw, int ph, int pw) {
        if (!super.shape(n, c, h, w, oc, kh, kw, ph, pw)) {
            return false;
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        xs = ph == 0 && pw == 0 ? new float[0] : new float[n * c * h * w];
        xp = new float[n * c * hw + SLACK];
        wt = new float[oc * k];
        gw = new float[oc * k];
        bs = new float[oc];
        gb = new float[oc];
        ys = new float[n * oc * oh * ow];
        dx = new float[n * c * h * w];
        act = new float[n * oc][len + SLACK];
        dz = new float[n * oc][len + SLACK];
        wtT = new float[vector ? c * oc * kh * kw : 0];
        dzOffs = new int[0];
        if (vector) {
            int taps = kh * kw, front = (kh - 1) * wp + kw - 1, row = front + hw + SLACK;
            dzOffs = new int[oc * taps];
            for (int o = 0; o < oc; o++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        dzOffs[(o * kh + ky) * kw + kx] = o * row + front - ky * wp - kx;
                    }
                }
            }
        }
        tmps = new float[0][];
        scratch();
        gwPart = new double[chunks][oc * k];
        gbPart = new double[chunks][oc];
        zs = new float[0];
        col = zT = dzBuf = wBuf = gwBuf = null;
        if (!direct) {
            DataType dt = DataType.FLOAT;
            col = Nd4j.createUninitializedDetached(dt, k, r);
            zT = Nd4j.createUninitializedDetached(dt, r, oc);
            dzBuf = Nd4j.createUninitializedDetached(dt, oc, r);
            wBuf = Nd4j.createUninitializedDetached(dt, oc, k);
            gwBuf = Nd4j.createUninitializedDetached(dt, chunks * oc, k);
            zs = new float[r * oc];
        }
        return true;
    }

    /** (Re-)makes the per-worker scratch arrays when the thread count is not the one they were made for. */
    private void scratch() {
        int threads = Parallel.threads();
        if (tmps.length != threads) {
            tmps = new float[threads][hw];
            rowBufs = new float[threads][len];
            accs = new float[threads][oc][len];
            dxws = new float[threads][c][hw + SLACK];
            dzFlats = new float[threads][];
            dzPads = new float[threads][][];
            dzShifts = new float[threads][][];
        }
    }

    // ---- forward ----

    @Override
    void forward(INDArray x, INDArray weights, INDArray bias, boolean relu, INDArray out) {
        scratch();
        readPadded(x);
        read(weights, wt, oc * k);
        if (bias != null) {
            read(bias, bs, oc);
        } else {
            Arrays.fill(bs, 0f);
        }
        FloatBuffer outBuf = direct(out, n * oc * oh * ow);
        int outOff = outBuf == null ? 0 : (int) out.offset();
        if (direct) {
            Parallel.forEach(n, tmps.length, (in, wk) -> {
                forwardImage(in, tmps[wk]);
                finishImage(in, relu, outBuf, outOff);
            });
        } else {
            buffer(wBuf).put(0, wt, 0, oc * k);
            Parallel.forEach(gbPart.length, tmps.length, (ch, wk) -> forwardGemm(ch, relu, outBuf, outOff));
        }
        if (outBuf == null) {
            write(ys, n * oc * oh * ow, out);
        }
    }

    /** Reads x [n, c, h, w] into the interior of the padded planes (the padding stays zero). */
    private void readPadded(INDArray x) {
        int count = n * c * h * w;
        if (ph == 0 && pw == 0) {
            read(x, xp, count);
            return;
        }
        read(x, xs, count);
        for (int p = 0; p < n * c; p++) {
            for (int iy = 0; iy < h; iy++) {
                System.arraycopy(xs, (p * h + iy) * w, xp, p * hw + (iy + ph) * wp + pw, w);
            }
        }
    }

    /**
     * GEMM path, images of piece {@code ch}: their columns of the patch matrix, their rows of
     * Z<sup>T</sup> = col<sup>T</sup>W<sup>T</sup> (OpenBLAS on this thread, {@link Blas#gemmInCaller}),
     * then bias and activation ({@link #finishImage}).
     */
    private void forwardGemm(int ch, boolean relu, FloatBuffer outBuf, int outOff) {
        int from = ch * CHUNK, end = Math.min(n, from + CHUNK), rows = (end - from) * len;
        FloatBuffer cb = buffer(col);
        for (int in = from; in < end; in++) {
            patchColumns(in, cb);
        }
        Blas.gemmInCaller(true, true, rows, oc, k, col, (long) from * len, r, wBuf, 0, k, 0, zT, (long) from * len * oc, oc);
        buffer(zT).get(from * len * oc, zs, from * len * oc, rows * oc);
        for (int in = from; in < end; in++) {
            for (int o = 0; o < oc; o++) {
                gatherColumn(act[in * oc + o], zs, in * len * oc + o, oc, bs[o], len);
            }
            finishImage(in, relu, outBuf, outOff);
        }
    }

    /** GEMM path: image {@code in}'s columns of the patch matrix, one bulk copy per tap (row). */
    private void patchColumns(int in, FloatBuffer cb) {
        for (int ci = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    cb.put(((ci * kh + ky) * kw + kx) * r + in * len, xp, (in * c + ci) * hw + ky * wp + kx, len);
                }
            }
        }
    }

    /** Direct path: the wide output planes of image {@code in} = bias + Σ over taps of w · shifted input. */
    private void forwardImage(int in, float[] tmp) {
        int a0 = in * oc;
        for (int o = 0; o < oc; o++) {
            Arrays.fill(act[a0 + o], bs[o]);
        }
        if (vector) {
            VectorConvFloat.shiftedProduct(act, a0, oc, wt, k, k, xp, in * c * hw, offs, len);
            return;
        }
        for (int ci = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    System.arraycopy(xp, (in * c + ci) * hw + ky * wp + kx, tmp, 0, len);
                    int t = (ci * kh + ky) * kw + kx, o = 0;
                    for (; o + 3 < oc; o += 4) {
                        axpy4(act[a0 + o], act[a0 + o + 1], act[a0 + o + 2], act[a0 + o + 3], wt[o * k + t],
                                wt[(o + 1) * k + t], wt[(o + 2) * k + t], wt[(o + 3) * k + t], tmp, len);
                    }
                    for (; o < oc; o++) {
                        axpy(act[a0 + o], wt[o * k + t], tmp, len);
                    }
                }
            }
        }
    }

    /**
     * Activation in place on the wide planes of image {@code in}, then their valid columns into the compact
     * output, and from there into {@code outBuf} (the result's buffer, from {@code outOff}) on this thread
     * unless it is null.
     */
    private void finishImage(int in, boolean relu, FloatBuffer outBuf, int outOff) {
        for (int o = 0; o < oc; o++) {
            float[] a = act[in * oc + o];
            if (relu) {
                relu(a, len);
            }
            int dst = (in * oc + o) * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                System.arraycopy(a, oy * wp, ys, dst + oy * ow, ow);
            }
        }
        if (outBuf != null) { // the image's outputs straight into the result, on this thread
            int at = in * oc * oh * ow;
            outBuf.put(outOff + at, ys, at, oc * oh * ow);
        }
    }

    // ---- backward ----

    @Override
    void backward(INDArray epsilon, INDArray weights, boolean relu, INDArray gW, INDArray gB, INDArray epsOut) {
        scratch();
        FloatBuffer epsBuf = direct(epsilon, n * oc * oh * ow);
        int epsOff = epsBuf == null ? 0 : (int) epsilon.offset(), perImage = oc * oh * ow;
        if (epsBuf == null) {
            read(epsilon, ys, n * oc * oh * ow);
        }
        read(weights, wt, oc * k);
        boolean inputGradient = epsOut != null;
        if (vector && inputGradient) {
            int taps = kh * kw;
            for (int o = 0; o < oc; o++) {
                for (int ci = 0; ci < c; ci++) {
                    System.arraycopy(wt, o * k + ci * taps, wtT, (ci * oc + o) * taps, taps);
                }
            }
        }
        if (!direct) {
            buffer(wBuf).put(0, wt, 0, oc * k);
        }
        int chunks = gbPart.length;
        Parallel.forEach(chunks, tmps.length, (ch, wk) -> {
            if (epsBuf != null) { // the piece's output gradients read on its own thread
                int from = ch * CHUNK, count = Math.min(n, from + CHUNK) - from;
                epsBuf.get(epsOff + from * perImage, ys, from * perImage, count * perImage);
            }
            outputGradient(ch, relu, accs[wk]);
            if (!direct) {
                backwardGemm(ch, inputGradient, dxws[wk], tmps[wk], rowBufs[wk]);
                return;
            }
            weightGradientDirect(ch, accs[wk], tmps[wk]);
            if (inputGradient) {
                for (int in = ch * CHUNK, end = Math.min(n, in + CHUNK); in < end; in++) {
                    inputGradientDirect(in, wk);
                }
            }
        });
        if (gB != null) {
            for (int o = 0; o < oc; o++) {
                double s = 0;
                for (int ch = 0; ch < chunks; ch++) {
                    s += gbPart[ch][o];
                }
                gb[o] = (float) s;
            }
            write(gb, oc, gB);
        }
        if (!direct) {
            FloatBuffer pb = buffer(gwBuf);
            for (int ch = 0; ch < chunks; ch++) {
                pb.get(ch * oc * k, gw, 0, oc * k);
                for (int i = 0; i < oc * k; i++) {
                    gwPart[ch][i] = gw[i];
                }
            }
        }
        for (int i = 0; i < oc * k; i++) {
            double s = 0;
            for (int ch = 0; ch < chunks; ch++) {
                s += gwPart[ch][i];
            }
            gw[i] = (float) s;
        }
        write(gw, oc * k, gW);
        if (inputGradient) {
            write(dx, n * c * h * w, epsOut);
        }
    }

    /**
     * Images of piece {@code ch}: Δ = ε × act' on the wide planes (the unused columns stay 0), their
     * bias-gradient partial sums, and on the GEMM path their columns of the off-heap Δ.
     */
    private void outputGradient(int ch, boolean relu, float[][] acc) {
        FloatBuffer db = direct ? null : buffer(dzBuf);
        for (int o = 0; o < oc; o++) {
            Arrays.fill(acc[o], 0f);
        }
        for (int in = ch * CHUNK, end = Math.min(n, in + CHUNK); in < end; in++) {
            for (int o = 0; o < oc; o++) {
                float[] d = dz[in * oc + o];
                int src = (in * oc + o) * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    System.arraycopy(ys, src + oy * ow, d, oy * wp, ow);
                }
                if (relu) {
                    reluMask(d, act[in * oc + o], UNIT_SCALE_Float, len);
                }
                add(acc[o], d, len);
                if (db != null) {
                    db.put(o * r + in * len, d, 0, len);
                }
            }
        }
        for (int o = 0; o < oc; o++) {
            gbPart[ch][o] = sum(acc[o], len);
        }
    }

    /**
     * GEMM path, images of piece {@code ch} (their Δ columns are in {@link #dzBuf}): the piece's weight
     * gradient Δ col<sup>T</sup> into its block of {@link #gwBuf}, and if wanted dL/dx
     * ({@link #patchGradientImage}).
     */
    private void backwardGemm(int ch, boolean inputGradient, float[][] dxw, float[] tmp, float[] row) {
        int from = ch * CHUNK, end = Math.min(n, from + CHUNK), cols = (end - from) * len;
        long c0 = (long) from * len;
        Blas.gemmInCaller(false, true, oc, k, cols, dzBuf, c0, r, col, c0, r, 0, gwBuf, (long) ch * oc * k, k);
        if (!inputGradient) {
            return;
        }
        for (int in = from; in < end; in++) {
            patchGradientImage(in, dxw, tmp, row);
        }
    }

    /** Direct path, images of piece {@code ch}: dW[o, t] partial = Σ over images and positions of Δ[o] × the input shifted by tap t. */
    private void weightGradientDirect(int ch, float[][] acc, float[] tmp) {
        int from = ch * CHUNK, end = Math.min(n, from + CHUNK);
        if (vector) {
            VectorConvFloat.shiftedCorrelation(gwPart[ch], oc, k, dz, from, end, xp, c * hw, offs, len);
            return;
        }
        for (int ci = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    for (int o = 0; o < oc; o++) {
                        Arrays.fill(acc[o], 0f);
                    }
                    for (int in = from; in < end; in++) {
                        System.arraycopy(xp, (in * c + ci) * hw + ky * wp + kx, tmp, 0, len);
                        int d0 = in * oc, o = 0;
                        for (; o + 1 < oc; o += 2) {
                            mac2(acc[o], acc[o + 1], dz[d0 + o], dz[d0 + o + 1], tmp, len);
                        }
                        for (; o < oc; o++) {
                            mac(acc[o], dz[d0 + o], tmp, len);
                        }
                    }
                    int t = (ci * kh + ky) * kw + kx;
                    for (int o = 0; o < oc; o++) {
                        gwPart[ch][o * k + t] = sum(acc[o], len);
                    }
                }
            }
        }
    }

    /**
     * Direct path, image {@code in}: dL/dx as the full correlation of Δ with the kernel. Padded input
     * position p receives w[o, ci, ky, kx] · Δ[o][p − ky·wp − kx]; Δ placed behind {@code front} zeros
     * makes each tap one shifted copy (positions outside the output and the unused columns read zeros).
     */
    private void inputGradientDirect(int in, int wk) {
        int front = (kh - 1) * wp + kw - 1;
        if (vector) {
            int row = front + hw + SLACK, taps = kh * kw;
            if (dzFlats[wk] == null || dzFlats[wk].length != oc * row) {
                dzFlats[wk] = new float[oc * row]; // only [front, front + len) of each row is ever written
            }
            float[] flat = dzFlats[wk];
            for (int o = 0; o < oc; o++) {
                System.arraycopy(dz[in * oc + o], 0, flat, o * row + front, len);
            }
            float[][] dxw = dxws[wk];
            for (int ci = 0; ci < c; ci++) {
                Arrays.fill(dxw[ci], 0f);
            }
            VectorConvFloat.shiftedProduct(dxw, 0, c, wtT, oc * taps, oc * taps, flat, 0, dzOffs, hw);
            unpadImage(in, dxw);
            return;
        }
        if (dzPads[wk] == null || dzPads[wk].length != oc || dzPads[wk][0].length != front + hw) {
            dzPads[wk] = new float[oc][front + hw];
            dzShifts[wk] = new float[oc][hw];
        }
        float[][] dzPad = dzPads[wk], dzShift = dzShifts[wk], dxw = dxws[wk];
        int taps = kh * kw;
        for (int ci = 0; ci < c; ci++) {
            Arrays.fill(dxw[ci], 0f);
        }
        for (int o = 0; o < oc; o++) {
            System.arraycopy(dz[in * oc + o], 0, dzPad[o], front, len); // the rest stays 0
        }
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                int from = front - ky * wp - kx, t = ky * kw + kx;
                for (int o = 0; o < oc; o++) {
                    System.arraycopy(dzPad[o], from, dzShift[o], 0, hw);
                }
                for (int ci = 0; ci < c; ci++) {
                    int wi = ci * taps + t, o = 0;
                    for (; o + 3 < oc; o += 4) {
                        gather4(dxw[ci], wt[o * k + wi], wt[(o + 1) * k + wi], wt[(o + 2) * k + wi], wt[(o + 3) * k + wi],
                                dzShift[o], dzShift[o + 1], dzShift[o + 2], dzShift[o + 3], hw);
                    }
                    for (; o < oc; o++) {
                        axpy(dxw[ci], wt[o * k + wi], dzShift[o], hw);
                    }
                }
            }
        }
        unpadImage(in, dxw);
    }

    /**
     * GEMM path, image {@code in}: dL/dx as the scatter-add (col2im) of its patch gradients, each row
     * Σ<sub>o</sub> W[o, t]·Δ[o] computed here by vectorised loops (as one OpenBLAS product it had to be
     * cut into 150×109×16 calls to stay on one thread, and those cost 2.1 ms per LeNet step), shifted
     * into place by the copy.
     */
    private void patchGradientImage(int in, float[][] dxw, float[] tmp, float[] row) {
        int d0 = in * oc;
        for (int ci = 0; ci < c; ci++) {
            float[] d = dxw[ci];
            Arrays.fill(d, 0f);
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    int t = (ci * kh + ky) * kw + kx, off = ky * wp + kx, o = 0;
                    Arrays.fill(row, 0f);
                    for (; o + 3 < oc; o += 4) {
                        gather4(row, wt[o * k + t], wt[(o + 1) * k + t], wt[(o + 2) * k + t], wt[(o + 3) * k + t],
                                dz[d0 + o], dz[d0 + o + 1], dz[d0 + o + 2], dz[d0 + o + 3], len);
                    }
                    for (; o < oc; o++) {
                        axpy(row, wt[o * k + t], dz[d0 + o], len);
                    }
                    System.arraycopy(row, 0, tmp, off, len);
                    addRange(d, tmp, off, off + len);
                }
            }
        }
        unpadImage(in, dxw);
    }

    /** The interior of image {@code in}'s padded input gradient into the compact one. */
    private void unpadImage(int in, float[][] dxw) {
        for (int ci = 0; ci < c; ci++) {
            for (int iy = 0; iy < h; iy++) {
                System.arraycopy(dxw[ci], (iy + ph) * wp + pw, dx, ((in * c + ci) * h + iy) * w, w);
            }
        }
    }

    // ---- loops (same index in every array: vectorised by C2) ----

    private static void axpy(float[] y, float a, float[] x, int len) {
        for (int q = 0; q < len; q++) {
            y[q] += a * x[q];
        }
    }

    private static void axpy4(float[] y0, float[] y1, float[] y2, float[] y3, float a0, float a1, float a2, float a3,
            float[] x, int len) {
        for (int q = 0; q < len; q++) {
            float v = x[q];
            y0[q] += a0 * v;
            y1[q] += a1 * v;
            y2[q] += a2 * v;
            y3[q] += a3 * v;
        }
    }

    private static void gather4(float[] y, float a0, float a1, float a2, float a3, float[] x0, float[] x1, float[] x2,
            float[] x3, int len) {
        for (int q = 0; q < len; q++) {
            y[q] += a0 * x0[q] + a1 * x1[q] + a2 * x2[q] + a3 * x3[q];
        }
    }

    private static void mac(float[] acc, float[] a, float[] b, int len) {
        for (int q = 0; q < len; q++) {
            acc[q] += a[q] * b[q];
        }
    }

    /** Two accumulators at once (four were not vectorised: 0.30 vs 0.04 ns per product). */
    private static void mac2(float[] acc0, float[] acc1, float[] a0, float[] a1, float[] b, int len) {
        for (int q = 0; q < len; q++) {
            float v = b[q];
            acc0[q] += a0[q] * v;
            acc1[q] += a1[q] * v;
        }
    }

    private static void add(float[] y, float[] x, int len) {
        for (int q = 0; q < len; q++) {
            y[q] += x[q];
        }
    }

    private static void addRange(float[] y, float[] x, int from, int to) {
        for (int q = from; q < to; q++) {
            y[q] += x[q];
        }
    }

    private static void relu(float[] a, int len) {
        for (int q = 0; q < len; q++) {
            a[q] = Math.max(a[q], 0f);
        }
    }

    /** d ×= (a > 0) for a ≥ 0 (a ReLU output), branch-free: min(a·s·s, 1) is 1 for every positive a. */
    private static void reluMask(float[] d, float[] a, float s, int len) {
        for (int q = 0; q < len; q++) {
            d[q] *= Math.min(a[q] * s * s, 1f);
        }
    }

    private static void gatherColumn(float[] y, float[] z, int from, int stride, float b, int len) {
        for (int q = 0, i = from; q < len; q++, i += stride) {
            y[q] = z[i] + b;
        }
    }

    /** Σ a[0, len): eight independent float partial sums (a single running sum is latency-bound: 0.47 vs ~0.12 ns per value), added in double. */
    private static double sum(float[] a, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int q = 0;
        for (; q + 7 < len; q += 8) {
            s0 += a[q];
            s1 += a[q + 1];
            s2 += a[q + 2];
            s3 += a[q + 3];
            s4 += a[q + 4];
            s5 += a[q + 5];
            s6 += a[q + 6];
            s7 += a[q + 7];
        }
        double s = (double) s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        for (; q < len; q++) {
            s += a[q];
        }
        return s;
    }

    // ---- INDArray access ----

    /** {@code a}'s buffer if its {@code count} values can be read or written in place (float, dense C order), else null. */
    private static FloatBuffer direct(INDArray a, int count) {
        return a.dataType() == DataType.FLOAT && a.length() == count && Strides.denseC(a) ? a.data().asNioFloat() : null;
    }

    private static FloatBuffer buffer(INDArray detached) {
        return detached.data().asNioFloat();
    }

    /** The first {@code count} values of {@code a} (C order) into {@code dst}. */
    private static void read(INDArray a, float[] dst, int count) {
        if (a.length() != count) {
            throw new IllegalArgumentException("FastConvolution: expected " + count + " values, got shape "
                    + Arrays.toString(a.shape()));
        }
        if (a.dataType() != DataType.FLOAT) {
            a = a.castTo(DataType.FLOAT);
        }
        if (!Strides.denseC(a)) {
            a = a.dup('c');
        }
        a.data().asNioFloat().get((int) a.offset(), dst, 0, count);
    }

    /** {@code src[0, count)} into {@code a} (C order), in place. */
    private static void write(float[] src, int count, INDArray a) {
        if (a.dataType() == DataType.FLOAT && Strides.denseC(a) && a.length() == count) {
            a.data().asNioFloat().put((int) a.offset(), src, 0, count);
        } else {
            a.assign(Nd4j.create(Arrays.copyOf(src, count), a.shape(), 'c').castTo(a.dataType()));
        }
    }
}
