package rnnlab.nn.dl4j.conv;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The geometry and computation of one {@link FastConvolutionImpl} (stride 1, no dilation, NCHW);
 * float ({@link ConvKernelF}) and double ({@code ConvKernelD}, generated from the float one at build time).
 *
 * <p>Layout ("wide planes"): the input is copied once into zero-padded planes of {@code hp × wp}
 * values; an output plane is computed on the same row stride {@code wp}, as {@code len = (oh-1)·wp + ow}
 * values of which the columns {@code ≥ ow} of each row are unused. Then the input value under kernel
 * tap (ky, kx) of output position q is simply {@code xp[q + ky·wp + kx]}: one kernel tap is ONE
 * contiguous run of {@code len} values per image and channel, instead of {@code oh} runs of {@code ow}.
 * That makes the patch copy (im2col) {@code c·kh·kw·n} bulk copies, and lets the direct path shift a
 * whole plane with one {@code System.arraycopy} and then run loops whose arrays all use the SAME index,
 * the only form JDK 17's C2 vectorises (measured: {@code a[q] += w·b[q]} 0.05 ns per element,
 * {@code a[q] += w·b[q + s]} 0.38 ns, i.e. not vectorised).
 *
 * <p>Two paths, chosen by the patch length {@code k = c·kh·kw}:
 * <ul>
 *   <li><b>direct</b> ({@code k ≤} {@link #DIRECT_MAX_PATCH}, e.g. LeNet's first layer, k = 25): the
 *       products are Java loops over shifted planes (forward: output planes += w · shifted input; weight
 *       gradient: per-position accumulators += output gradient × shifted input, summed at the end; input
 *       gradient: the full correlation of the output gradient with the kernel). For such thin patches
 *       OpenBLAS ran [n·len, k]·[k, oc] at 15–25 GFLOP/s and needed the 7 MB patch matrix written first.</li>
 *   <li><b>GEMM</b> (longer patches, e.g. LeNet's second layer, k = 150): the wide patch matrix
 *       {@code col [k, n·len]} is built off-heap by bulk copies and two products go to OpenBLAS
 *       ({@link rnnlab.nn.dl4j.runtime.Blas#gemmInCaller Blas.gemmInCaller}): Z<sup>T</sup> = col<sup>T</sup>W<sup>T</sup> and dW = Δ col<sup>T</sup>
 *       (50–80 GFLOP/s for these shapes on one thread); the patch gradients W<sup>T</sup>Δ are Java
 *       loops per image, summed straight back into dL/dx (their K = oc = 16 made the single-thread-sized
 *       OpenBLAS calls small and slow).</li>
 * </ul>
 * The work is split into pieces of images run by {@link rnnlab.nn.dl4j.runtime.Parallel Parallel}; products are cut into calls that
 * OpenBLAS keeps on the calling thread. Not thread-safe (one per layer).
 */
abstract sealed class ConvKernel permits ConvKernelF, ConvKernelD {

    /** Patch lengths {@code c·kh·kw} up to this take the direct path, longer ones the GEMM path (unless {@link #VECTOR}). */
    static final int DIRECT_MAX_PATCH = 64;

    /**
     * Whether this JVM has the Vector API ({@code --add-modules jdk.incubator.vector}, as the rnnlab kernel,
     * the tests and the benchmark start it): then every geometry takes the direct path, with its loops
     * register-blocked ({@link VectorConvFloat}); without it the auto-vectorised loops and the GEMM path
     * run, with the same results up to float rounding. {@code -Drnnlab.conv.vector=false} turns it off, and
     * so does a CPU whose preferred vectors do not suit the loops ({@link VectorConvFloat#usable}).
     */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !"false".equals(System.getProperty("rnnlab.conv.vector"))
            && VectorConvFloat.usable(); // loaded only when the module is there

    /** For tests only: when true, kernels shaped afterwards do not use the Vector API even if {@link #VECTOR}. */
    static volatile boolean scalarOnly;

    /** Values of room kept after rows and sources that the Vector API loops read or write in whole vectors (four 512-bit float vectors). */
    static final int SLACK = 64;

    /**
     * For tests only: {@code null} chooses the path by patch length; {@code TRUE} / {@code FALSE} forces
     * the direct / GEMM path for kernels shaped afterwards.
     */
    static volatile Boolean forceDirect;

    /**
     * {@code min(a·S·S, 1)} is exactly 1 for every positive {@code a} (even the smallest subnormal) and 0
     * for {@code a = 0}: the ReLU derivative of a non-negative output as a multiplication, which C2
     * vectorises (a {@code a > 0 ? d : 0} select is not vectorised and mispredicts: 0.6 vs 0.15 ns per
     * element). Named by type so that the generated double kernel picks its own.
     */
    static final float UNIT_SCALE_Float = 0x1p75f;
    /** The double counterpart of {@link #UNIT_SCALE_Float} (2<sup>1080</sup> · 2<sup>-1074</sup> ≥ 1). */
    static final double UNIT_SCALE_Double = 0x1p540;

    /** Batch, input channels, height, width, output channels, kernel, padding, output size. */
    int n, c, h, w, oc, kh, kw, ph, pw, oh, ow;
    /** Padded plane: height, width (the row stride of every wide plane) and size. */
    int hp, wp, hw;
    /** Wide output plane length {@code (oh-1)·wp + ow}, patch length {@code c·kh·kw}, wide patch count {@code n·len}. */
    int len, k, r;
    /** Whether this geometry takes the direct path, and whether with the Vector API loops. */
    boolean direct, vector;
    /** Per patch index j = (ci, ky, kx): the offset {@code ci·hw + ky·wp + kx} of its tap in an image's padded planes. */
    int[] offs = new int[0];

    /**
     * Sets the geometry (stride 1); returns whether it changed (then the subclass re-sizes its buffers).
     */
    boolean shape(int n, int c, int h, int w, int oc, int kh, int kw, int ph, int pw) {
        boolean vec = VECTOR && !scalarOnly;
        boolean dir = forceDirect != null ? forceDirect : vec || (long) c * kh * kw <= DIRECT_MAX_PATCH;
        vec &= dir;
        if (n == this.n && c == this.c && h == this.h && w == this.w && oc == this.oc && kh == this.kh && kw == this.kw
                && ph == this.ph && pw == this.pw && dir == direct && vec == vector) {
            return false;
        }
        long ohl = h + 2L * ph - kh + 1, owl = w + 2L * pw - kw + 1;
        long hpl = h + 2L * ph, wpl = w + 2L * pw;
        long lenl = (ohl - 1) * wpl + owl, kk = (long) c * kh * kw, rr = n * lenl;
        long biggest = Math.max(Math.max(kk * rr, (long) oc * rr), Math.max((long) n * c * hpl * wpl, (long) n * oc * ohl * owl)) + SLACK;
        if (ohl < 1 || owl < 1 || biggest >= Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("FastConvolution: input " + h + "x" + w + " with kernel " + kh + "x" + kw
                    + " and padding " + ph + "x" + pw + " gives no output or too large a batch (" + n + "); use smaller batches");
        }
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.oc = oc;
        this.kh = kh;
        this.kw = kw;
        this.ph = ph;
        this.pw = pw;
        this.oh = (int) ohl;
        this.ow = (int) owl;
        this.hp = (int) hpl;
        this.wp = (int) wpl;
        this.hw = hp * wp;
        this.len = (int) lenl;
        this.k = (int) kk;
        this.r = (int) rr;
        this.direct = dir;
        this.vector = vec;
        offs = new int[k];
        for (int ci = 0, j = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, j++) {
                    offs[j] = ci * hw + ky * wp + kx;
                }
            }
        }
        return true;
    }

    /**
     * out [n, oc, oh, ow] = act(conv(x, weights) + bias) with act ReLU or identity; keeps what
     * {@link #backward} needs (the padded input, the activations and, on the GEMM path, the patch matrix).
     *
     * @param weights [oc, c, kh, kw]
     * @param bias    [oc] (any shape of that length), or null for none
     */
    abstract void forward(INDArray x, INDArray weights, INDArray bias, boolean relu, INDArray out);

    /**
     * The gradients for the last {@link #forward}: {@code gW} [oc, c, kh, kw] and {@code gB} (if not
     * null) are overwritten; {@code epsOut} [n, c, h, w] receives dL/dx unless it is null (not needed).
     *
     * @param epsilon dL/d(output) [n, oc, oh, ow]
     */
    abstract void backward(INDArray epsilon, INDArray weights, boolean relu, INDArray gW, INDArray gB, INDArray epsOut);
}
