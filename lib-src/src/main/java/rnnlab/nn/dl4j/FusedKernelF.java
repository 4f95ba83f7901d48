package rnnlab.nn.dl4j;

import java.nio.FloatBuffer;
import java.util.Arrays;

import org.bytedeco.javacpp.FloatPointer;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The float time-step kernels of {@link FusedRecurrentImpl}. The per-step recurrent products go
 * straight to OpenBLAS through {@link Blas} (one JNI call each instead of an ND4J op). Layout: every hot loop runs over one
 * step's {@code B·H} values with the SAME index in every array (gate blocks are first copied apart
 * with {@code System.arraycopy}), the form JDK 17's C2 vectorises (a loop mixing shifted indices of
 * possibly aliasing arrays is not; see {@code rnnlab.charrnn.LinearBlock}). tanh and sigmoid come
 * from {@link Act}, overloaded by precision. The heap caches are sized by batch×time, kept across
 * calls and only grown.
 *
 * <p>Edit only the file whose name ends in F: the one ending in D is generated from it by the
 * textual substitution that {@code FusedRecurrentTest.doubleKernelIsGeneratedFromTheFloatKernel} spells
 * out and checks.
 */
final class FusedKernelF implements FusedKernel {

    private int cap = -1;
    private int stepCap = -1;
    /** Per-step scratch: one step's B×G pre-activations, and B×H blocks. */
    private float[] s, s2, ga, gf, go, gi, c, cp, tc, hv, dh, dn, carry, m, bhTiled;
    /** Kept per step for backward: LSTM (a, f, o, i, c, tanh c); GRU (r, z, n, ghn, h); RNN (h). */
    private float[] kA, kF, kO, kI, kC, kT, kH;

