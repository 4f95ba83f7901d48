/**
 * The {@code rnnlab} Jupyter kernel: {@link rnnlab.kernel.KernelLauncher} starts rapaio-jupyter-kernel
 * 3.0.1 with rnnlab's fixes (start-up races, interrupts, text/plain beside every rich output, the
 * {@code %dependency} guard, a background warm-up of ND4J and DL4J), and
 * {@link rnnlab.kernel.RnnlabDisplayProvider} registers rnnlab's renderers as rapaio's display service
 * ({@code META-INF/services}).
 *
 * <p>Its own Maven module and jar ({@code lib-src/kernel}, {@code rnnlab-kernel.jar}) on top of every
 * library package: it imports the library ({@code rnnlab.display}, {@code rnnlab.lab}, {@code rnnlab.nn}
 * for the warm-up) and rapaio's internals; nothing in {@code rnnlab.jar} may import it, so the library
 * runs in any Java kernel without these patches. The patches act only when this launcher is the
 * kernel's main class; putting the jar on another rapaio kernel's class path adds the renderers alone.
 */
package rnnlab.kernel;
