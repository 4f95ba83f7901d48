package rnnlab.charrnn;

import java.util.Arrays;

/**
 * A named parameter's values in PyTorch layout, as in a {@code state_dict()} entry: {@code shape} is
 * torch's {@code tensor.shape} ({@code [out_features, in_features]} for a Linear weight,
 * {@code [out_features]} for its bias) and {@code data} the row-major ({@code C}-contiguous) values.
 *
 * @param shape the dimensions, each positive
 * @param data  row-major values (not copied: {@code data()} is the live array); its length is the
 *              product of {@code shape}
 */
public record Tensor(int[] shape, float[] data) {

    /** Checks that {@code data.length} matches {@code shape}. */
    public Tensor {
        if (shape == null || data == null) {
            throw new IllegalArgumentException("Tensor: shape and data must not be null");
        }
        long n = 1;
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Tensor: shape " + Arrays.toString(shape) + " has a non-positive dimension");
            }
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("Tensor: shape " + Arrays.toString(shape) + " needs " + n
                    + " values but data has " + data.length);
        }
        shape = shape.clone();
    }

    /** The value at row {@code r}, column {@code c} of a 2-D tensor. */
    public float get(int r, int c) {
        if (shape.length != 2) {
            throw new IllegalArgumentException("Tensor.get(r, c): tensor has shape " + Arrays.toString(shape) + ", not 2-D");
        }
        return data[r * shape[1] + c];
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