    private void ensure(FusedBuffers w) {
        int bh = w.b * w.h, bg = w.b * w.g, n = w.t * bh;
        if (bg > stepCap) {
            stepCap = bg;
            s = new float[bg];
            s2 = new float[bg];
            bhTiled = new float[bg];
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
        if (n > cap) {
            cap = n;
            kH = new float[n];
            kA = kF = kO = kI = kC = kT = null;
            if (w.cell != FusedRecurrent.Cell.SIMPLE_RNN) {
                kA = new float[n];
                kF = new float[n];
                kO = new float[n];
                kI = new float[n];
            }
            if (w.cell == FusedRecurrent.Cell.LSTM) {
                kC = new float[n];
                kT = new float[n];
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

    @Override
    public void forward(FusedBuffers w, INDArray rw, INDArray bhArr, INDArray mask, boolean keep) {
        ensure(w);
        final int b = w.b, t = w.t, h = w.h, g = w.g, bh = b * h, bg = b * g;
        FloatBuffer zb = w.zFlat.data().asNioFloat();
        FloatBuffer hb = w.hsFlat.data().asNioFloat();
        FloatPointer pz = Blas.floatPointer(w.zFlat), phs = Blas.floatPointer(w.hsFlat);
        FloatPointer prw = Blas.floatPointer(w.recurrentWeights(rw));
        Arrays.fill(hv, 0, bh, 0);
        Arrays.fill(c, 0, bh, 0);
        final boolean masked = mask != null;
        if (masked) {
            mask.data().asNioFloat().get(0, m, 0, bh);
        }
        final FloatBuffer hinb = masked ? w.hinFlat.data().asNioFloat() : null;
        final FloatPointer phin = masked ? Blas.floatPointer(w.hinFlat) : null;
        switch (w.cell) {
            case SIMPLE_RNN -> {
                for (int k = 0; k < t; k++) {
                    if (k > 0 && masked) {
                        maskInto(s, m, dn, bh);     // s still holds h_{t-1}
                        hinb.put(0, dn, 0, bh);
                        Blas.gemm(false, b, g, h, phin, 0, h, prw, g, 1, pz, (long) k * bg, g);
                    } else if (k > 0) {
                        Blas.gemm(false, b, g, h, phs, (long) (k - 1) * bh, h, prw, g, 1, pz, (long) k * bg, g);
                    }
                    zb.get(k * bg, s, 0, bh);
                    rnnStep(s, bh);
                    hb.put(k * bh, s, 0, bh);
                    if (keep) {
                        System.arraycopy(s, 0, kH, k * bh, bh);
                    }
                }
            }
            case LSTM -> {
                for (int k = 0; k < t; k++) {
                    if (k > 0 && masked) {
                        maskInto(hv, m, dn, bh);    // hv holds h_{t-1}
                        hinb.put(0, dn, 0, bh);
                        Blas.gemm(false, b, g, h, phin, 0, h, prw, g, 1, pz, (long) k * bg, g);
                    } else if (k > 0) {
                        Blas.gemm(false, b, g, h, phs, (long) (k - 1) * bh, h, prw, g, 1, pz, (long) k * bg, g);
                    }
                    zb.get(k * bg, s, 0, bg);
                    split(s, g, 0, b, h, ga);
                    split(s, g, 1, b, h, gf);
                    split(s, g, 2, b, h, go);
                    split(s, g, 3, b, h, gi);
                    System.arraycopy(c, 0, cp, 0, bh);
                    lstmStep(ga, gf, go, gi, cp, c, tc, hv, bh);
                    hb.put(k * bh, hv, 0, bh);
                    if (keep) {
                        int off = k * bh;
                        System.arraycopy(ga, 0, kA, off, bh);
                        System.arraycopy(gf, 0, kF, off, bh);
                        System.arraycopy(go, 0, kO, off, bh);
                        System.arraycopy(gi, 0, kI, off, bh);
                        System.arraycopy(c, 0, kC, off, bh);
                        System.arraycopy(tc, 0, kT, off, bh);
                    }
                }
            }
            case GRU -> {
                float[] bias = bhArr.toFloatVector();
                for (int r = 0; r < b; r++) {
                    System.arraycopy(bias, 0, bhTiled, r * g, g);
                }
                FloatBuffer sb = w.sFlat.data().asNioFloat();
                FloatPointer ps = Blas.floatPointer(w.sFlat);
                for (int k = 0; k < t; k++) {
                    // s = h_{t-1} RW + b_hh (h_{-1} = 0)
                    if (k == 0) {
                        System.arraycopy(bhTiled, 0, s, 0, bg);
                    } else {
                        if (masked) {
                            maskInto(hv, m, dn, bh);
                            hinb.put(0, dn, 0, bh);
                            Blas.gemm(false, b, g, h, phin, 0, h, prw, g, 0, ps, 0, g);
                        } else {
                            Blas.gemm(false, b, g, h, phs, (long) (k - 1) * bh, h, prw, g, 0, ps, 0, g);
                        }
                        sb.get(0, s, 0, bg);
                        for (int i = 0; i < bg; i++) {
                            s[i] += bhTiled[i];
                        }
                    }
                    zb.get(k * bg, s2, 0, bg);
                    split(s2, g, 2, b, h, go);     // gin = x W_in + b_in
                    split(s, g, 2, b, h, gi);      // ghn = h W_hn + b_hn
                    for (int i = 0; i < bg; i++) {
                        s2[i] += s[i];             // r and z: input side + recurrent side
                    }
                    split(s2, g, 0, b, h, ga);
                    split(s2, g, 1, b, h, gf);
                    gruStep(ga, gf, go, gi, hv, bh);
                    hb.put(k * bh, hv, 0, bh);
                    if (keep) {
                        int off = k * bh;
                        System.arraycopy(ga, 0, kA, off, bh);
                        System.arraycopy(gf, 0, kF, off, bh);
                        System.arraycopy(go, 0, kO, off, bh);
                        System.arraycopy(gi, 0, kI, off, bh);
                        System.arraycopy(hv, 0, kH, off, bh);
                    }
                }
            }
            default -> throw new IllegalStateException("unknown cell " + w.cell);
        }
    }

    @Override
    public void backward(FusedBuffers w, INDArray rw, INDArray mask) {
        final int b = w.b, t = w.t, h = w.h, g = w.g, bh = b * h, bg = b * g;
        FloatBuffer zb = w.zFlat.data().asNioFloat();
        FloatBuffer eb = w.eFlat.data().asNioFloat();
        FloatBuffer db = w.dhFlat.data().asNioFloat();
        FloatPointer pz = Blas.floatPointer(w.zFlat), pdh = Blas.floatPointer(w.dhFlat);
        FloatPointer prw = Blas.floatPointer(w.recurrentWeights(rw));
        Arrays.fill(dn, 0, bh, 0);   // gradient arriving from step t+1
        Arrays.fill(c, 0, bh, 0);    // LSTM: cell gradient from step t+1
        Arrays.fill(carry, 0, bh, 0);
        final boolean masked = mask != null;
        if (masked) {
            mask.data().asNioFloat().get(0, m, 0, bh);
        }
        switch (w.cell) {
            case SIMPLE_RNN -> {
                for (int k = t - 1; k >= 0; k--) {
                    eb.get(k * bh, dh, 0, bh);
                    if (k < t - 1) {
                        db.get(0, dn, 0, bh);
                        if (masked) {
                            maskInPlace(dn, m, bh);   // d(h m)/dh: the state entered the recurrent GEMM masked
                        }
                    }
                    System.arraycopy(kH, k * bh, hv, 0, bh);
                    rnnBack(dh, dn, hv, s, bh);
                    zb.put(k * bg, s, 0, bh);
                    if (k > 0) {
                        Blas.gemm(true, b, h, g, pz, (long) k * bg, g, prw, g, 0, pdh, 0, h);
                    }
                }
            }
            case LSTM -> {
                for (int k = t - 1; k >= 0; k--) {
                    int off = k * bh;
                    eb.get(off, dh, 0, bh);
                    if (k < t - 1) {
                        db.get(0, dn, 0, bh);
                        if (masked) {
                            maskInPlace(dn, m, bh);
                        }
                    }
                    System.arraycopy(kA, off, ga, 0, bh);
                    System.arraycopy(kF, off, gf, 0, bh);
                    System.arraycopy(kO, off, go, 0, bh);
                    System.arraycopy(kI, off, gi, 0, bh);
                    System.arraycopy(kT, off, tc, 0, bh);
                    if (k > 0) {
                        System.arraycopy(kC, off - bh, cp, 0, bh);
                    } else {
                        Arrays.fill(cp, 0, bh, 0);
                    }
                    lstmBack(dh, dn, ga, gf, go, gi, tc, cp, c, bh);
                    join(ga, s, g, 0, b, h);
                    join(gf, s, g, 1, b, h);
                    join(go, s, g, 2, b, h);
                    join(gi, s, g, 3, b, h);
                    zb.put(k * bg, s, 0, bg);
                    if (k > 0) {
                        Blas.gemm(true, b, h, g, pz, (long) k * bg, g, prw, g, 0, pdh, 0, h);
                    }
                }
            }
            case GRU -> {
                FloatBuffer zhb = w.zhFlat.data().asNioFloat();
                FloatPointer pzh = Blas.floatPointer(w.zhFlat);
                if (!masked) {
                    Arrays.fill(m, 0, bh, 1);
                }
                for (int k = t - 1; k >= 0; k--) {
                    int off = k * bh;
                    eb.get(off, dh, 0, bh);
                    if (k < t - 1) {
                        db.get(0, dn, 0, bh);
                    }
                    System.arraycopy(kA, off, ga, 0, bh);
                    System.arraycopy(kF, off, gf, 0, bh);
                    System.arraycopy(kO, off, go, 0, bh);
                    System.arraycopy(kI, off, gi, 0, bh);
                    if (k > 0) {
                        System.arraycopy(kH, off - bh, cp, 0, bh);
                    } else {
                        Arrays.fill(cp, 0, bh, 0);
                    }
                    gruBack(dh, dn, m, carry, ga, gf, go, gi, cp, bh);
                    join(ga, s, g, 0, b, h);
                    join(gf, s, g, 1, b, h);
                    join(go, s, g, 2, b, h);
                    zb.put(k * bg, s, 0, bg);
                    join(gi, s, g, 2, b, h);
                    zhb.put(k * bg, s, 0, bg);
                    if (k > 0) {
                        Blas.gemm(true, b, h, g, pzh, (long) k * bg, g, prw, g, 0, pdh, 0, h);
                    }
                }
            }
            default -> throw new IllegalStateException("unknown cell " + w.cell);
        }
    }

    // ---- the fused per-step arithmetic. Each loop is short and touches few arrays with the same index:
    // C2 vectorises those; one long loop body with five inlined tanh calls was NOT vectorised and ran
    // 13x slower (155 vs 12 us per LSTM step at B·H = 4096, measured).

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
