/**
 * Keras's model-building vocabulary on Deeplearning4j: {@link rnnlab.nn.Layer} kinds
 * ({@code Embedding}, {@code SimpleRNN}, {@code LSTM}, {@code GRU}, {@code Dense}, …),
 * {@link rnnlab.nn.Sequential} and the built {@link rnnlab.nn.Model} with {@code summary()}, a PyTorch
 * printout, {@code fit}, {@code evaluate}, {@code predict}, {@code save} and {@code load}; optimisers and
 * losses by their Keras names; parameter counts and output shapes equal Keras's.
 *
 * <p>Layer: above {@code rnnlab.train} (the loop {@code fit} runs) and {@code rnnlab.nn.dl4j} (the DL4J
 * layers it builds); below plots, views and notebooks, which it never imports.
 */
package rnnlab.nn;
