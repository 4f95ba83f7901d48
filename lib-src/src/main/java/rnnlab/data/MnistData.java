package rnnlab.data;

/**
 * MNIST's two splits, as {@code torchvision.datasets.MNIST(train=True)} and {@code (train=False)}
 * hold them before any transform.
 *
 * @param train the 60,000 training images (6,000 in the shipped sample)
 * @param test  the 10,000 test images (1,000 in the shipped sample)
 */
public record MnistData(MnistSplit train, MnistSplit test) {
}
