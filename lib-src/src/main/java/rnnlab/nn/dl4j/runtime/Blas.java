package rnnlab.nn.dl4j.runtime;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct row-major {@code cblas_?gemm} calls into the OpenBLAS that nd4j-native already loads
 * (JavaCPP's {@code org.bytedeco.openblas} preset, a dependency of nd4j-native), for the fused
 * recurrent layers' per-time-step products. Why: {@code Nd4j.gemm} on the per-step row views costs
 * an op object, shape checks and a custom-op dispatch per call; measured on [128×32]·[32×32] (the
 * IMDB SimpleRNN step) it took 220–330 µs per call under load where the same {@code cblas_sgemm} took
 * 8–14 µs, and a sequence of 500 steps makes 1,000 such calls per training step. The fused layers'
 * whole-sequence products go here too, so that a direction of a bidirectional layer needs no ND4J op
 * and can run on a helper thread. Pointers are made only from offset-0, contiguous buffers that are
 * no views (the layers' own {@code FusedBuffers}, or a fresh workspace array), so element offsets are
 * exact. Overloaded by precision for the generated double kernel.
 *
 * <p>Public only so that the layer packages beside {@code runtime} can call it; not part of rnnlab's API.
 */
public final class Blas {

    private Blas() {
    }

    /** The number of threads OpenBLAS uses for one call (of the library instance these calls go to). */
    public static int threads() {
        return openblas_nolapack.blas_get_num_threads();
    }

    /**
     * Sets OpenBLAS's threads per call (process-wide for this library instance). {@code FusedBidirectionalLayer}
     * runs its two directions on two Java threads with one BLAS thread each, then restores the count.
     */
    public static void setThreads(int n) {
        openblas_nolapack.blas_set_num_threads(n);
    }

    /**
     * Copies {@code n} elements from element 0 of {@code src} to element 0 of {@code dst} (native
     * memcpy; both offset-0 arrays that own their whole buffer, of one data type).
     */
    public static void copy(INDArray src, INDArray dst, long n) {
        if (src.dataType() != dst.dataType() || src.offset() != 0 || dst.offset() != 0 || src.data().length() < n
                || dst.data().length() < n) {
            throw new IllegalArgumentException("Blas.copy: need offset-0 buffers of one type holding " + n + " elements");
        }
        long bytes = n * src.dataType().width();
        Pointer.memcpy(new BytePointer(dst.data().addressPointer()), new BytePointer(src.data().addressPointer()), bytes);
    }

    /** A pointer to element 0 of an offset-0, contiguous float buffer (the caller's own, or a fresh workspace array). */
    public static FloatPointer floatPointer(INDArray flat) {
        check(flat);
        return new FloatPointer(flat.data().addressPointer());
    }

    /** A pointer to element 0 of an offset-0, contiguous double buffer. */
    public static DoublePointer doublePointer(INDArray flat) {
        check(flat);
        return new DoublePointer(flat.data().addressPointer());
    }

    private static void check(INDArray flat) {
        if (flat.offset() != 0 || flat.isView() || flat.ordering() != 'c') {
            throw new IllegalStateException("Blas: need an offset-0 'c' buffer that is no view, got offset " + flat.offset()
                    + ", view " + flat.isView() + ", order " + flat.ordering());
        }
    }

    /**
     * C[m, n] = A[m, k] · op(B) + beta · C, row-major; op(B) = B [k, n] (ldb ≥ n) or, with
     * {@code transB}, Bᵀ for B stored [n, k] (ldb ≥ k). Offsets are in elements.
     */
    public static void gemm(boolean transB, int m, int n, int k, FloatPointer a, long aOff, int lda, FloatPointer b, int ldb,
            float beta, FloatPointer c, long cOff, int ldc) {
        gemm(false, transB, m, n, k, a, aOff, lda, b, 0, ldb, beta, c, cOff, ldc);
    }

    /**
     * OpenBLAS (0.3.19, pthreads build) runs a GEMM on the calling thread alone when m·n·k is at most
     * this ({@code SMP_THRESHOLD_MIN} 65536 × {@code GEMM_MULTITHREAD_THRESHOLD}), else on all its
     * threads. On the shared 2-core machine at load 7–9 that matters more than anything else: LeNet's
     * [12032×150]·[150×16] took 8–10 ms (median) with OpenBLAS's two threads and 1.0 ms with one,
     * and the same product cut into calls of ≤ 109 rows 0.9 ms even with two threads configured.
     */
    static final long SINGLE_THREAD_MNK = 65536L * openblas_nolapack.OPENBLAS_GEMM_MULTITHREAD_THRESHOLD;

    /**
     * Row-major C[m, n] = op(A) op(B) + beta·C on sub-blocks of dense arrays (element offsets from each
     * array's own first element, and leading dimensions, as in CBLAS; the caller guarantees the layout,
     * e.g. a parameter or gradient view of DL4J's flattened buffer), cut into calls small enough
     * ({@link #SINGLE_THREAD_MNK}) that OpenBLAS runs each on the calling thread: by rows of C, else
     * by columns, else by the inner dimension (accumulating in order, so the result does not depend on
     * timing). Parallelism, where wanted, comes from the caller ({@link Parallel}). Float or double by
     * the arrays' type. Thread-safe (no shared pointer state).
     */
    public static void gemmInCaller(boolean transA, boolean transB, int m, int n, int k, INDArray a, long aOff, int lda,
            INDArray b, long bOff, int ldb, double beta, INDArray c, long cOff, int ldc) {
        if (a.dataType() != c.dataType() || b.dataType() != c.dataType()) {
            throw new IllegalArgumentException("Blas.gemmInCaller: mixed types " + a.dataType() + ", " + b.dataType() + ", " + c.dataType());
        }
        boolean single = switch (c.dataType()) {
            case FLOAT -> true;
            case DOUBLE -> false;
            default -> throw new IllegalArgumentException("Blas.gemmInCaller: FLOAT or DOUBLE only, got " + c.dataType());
        };
        org.bytedeco.javacpp.Pointer pa = a.data().addressPointer(), pb = b.data().addressPointer(), pc = c.data().addressPointer();
        // a view's buffer already starts at the view's offset (its addressPointer points there), so
        // element 0 of the array lies (array offset - buffer offset) elements past that pointer
        aOff += a.offset() - a.data().offset();
        bOff += b.offset() - b.data().offset();
        cOff += c.offset() - c.data().offset();
        long mnk = (long) m * n * k;
        if (mnk <= SINGLE_THREAD_MNK || m == 0 || n == 0 || k == 0) {
            call(single, transA, transB, m, n, k, pa, aOff, lda, pb, bOff, ldb, beta, pc, cOff, ldc);
        } else if ((long) n * k <= SINGLE_THREAD_MNK / 8) {
            int rows = (int) Math.max(1, SINGLE_THREAD_MNK / ((long) n * k));
            for (int i = 0; i < m; i += rows) {
                int mm = Math.min(rows, m - i);
                long ai = transA ? aOff + i : aOff + (long) i * lda;
                call(single, transA, transB, mm, n, k, pa, ai, lda, pb, bOff, ldb, beta, pc, cOff + (long) i * ldc, ldc);
            }
        } else if ((long) m * k <= SINGLE_THREAD_MNK / 8) {
            int cols = (int) Math.max(1, SINGLE_THREAD_MNK / ((long) m * k));
            for (int j = 0; j < n; j += cols) {
                int nn = Math.min(cols, n - j);
                long bj = transB ? bOff + (long) j * ldb : bOff + j;
                call(single, transA, transB, m, nn, k, pa, aOff, lda, pb, bj, ldb, beta, pc, cOff + j, ldc);
            }
        } else {
            int depth = (int) Math.max(1, SINGLE_THREAD_MNK / ((long) m * n));
            for (int p = 0; p < k; p += depth) {
                int kk = Math.min(depth, k - p);
                long ap = transA ? aOff + (long) p * lda : aOff + p;
                long bp = transB ? bOff + p : bOff + (long) p * ldb;
                call(single, transA, transB, m, n, kk, pa, ap, lda, pb, bp, ldb, p == 0 ? beta : 1.0, pc, cOff, ldc);
            }
        }
    }

    /** One CBLAS call on fresh pointer objects (base address + element offset), so concurrent callers share no state. */
    private static void call(boolean single, boolean transA, boolean transB, int m, int n, int k, org.bytedeco.javacpp.Pointer a,
            long aOff, int lda, org.bytedeco.javacpp.Pointer b, long bOff, int ldb, double beta, org.bytedeco.javacpp.Pointer c,
            long cOff, int ldc) {
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (single) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1f, new FloatPointer(a).position(aOff), lda,
                    new FloatPointer(b).position(bOff), ldb, (float) beta, new FloatPointer(c).position(cOff), ldc);
        } else {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1.0, new DoublePointer(a).position(aOff), lda,
                    new DoublePointer(b).position(bOff), ldb, beta, new DoublePointer(c).position(cOff), ldc);
        }
    }

    /**
     * The general row-major product on raw buffers: C[m, n] = op(A) · op(B) + beta · C with element
     * offsets and leading dimensions for all three; op(A) is A [m, k] (lda ≥ k) or, with {@code transA},
     * Aᵀ for A stored [k, m] (lda ≥ m); likewise op(B). For the whole-sequence products of the fused
     * layers, whose operands are row blocks or column blocks of larger buffers.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, long aOff, int lda,
            FloatPointer b, long bOff, int ldb, float beta, FloatPointer c, long cOff, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, 1f,
                a.position(aOff), lda, b.position(bOff), ldb, beta, c.position(cOff), ldc);
    }

    /** The double twin of {@link #gemm(boolean, boolean, int, int, int, FloatPointer, long, int, FloatPointer, long, int, float, FloatPointer, long, int)}. */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, DoublePointer a, long aOff, int lda,
            DoublePointer b, long bOff, int ldb, double beta, DoublePointer c, long cOff, int ldc) {
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, 1.0,
                a.position(aOff), lda, b.position(bOff), ldb, beta, c.position(cOff), ldc);
    }

    /** The double twin of {@link #gemm(boolean, int, int, int, FloatPointer, long, int, FloatPointer, int, float, FloatPointer, long, int)}. */
    public static void gemm(boolean transB, int m, int n, int k, DoublePointer a, long aOff, int lda, DoublePointer b, int ldb,
            double beta, DoublePointer c, long cOff, int ldc) {
        gemm(false, transB, m, n, k, a, aOff, lda, b, 0, ldb, beta, c, cOff, ldc);
    }
}
