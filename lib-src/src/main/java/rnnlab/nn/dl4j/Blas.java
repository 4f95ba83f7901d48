package rnnlab.nn.dl4j;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Direct row-major {@code cblas_?gemm} calls into the OpenBLAS that nd4j-native already loads
 * (JavaCPP's {@code org.bytedeco.openblas} preset, a dependency of nd4j-native), for the fused
 * recurrent layers' per-time-step products. Why: {@code Nd4j.gemm} on the per-step row views costs
 * an op object, shape checks and a custom-op dispatch per call; measured on [128×32]·[32×32] (the
 * IMDB SimpleRNN step) it took 220–330 µs per call under load where the same {@code cblas_sgemm} took
 * 8–14 µs, and a sequence of 500 steps makes 1,000 such calls per training step. Pointers are made
 * only from detached, offset-0, contiguous buffers that the caller owns ({@link FusedBuffers}), so
 * element offsets are exact. Overloaded by precision for the generated double kernel.
 */
final class Blas {

    private Blas() {
    }

    /** A pointer to element 0 of a detached, offset-0, contiguous float buffer. */
    static FloatPointer floatPointer(INDArray flat) {
        check(flat);
        return new FloatPointer(flat.data().addressPointer());
    }

    /** A pointer to element 0 of a detached, offset-0, contiguous double buffer. */
    static DoublePointer doublePointer(INDArray flat) {
        check(flat);
        return new DoublePointer(flat.data().addressPointer());
    }

    private static void check(INDArray flat) {
        if (flat.offset() != 0 || flat.isView() || flat.ordering() != 'c') {
            throw new IllegalStateException("Blas: need a detached, offset-0 'c' buffer, got offset " + flat.offset()
                    + ", view " + flat.isView() + ", order " + flat.ordering());
        }
    }

    /**
     * C[m, n] = A[m, k] · op(B) + beta · C, row-major; op(B) = B [k, n] (ldb ≥ n) or, with
     * {@code transB}, Bᵀ for B stored [n, k] (ldb ≥ k). Offsets are in elements.
     */
    static void gemm(boolean transB, int m, int n, int k, FloatPointer a, long aOff, int lda, FloatPointer b, int ldb,
            float beta, FloatPointer c, long cOff, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, 1f,
                a.position(aOff), lda, b.position(0), ldb, beta, c.position(cOff), ldc);
    }

    /**
     * General row-major C[m, n] = op(A) · op(B) + beta · C on whole buffers (offset 0): op(A) is A
     * [m, k] or, with {@code transA}, Aᵀ for A stored [k, m]; likewise op(B). Picks single or double
     * precision from the arrays, which must be detached, offset-0 and contiguous (checked).
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, INDArray a, INDArray b, double beta, INDArray c) {
        int lda = transA ? m : k, ldb = transB ? k : n;
        if (a.length() != (long) m * k || b.length() != (long) k * n || c.length() != (long) m * n
                || a.dataType() != c.dataType() || b.dataType() != c.dataType()) {
            throw new IllegalArgumentException("Blas.gemm: shapes/types do not match m=" + m + " n=" + n + " k=" + k);
        }
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        switch (c.dataType()) {
            case FLOAT -> openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1f,
                    floatPointer(a), lda, floatPointer(b), ldb, (float) beta, floatPointer(c), n);
            case DOUBLE -> openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, m, n, k, 1.0,
                    doublePointer(a), lda, doublePointer(b), ldb, beta, doublePointer(c), n);
            default -> throw new IllegalArgumentException("Blas.gemm: FLOAT or DOUBLE only, got " + c.dataType());
        }
    }

    /** The double twin of {@link #gemm(boolean, int, int, int, FloatPointer, long, int, FloatPointer, int, float, FloatPointer, long, int)}. */
    static void gemm(boolean transB, int m, int n, int k, DoublePointer a, long aOff, int lda, DoublePointer b, int ldb,
            double beta, DoublePointer c, long cOff, int ldc) {
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, m, n, k, 1.0,
                a.position(aOff), lda, b.position(0), ldb, beta, c.position(cOff), ldc);
    }
}
