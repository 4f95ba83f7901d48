package rnnlab.nn.dl4j.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Blas#gemmInCaller} against ND4J's product on sub-blocks (offsets, leading dimensions larger
 * than the block, views, every transpose), for shapes that take each way of cutting the product into
 * single-thread-sized calls: none, by rows, by columns, by the inner dimension (with beta).
 */
class BlasTest {

    /**
     * {m, n, k}: small (one call), rows (n·k small), columns (m·k small), inner dimension (m·n large);
     * odd sums pass views, even ones whole buffers with offsets.
     */
    private static final int[][] SHAPES = {{7, 5, 3}, {3000, 16, 150}, {150, 3000, 16}, {40, 150, 3000},
        {8, 5, 3}, {3001, 16, 150}, {151, 3000, 16}, {41, 150, 3000}};

    @Test
    void cutProductsEqualOneProduct() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (int[] s : SHAPES) {
                for (int t = 0; t < 4; t++) {
                    check(dt, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0);
                }
            }
        }
    }

    private static void check(DataType dt, int m, int n, int k, boolean transA, boolean transB) {
        Nd4j.getRandom().setSeed(m + 7L * n + 31L * k);
        // A and B stored as blocks inside larger buffers: 2 extra leading rows, 3 extra columns
        int ar = transA ? k : m, ac = transA ? m : k, br = transB ? n : k, bc = transB ? k : n;
        INDArray aBuf = Nd4j.rand(dt, ar + 2, ac + 3).subi(0.5), bBuf = Nd4j.rand(dt, br + 2, bc + 3).subi(0.5);
        INDArray cBuf = Nd4j.rand(dt, m + 2, n + 3);
        INDArray a = aBuf.get(NDArrayIndex.interval(2, ar + 2), NDArrayIndex.interval(0, ac));
        INDArray b = bBuf.get(NDArrayIndex.interval(2, br + 2), NDArrayIndex.interval(0, bc));
        INDArray c0 = cBuf.get(NDArrayIndex.interval(2, m + 2), NDArrayIndex.interval(0, n)).dup();
        INDArray before = cBuf.dup();
        double beta = 0.5;
        INDArray expected = (transA ? a.transpose() : a).mmul(transB ? b.transpose() : b).addi(c0.mul(beta));
        if ((m + n + k) % 2 == 0) { // whole buffers with element offsets
            Blas.gemmInCaller(transA, transB, m, n, k, aBuf, 2L * (ac + 3), ac + 3, bBuf, 2L * (bc + 3), bc + 3, beta,
                    cBuf, 2L * (n + 3), n + 3);
        } else { // views whose buffers start at the view (as DL4J's parameter and gradient views)
            Blas.gemmInCaller(transA, transB, m, n, k, aBuf.get(NDArrayIndex.interval(2, ar + 2), NDArrayIndex.all()), 0, ac + 3,
                    bBuf.get(NDArrayIndex.interval(2, br + 2), NDArrayIndex.all()), 0, bc + 3, beta,
                    cBuf.get(NDArrayIndex.interval(2, m + 2), NDArrayIndex.all()), 0, n + 3);
        }
        INDArray actual = cBuf.get(NDArrayIndex.interval(2, m + 2), NDArrayIndex.interval(0, n));
        double scale = expected.amaxNumber().doubleValue();
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        double tol = dt == DataType.FLOAT ? 1e-5 : 1e-12;
        String what = dt + " " + Arrays.toString(new int[] {m, n, k}) + " transA " + transA + " transB " + transB;
        assertTrue(diff / scale <= tol, what + ": max |difference| " + diff + " relative to " + scale);
        actual.assign(before.get(NDArrayIndex.interval(2, m + 2), NDArrayIndex.interval(0, n)));
        assertTrue(before.equals(cBuf), what + ": values outside the block changed");
    }
}
