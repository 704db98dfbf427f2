package org.unitpath.eval.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics of one evaluation: confusion-matrix metrics plus one-vs-rest AUC per class from
 * the class scores (NaN for a class without positive or without negative samples; the macro
 * AUC averages the defined ones).
 */
public record ClassificationReport(ConfusionMatrix confusion, double[] auc) {
    public ClassificationReport {
        if (auc.length != confusion.size()) {
            throw new IllegalArgumentException(auc.length + " AUC values for " + confusion.size() + " classes");
        }
        auc = auc.clone();
    }

    /** Predictions are the highest-scoring class of each row of {@code scores} (the first on ties). */
    public static ClassificationReport of(List<String> classes, int[] truth, double[][] scores) {
        if (scores.length != truth.length) {
            throw new IllegalArgumentException(truth.length + " labels but " + scores.length + " score rows");
        }
        int[] predicted = new int[truth.length];
        for (int i = 0; i < truth.length; i++) {
            if (scores[i].length != classes.size()) {
                throw new IllegalArgumentException("score row " + i + " has " + scores[i].length + " values for "
                        + classes.size() + " classes");
            }
            predicted[i] = argmax(scores[i]);
        }
        double[] auc = new double[classes.size()];
        for (int c = 0; c < auc.length; c++) {
            auc[c] = RocAuc.oneVsRest(scores, truth, c);
        }
        return new ClassificationReport(ConfusionMatrix.of(classes, truth, predicted), auc);
    }

    public static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    public double aucMacro() {
        double sum = 0;
        int n = 0;
        for (double a : auc) {
            if (!Double.isNaN(a)) {
                sum += a;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * The summary with stable lower-case keys: {@code balanced_accuracy, accuracy, macro_f1,
     * weighted_f1, quadratic_kappa, auc_macro, auc} (per class), then {@code n}, {@code classes},
     * {@code per_class} and {@code confusion_matrix} (rows = true class). NaN becomes null.
     */
    public Map<String, Object> toJson() {
        ConfusionMatrix m = confusion;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("balanced_accuracy", finite(m.balancedAccuracy()));
        out.put("accuracy", finite(m.accuracy()));
        out.put("macro_f1", finite(m.macroF1()));
        out.put("weighted_f1", finite(m.weightedF1()));
        out.put("quadratic_kappa", finite(m.quadraticKappa()));
        out.put("auc_macro", finite(aucMacro()));
        Map<String, Object> perClassAuc = new LinkedHashMap<>();
        Map<String, Object> perClass = new LinkedHashMap<>();
        for (int c = 0; c < m.size(); c++) {
            perClassAuc.put(m.classes().get(c), finite(auc[c]));
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("precision", m.precision(c));
            one.put("recall", m.recall(c));
            one.put("f1", m.f1(c));
            one.put("support", m.support(c));
            perClass.put(m.classes().get(c), one);
        }
        out.put("auc", perClassAuc);
        out.put("n", m.total());
        out.put("classes", m.classes());
        out.put("per_class", perClass);
        List<long[]> rows = new ArrayList<>(List.of(m.counts()));
        out.put("confusion_matrix", rows);
        return out;
    }

    /** A plain-text table: the headline metrics, then precision / recall / F1 / AUC / support per class. */
    public String table() {
        ConfusionMatrix m = confusion;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "balanced accuracy %s   accuracy %s   macro F1 %s   weighted F1 %s%n",
                fmt(m.balancedAccuracy()), fmt(m.accuracy()), fmt(m.macroF1()), fmt(m.weightedF1())));
        sb.append(String.format(Locale.ROOT, "quadratic kappa   %s   AUC (macro, one-vs-rest) %s   n = %d%n",
                fmt(m.quadraticKappa()), fmt(aucMacro()), m.total()));
        int w = Math.max(5, m.classes().stream().mapToInt(String::length).max().orElse(5));
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  precision  recall      F1     AUC  support%n", "class"));
        for (int c = 0; c < m.size(); c++) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9s  %6s  %6s  %6s  %7d%n", m.classes().get(c),
                    fmt(m.precision(c)), fmt(m.recall(c)), fmt(m.f1(c)), fmt(auc[c]), m.support(c)));
        }
        return sb.toString();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }
}
