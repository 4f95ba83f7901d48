package rnnlab.nn.dl4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/** The geometry and Java loops of one {@link FastConvolutionImpl}; float and double versions. */
abstract sealed class ConvKernel permits ConvKernelF, ConvKernelD {

    /** Batch, input channels, height, width, output channels, kernel, padding, output size. */
    int n, c, h, w, oc, kh, kw, ph, pw, oh, ow;
    /** Patch length c·kh·kw and patch count n·oh·ow. */
    int k, r;

    /** Sets the geometry (stride 1) and sizes the buffers. */
    void shape(int n, int c, int h, int w, int oc, int kh, int kw, int ph, int pw) {
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.oc = oc;
        this.kh = kh;
        this.kw = kw;
        this.ph = ph;
        this.pw = pw;
        this.oh = h + 2 * ph - kh + 1;
        this.ow = w + 2 * pw - kw + 1;
        long kk = (long) c * kh * kw, rr = (long) n * oh * ow;
        if (oh < 1 || ow < 1 || kk * rr >= Integer.MAX_VALUE || (long) oc * rr >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("FastConvolution: input " + h + "x" + w + " with kernel " + kh + "x" + kw
                    + " and padding " + ph + "x" + pw + " gives no output or too large a batch (" + n + "); use smaller batches");
        }
        this.k = (int) kk;
        this.r = (int) rr;
    }

    /** Gathers the patches of input {@code x} [n, c, h, w] into {@code colBuf} [k, r]. */
    abstract void im2col(INDArray x, INDArray colBuf);

    /**
     * out [n, oc, oh, ow] = act(zT [r, oc] + bias); keeps the output for {@link #delta}. (The forward
     * GEMM writes Z transposed: for LeNet's first layer, [r, oc] = col<sup>T</sup> W<sup>T</sup> took
     * 1.7 ms where [oc, r] = W col took 8–12 ms with OpenBLAS.)
     */
    abstract void activate(INDArray zT, INDArray bias, boolean relu, INDArray out);

    /**
     * deltaBuf [oc, r] = epsilon [n, oc, oh, ow] × act'(last output); biasGrad (if not null) = its row
     * sums.
     */
    abstract void delta(INDArray epsilon, boolean relu, INDArray deltaBuf, INDArray biasGrad);

    /** epsOut [n, c, h, w] = the scatter-add of the patch gradients {@code dcolBuf} [k, r]. */
    abstract void col2im(INDArray dcolBuf, INDArray epsOut);
}
