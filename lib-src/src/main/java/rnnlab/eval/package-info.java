/**
 * Evaluation without a model type: binary metrics, confusion matrices, a classification report in
 * scikit-learn's layout (on Tribuo's evaluators) and the bag-of-words baseline of report 002, each
 * renderable in a notebook.
 *
 * <p>Layer: above {@code rnnlab.data}; it works on labels and scores, so it never imports
 * {@code rnnlab.nn} or {@code rnnlab.train}.
 */
package rnnlab.eval;
