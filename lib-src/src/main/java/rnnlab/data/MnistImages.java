package rnnlab.data;

import java.util.Objects;

/**
 * A stack of grey-level images as stored in an IDX file: {@code count} images of
 * {@code rows × cols} unsigned bytes, row-major. Mirrors torchvision's {@code MNIST.data}
 * (a uint8 tensor {@code [N, 28, 28]}).
 *
 * @param count  number of images
 * @param rows   image height
 * @param cols   image width
 * @param pixels {@code count * rows * cols} bytes, read as unsigned (0..255)
 */
public record MnistImages(int count, int rows, int cols, byte[] pixels) {

    /** Checks the sizes agree. */
    public MnistImages {
        Objects.requireNonNull(pixels, "pixels");
        if (count < 0 || rows <= 0 || cols <= 0 || (long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected count*rows*cols = "
                    + count + "*" + rows + "*" + cols);
        }
    }

    /** Pixel value 0..255 of image {@code i} at ({@code r}, {@code c}). */
    public int pixel(int i, int r, int c) {
        return pixels[(i * rows + r) * cols + c] & 0xff;
    }

    /** The images at {@code indices}, in that order. */
    public MnistImages select(int[] indices) {
        int size = rows * cols;
        byte[] out = new byte[indices.length * size];
        for (int k = 0; k < indices.length; k++) {
            Objects.checkIndex(indices[k], count);
            System.arraycopy(pixels, indices[k] * size, out, k * size, size);
        }
        return new MnistImages(indices.length, rows, cols, out);
    }

    @Override
    public String toString() {
        return "MnistImages[" + count + " x " + rows + " x " + cols + "]";
    }
}
