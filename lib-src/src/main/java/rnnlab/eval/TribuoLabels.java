package rnnlab.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelConfusionMatrix;
import org.tribuo.impl.ArrayExample;

/**
 * Bridges rnnlab's {@code int[]} class ids to Tribuo: builds a fixed label domain (class id i is
 * {@code classNames.get(i)}) and a Tribuo {@link LabelConfusionMatrix} from true and predicted ids,
 * so every count and metric comes from Tribuo's own code. Also checks the arguments.
 */
final class TribuoLabels {

    private TribuoLabels() {
    }

    /** Checks the two label arrays and the names, then builds Tribuo's confusion matrix. */
    static LabelConfusionMatrix confusion(int[] yTrue, int[] yPred, List<String> classNames) {
        check(yTrue, yPred, classNames);
        List<Label> labels = new ArrayList<>(classNames.size());
        Map<Label, Integer> ids = new LinkedHashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            Label l = new Label(classNames.get(i));
            labels.add(l);
            ids.put(l, i);
        }
        ImmutableOutputInfo<Label> domain = new LabelFactory().constructInfoForExternalModel(ids);
        List<Prediction<Label>> predictions = new ArrayList<>(yTrue.length);
        for (int i = 0; i < yTrue.length; i++) {
            // A Tribuo prediction needs an example carrying the ground truth; it has no features.
            predictions.add(new Prediction<>(labels.get(yPred[i]), 0, new ArrayExample<>(labels.get(yTrue[i]))));
        }
        LabelConfusionMatrix cm = new LabelConfusionMatrix(domain, predictions);
        cm.setLabelOrder(labels);
        return cm;
    }

    /** Default class names "0", "1", ... for {@code numClasses} classes. */
    /**
     * The names "0", "1", ... for class ids 0..max(yTrue, yPred), as scikit-learn labels classes it
     * is not given names for.
     */
    static List<String> defaultNames(int[] yTrue, int[] yPred) {
        if (yTrue == null || yPred == null) {
            throw new IllegalArgumentException((yTrue == null ? "yTrue" : "yPred") + " is null");
        }
        int max = 0;
        for (int v : yTrue) {
            max = Math.max(max, v);
        }
        for (int v : yPred) {
            max = Math.max(max, v);
        }
        List<String> names = new ArrayList<>(max + 1);
        for (int i = 0; i <= max; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    static void check(int[] yTrue, int[] yPred, List<String> classNames) {
        if (yTrue == null || yPred == null) {
            throw new IllegalArgumentException((yTrue == null ? "yTrue" : "yPred") + " is null");
        }
        if (classNames == null || classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames is empty; give one name per class id 0..C-1");
        }
        if (yTrue.length != yPred.length) {
            throw new IllegalArgumentException("yTrue has " + yTrue.length + " labels but yPred has "
                    + yPred.length + "; they must be the same length (one true and one predicted class per sample)");
        }
        if (yTrue.length == 0) {
            throw new IllegalArgumentException("yTrue and yPred are empty; nothing to evaluate");
        }
        if (new java.util.HashSet<>(classNames).size() != classNames.size()) {
            throw new IllegalArgumentException("classNames has duplicates: " + classNames);
        }
        checkRange("yTrue", yTrue, classNames.size());
        checkRange("yPred", yPred, classNames.size());
    }

    private static void checkRange(String name, int[] y, int numClasses) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= numClasses) {
                throw new IllegalArgumentException(name + "[" + i + "] = " + y[i] + " is outside the classes 0.."
                        + (numClasses - 1) + " (" + numClasses + " class names given); "
                        + "labels must be class ids in [0, " + numClasses + ")");
            }
        }
    }
}
