/**
 * What every report notebook ends with: {@link rnnlab.notebook.Reproduction} (the table of the report's
 * numbers, the recorded full run's and this run's, with exact rows and checked conclusions) and
 * {@link rnnlab.notebook.FullRun} (the record a full-mode run writes under
 * {@code notebooks/full-run/<notebook>/}, and its figures).
 *
 * <p>Top layer: it may use every other package; none may use it.
 */
package rnnlab.notebook;
