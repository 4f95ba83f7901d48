/**
 * Showing library objects in Jupyter: {@link rnnlab.display.Displayable} (the MIME bundle an object
 * renders as, like IPython's {@code _repr_mimebundle_}) and {@link rnnlab.display.Html} (escaping and
 * Tablesaw tables as HTML).
 *
 * <p>Bottom layer, beside {@code rnnlab.lab}: it imports nothing of rnnlab, so every other package may
 * render itself. The kernel that finds these renderers lives in its own module ({@code lib-src/kernel}).
 */
package rnnlab.display;
