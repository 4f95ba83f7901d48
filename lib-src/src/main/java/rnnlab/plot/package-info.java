/**
 * Figures and tables, Tablesaw's way: {@link rnnlab.plot.Figures} draws curves from table columns
 * (a {@code History}'s or any table with the same column names) with Plotly, saves them as PNG through
 * headless Chromium, and {@link rnnlab.plot.TableView} shows a table in a notebook.
 *
 * <p>Layer: depends on column names, not on the training code; may use {@code rnnlab.data},
 * {@code rnnlab.lab} and {@code rnnlab.display}; views and notebooks build on it.
 */
package rnnlab.plot;
