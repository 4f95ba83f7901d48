/**
 * The datasets the reports use, from files to integer sequences and tensors: IMDB
 * ({@link rnnlab.data.Imdb}, Keras's {@code imdb.load_data} and the raw reviews), MNIST
 * ({@link rnnlab.data.Mnist}, torchvision's {@code datasets.MNIST} with its transform) and the surnames
 * corpus ({@link rnnlab.data.Names}). A {@link rnnlab.data.DataSource} says where the files are (the
 * shipped samples, {@code RNNLAB_DATA}, downloads from canonical URLs with checksums); the loaders take
 * one as their argument. Reading is defensive: size bounds, archive guards, atomic writes.
 *
 * <p>Layer: may use {@code rnnlab.text} (tokenising), {@code rnnlab.lab} and {@code rnnlab.display};
 * nothing about models, training or plots.
 */
package rnnlab.data;
