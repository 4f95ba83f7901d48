package rnnlab.data;

/**
 * The torchvision pipeline of report 001:
 * {@code Compose([Resize((32, 32)), ToTensor(), Normalize((0.1307,), (0.3081,))])}, applied to one
 * 8-bit image.
 *
 * <p><b>Resize.</b> torchvision's {@code MNIST} hands {@code Resize} a PIL image, so the default
 * {@link Interpolation#PIL_BILINEAR} reproduces Pillow's {@code Image.resize(BILINEAR)} for mode
 * "L" bit-for-bit: a triangle filter (support 1, widened by the scale when shrinking, which is
 * Pillow's antialiasing), per-pixel weights normalised and rounded to 22-bit fixed point, a
 * horizontal pass then a vertical pass, each rounded and clipped to 0..255. It is checked against
 * Pillow 9.4 in the tests. {@link Interpolation#TENSOR_BILINEAR} is
 * {@code torch.nn.functional.interpolate(mode='bilinear', align_corners=False, antialias=False)} in
 * float32 (what {@code Resize} does on a tensor, i.e. with {@code ToTensor()} first).
 * Hand-written: neither ND4J nor DL4J has a Pillow-compatible resampler.
 *
 * <p><b>ToTensor / Normalize.</b> {@code v / 255f}, then {@code (x - mean) / std}, in float32 as torch does.
 *
 * @param size          output height and width (32 in the report); equal to the input size = no resize
 * @param interpolation how to resize
 * @param mean          Normalize mean (0.1307)
 * @param std           Normalize std (0.3081), must be > 0
 */
public record MnistTransform(int size, Interpolation interpolation, double mean, double std) {

    /** How {@code Resize} interpolates. */
    public enum Interpolation {
        /** Pillow's bilinear resize of an 8-bit image (torchvision on PIL images; the report's pipeline). */
        PIL_BILINEAR,
        /** torch's float bilinear interpolation, align_corners=False, no antialias (torchvision on tensors). */
        TENSOR_BILINEAR
    }

