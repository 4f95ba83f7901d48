package rnnlab.data;

/**
 * A training part and a validation part cut from one training set. The result of
 * {@code torch.utils.data.random_split(ds, [train_size, val_size])} or Keras's
 * {@code validation_split}.
 *
 * @param train      the part to fit on
 * @param validation the held-out part
 * @param <T>        the split type
 */
public record TrainValidation<T>(T train, T validation) {
}
