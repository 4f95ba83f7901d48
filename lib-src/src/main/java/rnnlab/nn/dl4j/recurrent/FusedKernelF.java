package rnnlab.nn.dl4j.recurrent;

import java.nio.FloatBuffer;
import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;

import org.nd4j.linalg.api.ndarray.INDArray;

import rnnlab.nn.dl4j.runtime.Blas;

/**
 * The float time-step kernels of {@link FusedRecurrentImpl}. The per-step recurrent products go
 * straight to OpenBLAS through {@link Blas} (one JNI call each instead of an ND4J op). Layout: every hot loop runs over one
 * step's {@code B·H} values with the SAME index in every array (gate blocks are first copied apart
 * with {@code System.arraycopy}), the form JDK 17's C2 vectorises (a loop mixing shifted indices of
 * possibly aliasing arrays is not; see {@code rnnlab.charrnn.LinearBlock}). tanh and sigmoid come
 * from {@link Act}, overloaded by precision. The heap caches are sized by batch×time, kept across
 * calls and only grown.
 *
 * <p>Of this class and its precision twin only the single-precision source is edited: the
 * double-precision one is generated from it at build time (lib-src/pom.xml, phase generate-sources)
 * by the substitutions in {@code lib-src/src/twins/twin-substitutions.properties}, and
 * {@code rnnlab.nn.dl4j.DoubleTwinsTest} checks that it was.
 */
final class FusedKernelF implements FusedKernel {

    private int capT = -1, capBh = -1;
    private int stepCap = -1;
    /** Per-step scratch: one step's B×G pre-activations, and B×H blocks; the biases tiled over the batch. */
    private float[] s, s2, ga, gf, go, gi, c, cp, tc, hv, dh, dn, carry, m, bzTiled, bhTiled, accZ, accH;
    /**
     * Kept per processing step k for backward, one array each ([k][B·H]): LSTM (a, f, o, i, c, tanh c);
     * GRU (r, z, n, ghn, h); RNN (h). The training forward pass computes the gate values straight into
     * them and backward turns them into gradients in place (one array per step, so the loops still index
     * from 0 and stay vectorised, and no step's values are copied in or out).
     */
    private float[][] kA, kF, kO, kI, kC, kT, kH;

    private void ensure(FusedBuffers w) {
        int bh = w.b * w.h, bg = w.b * w.g;
        if (bg > stepCap) {
            stepCap = bg;
            s = new float[bg];
            s2 = new float[bg];
            bzTiled = new float[bg];
            bhTiled = new float[bg];
            accZ = new float[bg];
            accH = new float[bg];
            ga = new float[bg];
            gf = new float[bg];
            go = new float[bg];
            gi = new float[bg];
            c = new float[bg];
            cp = new float[bg];
            tc = new float[bg];
            hv = new float[bg];
            dh = new float[bg];
            dn = new float[bg];
            carry = new float[bg];
            m = new float[bg];
        }
        if (w.t > capT || bh > capBh) {
            capT = Math.max(w.t, capT);
            capBh = Math.max(bh, capBh);
            kH = new float[capT][capBh];
            kA = kF = kO = kI = kC = kT = null;
            if (w.cell != FusedRecurrent.Cell.SIMPLE_RNN) {
                kA = new float[capT][capBh];
                kF = new float[capT][capBh];
                kO = new float[capT][capBh];
                kI = new float[capT][capBh];
            }
            if (w.cell == FusedRecurrent.Cell.LSTM) {
                kC = new float[capT][capBh];
                kT = new float[capT][capBh];
            }
        }
    }

    /** Copies block k (H wide) of every row of {@code src} [B, k·H...] into {@code dst} [B, H]. */
    private static void split(float[] src, int rowLen, int block, int b, int h, float[] dst) {
        for (int r = 0; r < b; r++) {
            System.arraycopy(src, r * rowLen + block * h, dst, r * h, h);
        }
    }

    /** The inverse of {@link #split}. */
    private static void join(float[] src, float[] dst, int rowLen, int block, int b, int h) {
        for (int r = 0; r < b; r++) {
            System.arraycopy(src, r * h, dst, r * rowLen + block * h, h);
        }
    }