    /** Checks the arguments. */
    public MnistTransform {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0, got " + size);
        }
        java.util.Objects.requireNonNull(interpolation, "interpolation");
        if (!(std > 0)) {
            throw new IllegalArgumentException("std must be > 0, got " + std);
        }
    }

    /** Report 001's transform: resize to 32×32 (Pillow bilinear), to [0,1], normalise (0.1307, 0.3081). */
    public static MnistTransform report001() {
        return new MnistTransform(32, Interpolation.PIL_BILINEAR, 0.1307, 0.3081);
    }

    /** Only {@code ToTensor()}: 28×28 scaled to [0,1], no normalisation. */
    public static MnistTransform toTensorOnly() {
        return new MnistTransform(28, Interpolation.PIL_BILINEAR, 0.0, 1.0);
    }

    /**
     * Transforms image {@code index} of {@code images} into {@code out[offset .. offset + size*size)}, row-major.
     */
    public void apply(MnistImages images, int index, float[] out, int offset) {
        int rows = images.rows();
        int cols = images.cols();
        int base = index * rows * cols;
        byte[] px = images.pixels();
        float m = (float) mean;
        float s = (float) std;
        if (rows == size && cols == size) {
            for (int k = 0; k < size * size; k++) {
                out[offset + k] = ((px[base + k] & 0xff) / 255f - m) / s;
            }
            return;
        }
        if (interpolation == Interpolation.PIL_BILINEAR) {
            int[] img = new int[rows * cols];
            for (int k = 0; k < img.length; k++) {
                img[k] = px[base + k] & 0xff;
            }
            int[] r = pilResize(img, cols, rows, size, size);
            for (int k = 0; k < r.length; k++) {
                out[offset + k] = (r[k] / 255f - m) / s;
            }
        } else {
            float[] img = new float[rows * cols];
            for (int k = 0; k < img.length; k++) {
                img[k] = (px[base + k] & 0xff) / 255f;
            }
            float[] r = tensorResize(img, rows, cols, size, size);
            for (int k = 0; k < r.length; k++) {
                out[offset + k] = (r[k] - m) / s;
            }
        }
    }

    // ---- Pillow (libImaging/Resample.c) for 8-bit images ----

    private static final int PRECISION_BITS = 32 - 8 - 2;

    /** Fixed-point coefficients and bounds of one axis: bounds[2*i] = first input, bounds[2*i+1] = count. */
    private record Coeffs(int ksize, int[] bounds, int[] kk) {
    }

    private static Coeffs pilCoeffs(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = 1.0 * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] kk = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double t = Math.abs((x + xmin - center + 0.5) * ss);
                double w = t < 1.0 ? 1.0 - t : 0.0;
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < ksize; x++) {
                double v = x < xmax ? (ww != 0.0 ? k[x] / ww : k[x]) : 0.0;
                kk[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                        : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        return new Coeffs(ksize, bounds, kk);
    }

    private static int clip8(int in) {
        if (in >= (1 << PRECISION_BITS << 8)) {
            return 255;
        }
        if (in <= 0) {
            return 0;
        }
        return in >> PRECISION_BITS;
    }

    /** Pillow's {@code ImagingResample(BILINEAR)} for mode "L": horizontal pass, then vertical. */
    static int[] pilResize(int[] in, int inW, int inH, int outW, int outH) {
        int[] tmp = in;
        int w = inW;
        if (outW != inW) {
            Coeffs c = pilCoeffs(inW, outW);
            tmp = new int[outW * inH];
            for (int y = 0; y < inH; y++) {
                for (int xx = 0; xx < outW; xx++) {
                    int xmin = c.bounds[xx * 2];
                    int xmax = c.bounds[xx * 2 + 1];
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < xmax; x++) {
                        ss += in[y * inW + x + xmin] * c.kk[xx * c.ksize + x];
                    }
                    tmp[y * outW + xx] = clip8(ss);
                }
            }
            w = outW;
        }
        if (outH == inH) {
            return tmp;
        }
        Coeffs c = pilCoeffs(inH, outH);
        int[] out = new int[w * outH];
        for (int yy = 0; yy < outH; yy++) {
            int ymin = c.bounds[yy * 2];
            int ymax = c.bounds[yy * 2 + 1];
            for (int xx = 0; xx < w; xx++) {
                int ss = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < ymax; y++) {
                    ss += tmp[(y + ymin) * w + xx] * c.kk[yy * c.ksize + y];
                }
                out[yy * w + xx] = clip8(ss);
            }
        }
        return out;
    }

    // ---- torch upsample_bilinear2d, align_corners=False ----

    static float[] tensorResize(float[] in, int inH, int inW, int outH, int outW) {
        float hScale = (float) inH / outH;
        float wScale = (float) inW / outW;
        float[] out = new float[outH * outW];
        for (int h2 = 0; h2 < outH; h2++) {
            float hr = Math.max(hScale * (h2 + 0.5f) - 0.5f, 0f);
            int h1 = (int) hr;
            int h1p = h1 < inH - 1 ? 1 : 0;
            float h1l = hr - h1;
            float h0l = 1f - h1l;
            for (int w2 = 0; w2 < outW; w2++) {
                float wr = Math.max(wScale * (w2 + 0.5f) - 0.5f, 0f);
                int w1 = (int) wr;
                int w1p = w1 < inW - 1 ? 1 : 0;
                float w1l = wr - w1;
                float w0l = 1f - w1l;
                int p = h1 * inW + w1;
                out[h2 * outW + w2] = h0l * (w0l * in[p] + w1l * in[p + w1p])
                        + h1l * (w0l * in[p + h1p * inW] + w1l * in[p + h1p * inW + w1p]);
            }
        }
        return out;
    }
}
