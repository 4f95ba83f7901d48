/**
 * The training loop over a DL4J network, as Keras's {@code Model.fit} runs it: options
 * ({@link rnnlab.train.FitOptions}), the epoch/batch loop ({@link rnnlab.train.Trainer}), the per-epoch
 * logs ({@link rnnlab.train.History}), early stopping and best-model checkpoints, metrics and
 * {@link rnnlab.train.Scores} from {@code evaluate}.
 *
 * <p>Layer: below {@code rnnlab.nn}, as Keras's {@code Trainer} is below its {@code Model}
 * ({@code Model} extends it): {@code rnnlab.nn.Model.fit} calls this loop, and this package never
 * imports {@code rnnlab.nn}. It may use {@code rnnlab.nn.dl4j}, {@code rnnlab.eval} and the bottom layers.
 */
package rnnlab.train;
