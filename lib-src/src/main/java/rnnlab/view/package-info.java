/**
 * Step-through views: what a student would otherwise re-run cells to see, computed by the library
 * and shown in one call.
 *
 * <ul>
 *   <li>{@link rnnlab.view.PadExplorer}: {@code pad_sequences} with a maxlen slider and pre/post
 *       switches, every layout computed up front by {@link rnnlab.text.PadSequences} (the page only
 *       selects), with a static fallback for exported and untrusted notebooks;</li>
 *   <li>{@link rnnlab.view.StepThrough}: a trained recurrent network reading one review (or, for
 *       report 004's cells, one name) token by token — running prediction, state heatmap, gates;</li>
 *   <li>{@link rnnlab.view.LayerOutputs}: the recurrent layer's output at every step and a dense
 *       layer's weights, for the read-out cells of notebooks 07 and 08.</li>
 * </ul>
 * Place in the layering: above {@code rnnlab.plot} (it draws with {@link rnnlab.plot.PlotlySpec}),
 * {@code rnnlab.nn}, {@code rnnlab.charrnn}, {@code rnnlab.text} and {@code rnnlab.data}, which it
 * reads; only notebooks use it, and no other rnnlab package may import it.
 */
package rnnlab.view;
