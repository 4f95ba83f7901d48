package rnnlab.nn.dl4j;

import java.util.Arrays;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * The Java loops of {@link FastConvolutionImpl} in double (the float twin {@link ConvKernelF} is the
 * same code; this one serves gradient checks): the patch gather (im2col) into the transposed patch matrix
 * {@code col[k][r]} (k = (c, kh, kw), r = (n, oh, ow)), which makes every copied run a row segment of
 * the input; the scatter-add back (col2im); bias + activation while reordering the GEMM's
 * {@code [out, n·oh·ow]} result to NCHW; and the activation derivative while reordering the output
 * gradient back. Stride 1, no dilation. Not thread-safe (one per layer).
 */
final class ConvKernelD extends ConvKernel {

    private double[] xs = new double[0];
    private double[] col = new double[0];
    private double[] z = new double[0];
    private double[] outs = new double[0];
    private double[] eps = new double[0];
    private double[] dx = new double[0];

    @Override
    void shape(int n, int c, int h, int w, int oc, int kh, int kw, int ph, int pw) {
        super.shape(n, c, h, w, oc, kh, kw, ph, pw);
        if (xs.length != n * c * h * w) {
            xs = new double[n * c * h * w];
            dx = new double[n * c * h * w];
        }
        if (col.length != k * r) {
            col = new double[k * r];
        }
        if (z.length != oc * r) {
            z = new double[oc * r];
            outs = new double[oc * r];
            eps = new double[oc * r];
        }
    }

    private static void read(INDArray a, double[] dst) {
        if (a.ordering() != 'c' || !Shape.hasDefaultStridesForShape(a) || a.length() != dst.length) {
            a = a.dup('c');
        }
        a.data().asNioDouble().get((int) a.offset(), dst, 0, dst.length);
    }

    private static void write(double[] src, INDArray a) {
        a.data().asNioDouble().put((int) a.offset(), src, 0, src.length);
    }

    @Override
    void im2col(INDArray x, INDArray colBuf) {
        read(x, xs);
        for (int ci = 0; ci < c; ci++) {
            for (int ikh = 0; ikh < kh; ikh++) {
                for (int ikw = 0; ikw < kw; ikw++) {
                    int kk = (ci * kh + ikh) * kw + ikw;
                    int ow0 = Math.max(0, pw - ikw), ow1 = Math.min(ow, w + pw - ikw);
                    for (int in = 0; in < n; in++) {
                        for (int ioh = 0; ioh < oh; ioh++) {
                            int ih = ioh + ikh - ph;
                            int dst = kk * r + (in * oh + ioh) * ow;
                            if (ih < 0 || ih >= h || ow1 <= ow0) {
                                Arrays.fill(col, dst, dst + ow, 0.0);
                                continue;
                            }
                            if (ow0 > 0) {
                                Arrays.fill(col, dst, dst + ow0, 0.0);
                            }
                            System.arraycopy(xs, ((in * c + ci) * h + ih) * w + ow0 + ikw - pw, col, dst + ow0, ow1 - ow0);
                            if (ow1 < ow) {
                                Arrays.fill(col, dst + ow1, dst + ow, 0.0);
                            }
                        }
                    }
                }
            }
        }
        write(col, colBuf);
    }

    @Override
    void activate(INDArray zT, INDArray bias, boolean relu, INDArray out) {
        read(zT, z);
        double[] b = new double[oc];
        if (bias != null) {
            read(bias, b);
        }
        int p = oh * ow;
        for (int in = 0; in < n; in++) {
            for (int o = 0; o < oc; o++) {
                double bo = b[o];
                int src = in * p * oc + o, dst = (in * oc + o) * p;
                if (relu) {
                    for (int i = 0; i < p; i++) {
                        outs[dst + i] = Math.max(z[src + i * oc] + bo, 0.0);
                    }
                } else {
                    for (int i = 0; i < p; i++) {
                        outs[dst + i] = z[src + i * oc] + bo;
                    }
                }
            }
        }
        write(outs, out);
    }

    @Override
    void delta(INDArray epsilon, boolean relu, INDArray deltaBuf, INDArray biasGrad) {
        read(epsilon, eps);
        int p = oh * ow;
        double[] db = new double[oc];
        for (int o = 0; o < oc; o++) {
            double s = 0;
            for (int in = 0; in < n; in++) {
                int dst = o * r + in * p, src = (in * oc + o) * p;
                if (relu) {
                    for (int i = 0; i < p; i++) {
                        double d = outs[src + i] > 0.0 ? eps[src + i] : 0.0;
                        z[dst + i] = d;
                        s += d;
                    }
                } else {
                    for (int i = 0; i < p; i++) {
                        double d = eps[src + i];
                        z[dst + i] = d;
                        s += d;
                    }
                }
            }
            db[o] = s;
        }
        write(z, deltaBuf);
        if (biasGrad != null) {
            double[] g = new double[oc];
            for (int o = 0; o < oc; o++) {
                g[o] = db[o];
            }
            write(g, biasGrad);
        }
    }

    @Override
    void col2im(INDArray dcolBuf, INDArray epsOut) {
        read(dcolBuf, col);
        Arrays.fill(dx, 0.0);
        for (int ci = 0; ci < c; ci++) {
            for (int ikh = 0; ikh < kh; ikh++) {
                for (int ikw = 0; ikw < kw; ikw++) {
                    int kk = (ci * kh + ikh) * kw + ikw;
                    int ow0 = Math.max(0, pw - ikw), ow1 = Math.min(ow, w + pw - ikw);
                    if (ow1 <= ow0) {
                        continue;
                    }
                    for (int in = 0; in < n; in++) {
                        for (int ioh = 0; ioh < oh; ioh++) {
                            int ih = ioh + ikh - ph;
                            if (ih < 0 || ih >= h) {
                                continue;
                            }
                            int src = kk * r + (in * oh + ioh) * ow + ow0;
                            int dst = ((in * c + ci) * h + ih) * w + ow0 + ikw - pw;
                            for (int i = 0, len = ow1 - ow0; i < len; i++) {
                                dx[dst + i] += col[src + i];
                            }
                        }
                    }
                }
            }
        }
        write(dx, epsOut);
    }
}