    /** Writes the [B, H] block {@code src} to the rows of a [N, ld] buffer starting at element {@code off}. */
    private static void putRows(FloatBuffer dst, long off, int ld, float[] src, int b, int h) {
        if (ld == h) {
            dst.put((int) off, src, 0, b * h);
            return;
        }
        for (int r = 0; r < b; r++) {
            dst.put((int) (off + (long) r * ld), src, r * h, h);
        }
    }

    /** Reads a [B, H] block from the rows of a [N, ld] buffer starting at element {@code off}. */
    private static void getRows(FloatBuffer src, long off, int ld, float[] dst, int b, int h) {
        if (ld == h) {
            src.get((int) off, dst, 0, b * h);
            return;
        }
        for (int r = 0; r < b; r++) {
            src.get((int) (off + (long) r * ld), dst, r * h, h);
        }
    }

    /** {@code dst} = the [G] bias vector starting at {@code from} of {@code bias}, repeated for B rows. */
    private static void tile(FloatBuffer bias, int from, int b, int g, float[] dst) {
        bias.get(from, dst, 0, g);
        for (int r = 1; r < b; r++) {
            System.arraycopy(dst, 0, dst, r * g, g);
        }
    }

    /** Column sums of the B×G accumulator into {@code out} at {@code at}: the bias gradient. */
    private static void columnSums(float[] acc, int b, int g, FloatBuffer out, int at) {
        for (int r = 1; r < b; r++) {
            int o = r * g;
            for (int j = 0; j < g; j++) {
                acc[j] += acc[o + j];
            }
        }
        out.put(at, acc, 0, g);
    }

    @Override
    public void project(FusedBuffers w) {
        int n = w.b * w.t;
        Blas.gemm(false, false, n, w.g, w.nIn, Blas.floatPointer(w.xFlat), 0, w.nIn, Blas.floatPointer(w.wFlat), 0, w.g,
                0f, Blas.floatPointer(w.zFlat), 0, w.g);
    }

