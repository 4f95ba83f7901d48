package rnnlab.nn.dl4j.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked float loops of {@link ConvKernelF}'s direct path, written with the JDK's incubating
 * Vector API ({@code jdk.incubator.vector}); hand-written because no library offers convolutions on
 * Java arrays. Only touched when the module is in the JVM's boot layer ({@link ConvKernel#VECTOR}): a
 * JVM started without {@code --add-modules jdk.incubator.vector} never loads this class and runs the
 * auto-vectorised loops instead.
 *
 * <p>Why: C2's auto-vectorised loops ({@code y[q] += a·x[q]}) load and store every accumulator for each
 * product, so they are bound by L1 traffic at 15–35 GFLOP/s; here the accumulators of a tile of outputs
 * stay in vector registers for the whole reduction (lib-src/bench/BACKEND.md, "Register-blocked
 * convolutions, a fused Adam and a Java softmax output").
 *
 * <p>Both loops work on whole vectors past the end of the positions they are asked for: the caller's
 * arrays have {@link ConvKernel#SLACK} values of room after every row and every source read, and the values
 * computed there are never used (the products) or are multiplied by zeros kept there (the correlation).
 *
 * <p>Of this class and its precision twin only the single-precision source is edited: the
 * double-precision one is generated from it at build time (lib-src/pom.xml, phase generate-sources)
 * by the substitutions in {@code lib-src/src/twins/twin-substitutions.properties}, and
 * {@code rnnlab.nn.dl4j.DoubleTwinsTest} checks that it was.
 */
final class VectorConvFloat {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorConvFloat() {
    }

    /**
     * Whether these loops suit this CPU's preferred vectors: at least 256 bits (narrower ones fall back to
     * slow Java code inside the API) and four of them within {@link ConvKernel#SLACK} (the room the loops
     * may read and write past a row: AVX2 and AVX-512 qualify, wider SVE does not).
     */
    static boolean usable() {
        return S.vectorBitSize() >= 256 && 4 * L <= ConvKernel.SLACK;
    }

    /**
     * {@code out[r0 + i][q] += Σ_j a[(i·aRow) + j] · src[base + off[j] + q]} for rows {@code i < rows} and
     * positions {@code q < n} (computed up to n rounded up to four vectors): a product of the
     * coefficient matrix with J shifted rows of {@code src}, each output tile (8 rows × 2 vectors, or
     * 4, 2, 1 rows × 4 vectors) held in registers over all J. The convolution's forward pass (rows =
     * output channels, j = input channel and tap) and its input gradient (rows = input channels, j =
     * output channel and tap over the padded output gradient) are both this product.
     */
    static void shiftedProduct(float[][] out, int r0, int rows, float[] a, int aRow, int J, float[] src, int base,
            int[] off, int n) {
        int i = 0;
        for (; i + 8 <= rows; i += 8) {
            for (int q = 0; q < n; q += 2 * L) {
                product8(out, r0 + i, a, i * aRow, aRow, J, src, base, off, q);
            }
        }
        for (; i + 4 <= rows; i += 4) {
            for (int q = 0; q < n; q += 4 * L) {
                product4(out, r0 + i, a, i * aRow, aRow, J, src, base, off, q);
            }
        }
        for (; i + 2 <= rows; i += 2) {
            for (int q = 0; q < n; q += 4 * L) {
                product2(out, r0 + i, a, i * aRow, aRow, J, src, base, off, q);
            }
        }
        for (; i < rows; i++) {
            for (int q = 0; q < n; q += 4 * L) {
                product1(out, r0 + i, a, i * aRow, aRow, J, src, base, off, q);
            }
        }
    }

    /** Four rows × four vectors: four source loads and four broadcasts per sixteen products. */
    private static void product4(float[][] out, int r, float[] a, int a0, int aRow, int J, float[] src, int base,
            int[] off, int q) {
        float[] y0 = out[r + 0], y1 = out[r + 1], y2 = out[r + 2], y3 = out[r + 3];
        FloatVector s00 = FloatVector.fromArray(S, y0, q), s01 = FloatVector.fromArray(S, y0, q + L);
        FloatVector s02 = FloatVector.fromArray(S, y0, q + 2 * L), s03 = FloatVector.fromArray(S, y0, q + 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, y1, q), s11 = FloatVector.fromArray(S, y1, q + L);
        FloatVector s12 = FloatVector.fromArray(S, y1, q + 2 * L), s13 = FloatVector.fromArray(S, y1, q + 3 * L);
        FloatVector s20 = FloatVector.fromArray(S, y2, q), s21 = FloatVector.fromArray(S, y2, q + L);
        FloatVector s22 = FloatVector.fromArray(S, y2, q + 2 * L), s23 = FloatVector.fromArray(S, y2, q + 3 * L);
        FloatVector s30 = FloatVector.fromArray(S, y3, q), s31 = FloatVector.fromArray(S, y3, q + L);
        FloatVector s32 = FloatVector.fromArray(S, y3, q + 2 * L), s33 = FloatVector.fromArray(S, y3, q + 3 * L);
        for (int j = 0; j < J; j++) {
            int p = base + off[j] + q;
            FloatVector x0 = FloatVector.fromArray(S, src, p), x1 = FloatVector.fromArray(S, src, p + L);
            FloatVector x2 = FloatVector.fromArray(S, src, p + 2 * L), x3 = FloatVector.fromArray(S, src, p + 3 * L);
            FloatVector w0 = FloatVector.broadcast(S, a[a0 + j]);
            s00 = x0.fma(w0, s00);
            s01 = x1.fma(w0, s01);
            s02 = x2.fma(w0, s02);
            s03 = x3.fma(w0, s03);
            FloatVector w1 = FloatVector.broadcast(S, a[a0 + 1 * aRow + j]);
            s10 = x0.fma(w1, s10);
            s11 = x1.fma(w1, s11);
            s12 = x2.fma(w1, s12);
            s13 = x3.fma(w1, s13);
            FloatVector w2 = FloatVector.broadcast(S, a[a0 + 2 * aRow + j]);
            s20 = x0.fma(w2, s20);
            s21 = x1.fma(w2, s21);
            s22 = x2.fma(w2, s22);
            s23 = x3.fma(w2, s23);
            FloatVector w3 = FloatVector.broadcast(S, a[a0 + 3 * aRow + j]);
            s30 = x0.fma(w3, s30);
            s31 = x1.fma(w3, s31);
            s32 = x2.fma(w3, s32);
            s33 = x3.fma(w3, s33);
        }
        s00.intoArray(y0, q);
        s01.intoArray(y0, q + L);
        s02.intoArray(y0, q + 2 * L);
        s03.intoArray(y0, q + 3 * L);
        s10.intoArray(y1, q);
        s11.intoArray(y1, q + L);
        s12.intoArray(y1, q + 2 * L);
        s13.intoArray(y1, q + 3 * L);
        s20.intoArray(y2, q);
        s21.intoArray(y2, q + L);
        s22.intoArray(y2, q + 2 * L);
        s23.intoArray(y2, q + 3 * L);
        s30.intoArray(y3, q);
        s31.intoArray(y3, q + L);
        s32.intoArray(y3, q + 2 * L);
        s33.intoArray(y3, q + 3 * L);
    }

    /** Two rows × four vectors. */
    private static void product2(float[][] out, int r, float[] a, int a0, int aRow, int J, float[] src, int base,
            int[] off, int q) {
        float[] y0 = out[r + 0], y1 = out[r + 1];
        FloatVector s00 = FloatVector.fromArray(S, y0, q), s01 = FloatVector.fromArray(S, y0, q + L);
        FloatVector s02 = FloatVector.fromArray(S, y0, q + 2 * L), s03 = FloatVector.fromArray(S, y0, q + 3 * L);
        FloatVector s10 = FloatVector.fromArray(S, y1, q), s11 = FloatVector.fromArray(S, y1, q + L);
        FloatVector s12 = FloatVector.fromArray(S, y1, q + 2 * L), s13 = FloatVector.fromArray(S, y1, q + 3 * L);
        for (int j = 0; j < J; j++) {
            int p = base + off[j] + q;
            FloatVector x0 = FloatVector.fromArray(S, src, p), x1 = FloatVector.fromArray(S, src, p + L);
            FloatVector x2 = FloatVector.fromArray(S, src, p + 2 * L), x3 = FloatVector.fromArray(S, src, p + 3 * L);
            FloatVector w0 = FloatVector.broadcast(S, a[a0 + j]);
            s00 = x0.fma(w0, s00);
            s01 = x1.fma(w0, s01);
            s02 = x2.fma(w0, s02);
            s03 = x3.fma(w0, s03);
            FloatVector w1 = FloatVector.broadcast(S, a[a0 + 1 * aRow + j]);
            s10 = x0.fma(w1, s10);
            s11 = x1.fma(w1, s11);
            s12 = x2.fma(w1, s12);
            s13 = x3.fma(w1, s13);
        }
        s00.intoArray(y0, q);
        s01.intoArray(y0, q + L);
        s02.intoArray(y0, q + 2 * L);
        s03.intoArray(y0, q + 3 * L);
        s10.intoArray(y1, q);
        s11.intoArray(y1, q + L);
        s12.intoArray(y1, q + 2 * L);
        s13.intoArray(y1, q + 3 * L);
    }

    /** One row × four vectors. */
    private static void product1(float[][] out, int r, float[] a, int a0, int aRow, int J, float[] src, int base,
            int[] off, int q) {
        float[] y0 = out[r + 0];
        FloatVector s00 = FloatVector.fromArray(S, y0, q), s01 = FloatVector.fromArray(S, y0, q + L);
        FloatVector s02 = FloatVector.fromArray(S, y0, q + 2 * L), s03 = FloatVector.fromArray(S, y0, q + 3 * L);
        for (int j = 0; j < J; j++) {
            int p = base + off[j] + q;
            FloatVector x0 = FloatVector.fromArray(S, src, p), x1 = FloatVector.fromArray(S, src, p + L);
            FloatVector x2 = FloatVector.fromArray(S, src, p + 2 * L), x3 = FloatVector.fromArray(S, src, p + 3 * L);
            FloatVector w0 = FloatVector.broadcast(S, a[a0 + j]);
            s00 = x0.fma(w0, s00);
            s01 = x1.fma(w0, s01);
            s02 = x2.fma(w0, s02);
            s03 = x3.fma(w0, s03);
        }
        s00.intoArray(y0, q);
        s01.intoArray(y0, q + L);
        s02.intoArray(y0, q + 2 * L);
        s03.intoArray(y0, q + 3 * L);
    }

    /** Eight rows × two vectors: two source loads and eight broadcasts per sixteen products. */
    private static void product8(float[][] out, int r, float[] a, int a0, int aRow, int J, float[] src, int base,
            int[] off, int q) {
        float[] y0 = out[r], y1 = out[r + 1], y2 = out[r + 2], y3 = out[r + 3];
        float[] y4 = out[r + 4], y5 = out[r + 5], y6 = out[r + 6], y7 = out[r + 7];
        FloatVector s00 = FloatVector.fromArray(S, y0, q), s01 = FloatVector.fromArray(S, y0, q + L);
        FloatVector s10 = FloatVector.fromArray(S, y1, q), s11 = FloatVector.fromArray(S, y1, q + L);
        FloatVector s20 = FloatVector.fromArray(S, y2, q), s21 = FloatVector.fromArray(S, y2, q + L);
        FloatVector s30 = FloatVector.fromArray(S, y3, q), s31 = FloatVector.fromArray(S, y3, q + L);
        FloatVector s40 = FloatVector.fromArray(S, y4, q), s41 = FloatVector.fromArray(S, y4, q + L);
        FloatVector s50 = FloatVector.fromArray(S, y5, q), s51 = FloatVector.fromArray(S, y5, q + L);
        FloatVector s60 = FloatVector.fromArray(S, y6, q), s61 = FloatVector.fromArray(S, y6, q + L);
        FloatVector s70 = FloatVector.fromArray(S, y7, q), s71 = FloatVector.fromArray(S, y7, q + L);
        int a1 = a0 + aRow, a2 = a1 + aRow, a3 = a2 + aRow, a4 = a3 + aRow, a5 = a4 + aRow, a6 = a5 + aRow, a7 = a6 + aRow;
        for (int j = 0; j < J; j++) {
            int p = base + off[j] + q;
            FloatVector x0 = FloatVector.fromArray(S, src, p), x1 = FloatVector.fromArray(S, src, p + L);
            FloatVector w = FloatVector.broadcast(S, a[a0 + j]);
            s00 = x0.fma(w, s00);
            s01 = x1.fma(w, s01);
            w = FloatVector.broadcast(S, a[a1 + j]);
            s10 = x0.fma(w, s10);
            s11 = x1.fma(w, s11);
            w = FloatVector.broadcast(S, a[a2 + j]);
            s20 = x0.fma(w, s20);
            s21 = x1.fma(w, s21);
            w = FloatVector.broadcast(S, a[a3 + j]);
            s30 = x0.fma(w, s30);
            s31 = x1.fma(w, s31);
            w = FloatVector.broadcast(S, a[a4 + j]);
            s40 = x0.fma(w, s40);
            s41 = x1.fma(w, s41);
            w = FloatVector.broadcast(S, a[a5 + j]);
            s50 = x0.fma(w, s50);
            s51 = x1.fma(w, s51);
            w = FloatVector.broadcast(S, a[a6 + j]);
            s60 = x0.fma(w, s60);
            s61 = x1.fma(w, s61);
            w = FloatVector.broadcast(S, a[a7 + j]);
            s70 = x0.fma(w, s70);
            s71 = x1.fma(w, s71);
        }
        s00.intoArray(y0, q);
        s01.intoArray(y0, q + L);
        s10.intoArray(y1, q);
        s11.intoArray(y1, q + L);
        s20.intoArray(y2, q);
        s21.intoArray(y2, q + L);
        s30.intoArray(y3, q);
        s31.intoArray(y3, q + L);
        s40.intoArray(y4, q);
        s41.intoArray(y4, q + L);
        s50.intoArray(y5, q);
        s51.intoArray(y5, q + L);
        s60.intoArray(y6, q);
        s61.intoArray(y6, q + L);
        s70.intoArray(y7, q);
        s71.intoArray(y7, q + L);
    }

    /** The lane sums of a 4 × 4 tile's accumulators (row-major in {@code tile}) into {@code part}, the real rows and columns only. */
    private static void sumTile(float[] tile, double[] part, int o, int oc, int j, int J) {
        for (int ti = 0; ti < 4 && o + ti < oc; ti++) {
            for (int tj = 0; tj < 4 && j + tj < J; tj++) {
                part[(o + ti) * J + j + tj] = FloatVector.fromArray(S, tile, (ti * 4 + tj) * L).reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * {@code part[o·J + j] = Σ_images Σ_{q < n} d[img·oc + o][q] · src[img·imgStride + off[j] + q]} for
     * images {@code from ≤ img < to}: the weight gradient of a chunk of images, each 4 × 4 tile of
     * (output channel, tap) summed in 16 vector registers over all the chunk's positions, then across
     * lanes in double. {@code d}'s rows must hold zeros from n up to n rounded up to a vector.
     */
    static void shiftedCorrelation(double[] part, int oc, int J, float[][] d, int from, int to, float[] src,
            int imgStride, int[] off, int n) {
        float[] tile = new float[16 * L];
        for (int o = 0; o < oc; o += 4) {
            // a last partial tile repeats its last row / column; only the real ones are written
            int o1 = Math.min(o + 1, oc - 1), o2 = Math.min(o + 2, oc - 1), o3 = Math.min(o + 3, oc - 1);
            for (int j = 0; j < J; j += 4) {
                int j1 = Math.min(j + 1, J - 1), j2 = Math.min(j + 2, J - 1), j3 = Math.min(j + 3, J - 1);
                FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00, s10 = s00, s11 = s00, s12 = s00,
                        s13 = s00, s20 = s00, s21 = s00, s22 = s00, s23 = s00, s30 = s00, s31 = s00, s32 = s00, s33 = s00;
                // one loop over (image, position): C2 kept the 16 accumulators in registers only across a single loop
                int img = from, q = 0;
                float[] d0 = d[img * oc + o], d1 = d[img * oc + o1], d2 = d[img * oc + o2], d3 = d[img * oc + o3];
                int p0 = img * imgStride + off[j], p1 = p0 + off[j1] - off[j], p2 = p0 + off[j2] - off[j], p3 = p0 + off[j3] - off[j];
                for (int step = 0, steps = (to - from) * ((n + L - 1) / L); step < steps; step++) {
                    {
                        FloatVector x0 = FloatVector.fromArray(S, src, p0 + q), x1 = FloatVector.fromArray(S, src, p1 + q);
                        FloatVector x2 = FloatVector.fromArray(S, src, p2 + q), x3 = FloatVector.fromArray(S, src, p3 + q);
                        FloatVector g = FloatVector.fromArray(S, d0, q);
                        s00 = g.fma(x0, s00);
                        s01 = g.fma(x1, s01);
                        s02 = g.fma(x2, s02);
                        s03 = g.fma(x3, s03);
                        g = FloatVector.fromArray(S, d1, q);
                        s10 = g.fma(x0, s10);
                        s11 = g.fma(x1, s11);
                        s12 = g.fma(x2, s12);
                        s13 = g.fma(x3, s13);
                        g = FloatVector.fromArray(S, d2, q);
                        s20 = g.fma(x0, s20);
                        s21 = g.fma(x1, s21);
                        s22 = g.fma(x2, s22);
                        s23 = g.fma(x3, s23);
                        g = FloatVector.fromArray(S, d3, q);
                        s30 = g.fma(x0, s30);
                        s31 = g.fma(x1, s31);
                        s32 = g.fma(x2, s32);
                        s33 = g.fma(x3, s33);
                    }
                    q += L;
                    if (q >= n && step + 1 < steps) {
                        q = 0;
                        img++;
                        d0 = d[img * oc + o];
                        d1 = d[img * oc + o1];
                        d2 = d[img * oc + o2];
                        d3 = d[img * oc + o3];
                        p0 += imgStride;
                        p1 += imgStride;
                        p2 += imgStride;
                        p3 += imgStride;
                    }
                }
                // the lane sums outside the vector code (reduceLanes here kept C2 from compiling the loop to registers)
                s00.intoArray(tile, 0);
                s01.intoArray(tile, L);
                s02.intoArray(tile, 2 * L);
                s03.intoArray(tile, 3 * L);
                s10.intoArray(tile, 4 * L);
                s11.intoArray(tile, 5 * L);
                s12.intoArray(tile, 6 * L);
                s13.intoArray(tile, 7 * L);
                s20.intoArray(tile, 8 * L);
                s21.intoArray(tile, 9 * L);
                s22.intoArray(tile, 10 * L);
                s23.intoArray(tile, 11 * L);
                s30.intoArray(tile, 12 * L);
                s31.intoArray(tile, 13 * L);
                s32.intoArray(tile, 14 * L);
                s33.intoArray(tile, 15 * L);
                sumTile(tile, part, o, oc, j, J);
            }
        }
    }
}
