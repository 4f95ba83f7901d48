/**
 * The lab's settings and session state, read from system properties and environment variables:
 * {@link rnnlab.lab.Lab} (quick or full mode, data, samples and figures directories, seed and epoch
 * overrides) and {@link rnnlab.lab.Interrupt} (the flag Jupyter's stop button sets, which long loops poll).
 *
 * <p>Bottom layer, beside {@code rnnlab.display}: it imports nothing of rnnlab. Loaders do not read
 * these settings themselves; they take a {@code rnnlab.data.DataSource}, which a notebook gets from
 * {@code DataSource.auto()}.
 */
package rnnlab.lab;