    @Override
    public void forward(FusedBuffers w, INDArray mask, boolean keep) {
        ensure(w);
        final int b = w.b, t = w.t, h = w.h, g = w.g, bh = b * h, bg = b * g, ld = w.ld, col = w.col;
        FloatBuffer zb = w.zFlat.data().asNioFloat();
        FloatBuffer hb = w.hsFlat.data().asNioFloat();
        FloatBuffer biasb = w.bFlat.data().asNioFloat();
        FloatPointer pz = Blas.floatPointer(w.zFlat), phs = Blas.floatPointer(w.hsFlat);
        FloatPointer prw = Blas.floatPointer(w.rwFlat);
        Arrays.fill(hv, 0, bh, 0);
        Arrays.fill(c, 0, bh, 0);
        Arrays.fill(cp, 0, bh, 0);
        tile(biasb, 0, b, g, bzTiled);
        final boolean masked = mask != null;
        if (masked) {
            mask.data().asNioFloat().get(0, m, 0, bh);
        }
        final FloatBuffer hinb = masked ? w.hinFlat.data().asNioFloat() : null;
        final FloatPointer phin = masked ? Blas.floatPointer(w.hinFlat) : null;
        switch (w.cell) {
            case SIMPLE_RNN -> {
                for (int k = 0; k < t; k++) {
                    int p = w.pos(k);
                    if (k > 0) {
                        int pp = w.pos(k - 1);
                        if (masked) {
                            maskInto(s, m, dn, bh);     // s still holds h_{t-1}
                            hinb.put((int) w.row(pp, h), dn, 0, bh);
                            Blas.gemm(false, b, g, h, phin, w.row(pp, h), h, prw, g, 1, pz, w.row(p, g), g);
                        } else {
                            Blas.gemm(false, b, g, h, phs, w.row(pp, ld) + col, ld, prw, g, 1, pz, w.row(p, g), g);
                        }
                    }
                    zb.get((int) w.row(p, g), s, 0, bh);
                    addInPlace(s, bzTiled, bh);
                    rnnStep(s, bh);
                    putRows(hb, w.row(p, ld) + col, ld, s, b, h);
                    if (keep) {
                        System.arraycopy(s, 0, kH[k], 0, bh);
                    }
                }
            }
            case LSTM -> {
                for (int k = 0; k < t; k++) {
                    int p = w.pos(k);
                    if (k > 0) {
                        int pp = w.pos(k - 1);
                        if (masked) {
                            maskInto(hv, m, dn, bh);    // hv holds h_{t-1}
                            hinb.put((int) w.row(pp, h), dn, 0, bh);
                            Blas.gemm(false, b, g, h, phin, w.row(pp, h), h, prw, g, 1, pz, w.row(p, g), g);
                        } else {
                            Blas.gemm(false, b, g, h, phs, w.row(pp, ld) + col, ld, prw, g, 1, pz, w.row(p, g), g);
                        }
                    }
                    zb.get((int) w.row(p, g), s, 0, bg);
                    addInPlace(s, bzTiled, bg);
                    // training: the gates, c and tanh c go straight into this step's kept arrays;
                    // the previous c is the previous step's kept array (zeros before step 0)
                    float[] a = keep ? kA[k] : ga, f = keep ? kF[k] : gf, o = keep ? kO[k] : go, i = keep ? kI[k] : gi;
                    float[] cNew = keep ? kC[k] : c, tcNew = keep ? kT[k] : tc;
                    float[] cPrev;
                    if (keep) {
                        cPrev = k > 0 ? kC[k - 1] : cp;     // cp holds zeros (filled above)
                    } else {
                        System.arraycopy(c, 0, cp, 0, bh);
                        cPrev = cp;
                    }
                    split(s, g, 0, b, h, a);
                    split(s, g, 1, b, h, f);
                    split(s, g, 2, b, h, o);
                    split(s, g, 3, b, h, i);
                    lstmStep(a, f, o, i, cPrev, cNew, tcNew, hv, bh);
                    putRows(hb, w.row(p, ld) + col, ld, hv, b, h);
                }
            }
            case GRU -> {
                tile(biasb, g, b, g, bhTiled);     // b_hh
                FloatBuffer sb = w.sFlat.data().asNioFloat();
                FloatPointer ps = Blas.floatPointer(w.sFlat);
                for (int k = 0; k < t; k++) {
                    int p = w.pos(k);
                    // s = h_{t-1} RW + b_hh (h_{-1} = 0)
                    if (k == 0) {
                        System.arraycopy(bhTiled, 0, s, 0, bg);
                    } else {
                        int pp = w.pos(k - 1);
                        if (masked) {
                            maskInto(hv, m, dn, bh);
                            hinb.put((int) w.row(pp, h), dn, 0, bh);
                            Blas.gemm(false, b, g, h, phin, w.row(pp, h), h, prw, g, 0, ps, 0, g);
                        } else {
                            Blas.gemm(false, b, g, h, phs, w.row(pp, ld) + col, ld, prw, g, 0, ps, 0, g);
                        }
                        sb.get(0, s, 0, bg);
                        addInPlace(s, bhTiled, bg);
                    }
                    zb.get((int) w.row(p, g), s2, 0, bg);
                    addInPlace(s2, bzTiled, bg);    // x W_ih + b_ih
                    float[] r = keep ? kA[k] : ga, u = keep ? kF[k] : gf, nn = keep ? kO[k] : go, ghn = keep ? kI[k] : gi;
                    split(s2, g, 2, b, h, nn);     // gin = x W_in + b_in
                    split(s, g, 2, b, h, ghn);     // ghn = h W_hn + b_hn
                    addInPlace(s2, s, bg);         // r and z: input side + recurrent side
                    split(s2, g, 0, b, h, r);
                    split(s2, g, 1, b, h, u);
                    gruStep(r, u, nn, ghn, hv, bh);
                    putRows(hb, w.row(p, ld) + col, ld, hv, b, h);
                    if (keep) {
                        System.arraycopy(hv, 0, kH[k], 0, bh);
                    }
                }
            }
            default -> throw new IllegalStateException("unknown cell " + w.cell);
        }
    }

    @Override
    public void backward(FusedBuffers w, INDArray mask) {
        final int b = w.b, t = w.t, h = w.h, g = w.g, bh = b * h, bg = b * g, ld = w.ld, col = w.col;
        FloatBuffer zb = w.zFlat.data().asNioFloat();
        FloatBuffer eb = w.eFlat.data().asNioFloat();
        FloatBuffer db = w.dhFlat.data().asNioFloat();
        FloatBuffer gbb = w.gbFlat.data().asNioFloat();
        FloatPointer pz = Blas.floatPointer(w.zFlat), pdh = Blas.floatPointer(w.dhFlat);
        FloatPointer prw = Blas.floatPointer(w.rwFlat);
        Arrays.fill(dn, 0, bh, 0);   // gradient arriving from step t+1
        Arrays.fill(c, 0, bh, 0);    // LSTM: cell gradient from step t+1
        Arrays.fill(cp, 0, bh, 0);   // the state before step 0
        Arrays.fill(carry, 0, bh, 0);
        Arrays.fill(accZ, 0, bg, 0);
        final boolean masked = mask != null;
        if (masked) {
            mask.data().asNioFloat().get(0, m, 0, bh);
        }
        switch (w.cell) {
            case SIMPLE_RNN -> {
                for (int k = t - 1; k >= 0; k--) {
                    int p = w.pos(k);
                    getRows(eb, w.row(p, ld) + col, ld, dh, b, h);
                    flush(dh, bh);
                    if (k < t - 1) {
                        db.get(0, dn, 0, bh);
                        flush(dn, bh);
                        if (masked) {
                            maskInPlace(dn, m, bh);   // d(h m)/dh: the state entered the recurrent GEMM masked
                        }
                    }
                    rnnBack(dh, dn, kH[k], s, bh);
                    flush(s, bh);
                    zb.put((int) w.row(p, g), s, 0, bh);
                    addInPlace(accZ, s, bh);
                    if (k > 0) {
                        Blas.gemm(true, b, h, g, pz, w.row(p, g), g, prw, g, 0, pdh, 0, h);
                    }
                }
                columnSums(accZ, b, g, gbb, 0);
            }
            case LSTM -> {
                for (int k = t - 1; k >= 0; k--) {
                    int p = w.pos(k);
                    getRows(eb, w.row(p, ld) + col, ld, dh, b, h);
                    flush(dh, bh);
                    if (k < t - 1) {
                        db.get(0, dn, 0, bh);
                        flush(dn, bh);
                        if (masked) {
                            maskInPlace(dn, m, bh);
                        }
                    }
                    // the kept gate values become the gate gradients in place
                    float[] a = kA[k], f = kF[k], o = kO[k], i = kI[k];
                    lstmBack(dh, dn, a, f, o, i, kT[k], k > 0 ? kC[k - 1] : cp, c, bh);
                    flushAll(a, f, o, i, c, bh);
                    join(a, s, g, 0, b, h);
                    join(f, s, g, 1, b, h);
                    join(o, s, g, 2, b, h);
                    join(i, s, g, 3, b, h);
                    zb.put((int) w.row(p, g), s, 0, bg);
                    addInPlace(accZ, s, bg);
                    if (k > 0) {
                        Blas.gemm(true, b, h, g, pz, w.row(p, g), g, prw, g, 0, pdh, 0, h);
                    }
                }
                columnSums(accZ, b, g, gbb, 0);
            }
            case GRU -> {
                FloatBuffer zhb = w.zhFlat.data().asNioFloat();
                FloatPointer pzh = Blas.floatPointer(w.zhFlat);
                Arrays.fill(accH, 0, bg, 0);
                if (!masked) {
                    Arrays.fill(m, 0, bh, 1);
                }
                for (int k = t - 1; k >= 0; k--) {
                    int p = w.pos(k);
                    getRows(eb, w.row(p, ld) + col, ld, dh, b, h);
                    flush(dh, bh);
                    if (k < t - 1) {
                        db.get(0, dn, 0, bh);
                        flush(dn, bh);
                    }
                    float[] r = kA[k], u = kF[k], nn = kO[k], ghn = kI[k];
                    gruBack(dh, dn, m, carry, r, u, nn, ghn, k > 0 ? kH[k - 1] : cp, bh);
                    flushAll(r, u, nn, ghn, carry, bh);
                    join(r, s, g, 0, b, h);
                    join(u, s, g, 1, b, h);
                    join(nn, s, g, 2, b, h);
                    zb.put((int) w.row(p, g), s, 0, bg);
                    addInPlace(accZ, s, bg);
                    join(ghn, s, g, 2, b, h);
                    zhb.put((int) w.row(p, g), s, 0, bg);
                    addInPlace(accH, s, bg);
                    if (k > 0) {
                        Blas.gemm(true, b, h, g, pzh, w.row(p, g), g, prw, g, 0, pdh, 0, h);
                    }
                }
                columnSums(accZ, b, g, gbb, 0);
                columnSums(accH, b, g, gbb, g);
            }
            default -> throw new IllegalStateException("unknown cell " + w.cell);
        }
    }

    @Override
    public void weightGradients(FusedBuffers w, boolean masked) {
        final int b = w.b, t = w.t, h = w.h, g = w.g, n = b * t;
        FloatPointer pz = Blas.floatPointer(w.zFlat);
        // dW, stored as the 'f' [nIn, G] view wants it: Wᵀ [G, nIn] = dZᵀ X
        Blas.gemm(true, false, g, w.nIn, n, pz, 0, g, Blas.floatPointer(w.xFlat), 0, w.nIn, 0f,
                Blas.floatPointer(w.gwFlat), 0, w.nIn);
        if (t < 2) {
            w.grwFlat.assign(0);
            return;
        }
        // dRW: RWᵀ [G, H] = Σ_k dZ(pos k)ᵀ h(pos k-1): the states of the previous step, times the mask if any;
        // forward: dZ rows of positions 1..T-1 with states of 0..T-2; reversed: dZ of 0..T-2 with states of 1..T-1
        FloatPointer pdz = w.cell == FusedRecurrent.Cell.GRU ? Blas.floatPointer(w.zhFlat) : pz;
        long zOff = w.reverse ? 0 : w.row(1, g);
        FloatPointer ph = masked ? Blas.floatPointer(w.hinFlat) : Blas.floatPointer(w.hsFlat);
        int ldh = masked ? h : w.ld;
        long hOff = (w.reverse ? w.row(1, ldh) : 0) + (masked ? 0 : w.col);
        Blas.gemm(true, false, g, h, n - b, pdz, zOff, g, ph, hOff, ldh, 0f, Blas.floatPointer(w.grwFlat), 0, h);
    }

    @Override
    public void inputGradient(FusedBuffers w, INDArray out, int rowFrom, int rowTo, boolean accumulate) {
        if (rowTo <= rowFrom) {
            return;
        }
        // dX rows = dZ rows · Wᵀ (W [nIn, G])
        Blas.gemm(false, true, rowTo - rowFrom, w.nIn, w.g, Blas.floatPointer(w.zFlat), (long) rowFrom * w.g, w.g,
                Blas.floatPointer(w.wFlat), 0, w.g, accumulate ? 1f : 0f, Blas.floatPointer(out), (long) rowFrom * w.nIn,
                w.nIn);
    }

    // ---- the fused per-step arithmetic. Each loop is short and touches few arrays with the same index:
    // C2 vectorises those; one long loop body with five inlined tanh calls was NOT vectorised and ran
    // 13x slower (155 vs 12 us per LSTM step at B·H = 4096, measured).

    /** {@link Act#flush} (gradients below 2^-100 become 0, so that no subnormal value slows the arithmetic). */
    private static void flush(float[] x, int n) {
        Act.flush(x, n);
    }

    /** {@link #flush} of the four gate-gradient blocks and the carried gradient of one step. */
    private static void flushAll(float[] a, float[] b, float[] c, float[] d, float[] carried, int n) {
        flush(a, n);
        flush(b, n);
        flush(c, n);
        flush(d, n);
        flush(carried, n);
    }

    /** {@code s += a}. */
    private static void addInPlace(float[] s, float[] a, int n) {
        for (int i = 0; i < n; i++) {
            s[i] += a[i];
        }
    }

    /** Recurrent dropout: {@code out = h m} (the state the recurrent GEMM sees). */
    private static void maskInto(float[] h, float[] m, float[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = h[i] * m[i];
        }
    }

    /** {@code x *= m}: the recurrent gradient through the masked state. */
    private static void maskInPlace(float[] x, float[] m, int n) {
        for (int i = 0; i < n; i++) {
            x[i] *= m[i];
        }
    }

    private static void tanhLoop(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = Act.tanh(x[i]);
        }
    }

    private static void sigmoidLoop(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            x[i] = Act.sigmoid(x[i]);
        }
    }

    /** SimpleRNN: {@code s = tanh(s)}. */
    private static void rnnStep(float[] s, int n) {
        tanhLoop(s, n);
    }

    /** LSTM: pre-activations in (a, f, o, i) become activations; c = f cp + i a, tc = tanh c, h = o tc. */
    private static void lstmStep(float[] ga, float[] gf, float[] go, float[] gi, float[] cp, float[] c, float[] tc,
            float[] hv, int n) {
        tanhLoop(ga, n);
        sigmoidLoop(gf, n);
        sigmoidLoop(go, n);
        sigmoidLoop(gi, n);
        for (int i = 0; i < n; i++) {
            c[i] = gf[i] * cp[i] + gi[i] * ga[i];
        }
        System.arraycopy(c, 0, tc, 0, n);
        tanhLoop(tc, n);
        for (int i = 0; i < n; i++) {
            hv[i] = go[i] * tc[i];
        }
    }

    /** GRU: (r, z) pre-activations, gin, ghn in; r, z, n out; h = n + z (h - n) in place. */
    private static void gruStep(float[] ga, float[] gf, float[] go, float[] gi, float[] hv, int n) {
        sigmoidLoop(ga, n);
        sigmoidLoop(gf, n);
        for (int i = 0; i < n; i++) {
            go[i] += ga[i] * gi[i];
        }
        tanhLoop(go, n);
        for (int i = 0; i < n; i++) {
            hv[i] = go[i] + gf[i] * (hv[i] - go[i]);
        }
    }

    /** SimpleRNN backward: {@code dz = (dh + dn) (1 - h²)}. */
    private static void rnnBack(float[] dh, float[] dn, float[] hv, float[] dz, int n) {
        for (int i = 0; i < n; i++) {
            float y = hv[i];
            dz[i] = (dh[i] + dn[i]) * (1 - y * y);
        }
    }

    /** LSTM backward: activations in (a, f, o, i) become pre-activation gradients; c carries dc. */
    private static void lstmBack(float[] dh, float[] dn, float[] ga, float[] gf, float[] go, float[] gi, float[] tc,
            float[] cp, float[] c, int n) {
        for (int i = 0; i < n; i++) {
            dh[i] += dn[i];
        }
        for (int i = 0; i < n; i++) {
            float tv = tc[i];
            c[i] += dh[i] * go[i] * (1 - tv * tv);
        }
        for (int i = 0; i < n; i++) {
            float o = go[i];
            go[i] = dh[i] * tc[i] * o * (1 - o);
        }
        for (int i = 0; i < n; i++) {
            float a = ga[i];
            float in = gi[i];
            float dc = c[i];
            ga[i] = dc * in * (1 - a * a);
            gi[i] = dc * a * in * (1 - in);
        }
        for (int i = 0; i < n; i++) {
            float f = gf[i];
            float dc = c[i];
            gf[i] = dc * cp[i] * f * (1 - f);
            c[i] = dc * f;
        }
    }

    /**
     * GRU backward: (r, z, n, ghn) in, (daR, daZ, daN, daN r) out; carry = dh z for the previous
     * step; dn (the recurrent gradient from step t+1) is used as scratch.
     */
    private static void gruBack(float[] dh, float[] dn, float[] m, float[] carry, float[] ga, float[] gf, float[] go,
            float[] gi, float[] hp, int n) {
        for (int i = 0; i < n; i++) {
            dh[i] += dn[i] * m[i] + carry[i];
        }
        for (int i = 0; i < n; i++) {
            float u = gf[i];
            float nv = go[i];
            dn[i] = dh[i] * (1 - u) * (1 - nv * nv);
        }
        for (int i = 0; i < n; i++) {
            float u = gf[i];
            carry[i] = dh[i] * u;
            gf[i] = dh[i] * (hp[i] - go[i]) * u * (1 - u);
        }
        for (int i = 0; i < n; i++) {
            float r = ga[i];
            float d = dn[i];
            ga[i] = d * gi[i] * r * (1 - r);
            gi[i] = d * r;
        }
        System.arraycopy(dn, 0, go, 0, n);
    }
}
