package org.unitpath.eval.classify;

import java.util.List;

/**
 * Counts of (true class, predicted class) pairs, {@code counts[t][p]}, and the metrics that
 * follow from them alone. Conventions follow scikit-learn: per-class precision, recall or F1
 * whose denominator is zero count as 0, and macro averages run over the classes that occur in
 * the truth or the predictions.
 */
public record ConfusionMatrix(List<String> classes, long[][] counts) {
    public ConfusionMatrix {
        classes = List.copyOf(classes);
        if (counts.length != classes.size()) {
            throw new IllegalArgumentException(classes.size() + " classes but " + counts.length + " rows");
        }
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != classes.size()) {
                throw new IllegalArgumentException("row " + i + " has " + counts[i].length + " columns, expected " + classes.size());
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** The matrix of {@code truth[i]} against {@code predicted[i]}, both class indices into {@code classes}. */
    public static ConfusionMatrix of(List<String> classes, int[] truth, int[] predicted) {
        if (truth.length != predicted.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predicted.length + " predictions");
        }
        int k = classes.size();
        long[][] c = new long[k][k];
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] < 0 || truth[i] >= k || predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("label out of range 0.." + (k - 1) + " at sample " + i);
            }
            c[truth[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(classes, c);
    }

    public int size() {
        return classes.size();
    }

    public long total() {
        long n = 0;
        for (long[] row : counts) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    /** Samples whose true class is {@code c}. */
    public long support(int c) {
        long n = 0;
        for (long v : counts[c]) {
            n += v;
        }
        return n;
    }

    public long predictedCount(int c) {
        long n = 0;
        for (long[] row : counts) {
            n += row[c];
        }
        return n;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < size(); i++) {
            correct += counts[i][i];
        }
        return ratio(correct, total());
    }

    public double recall(int c) {
        return ratio(counts[c][c], support(c));
    }

    public double precision(int c) {
        return ratio(counts[c][c], predictedCount(c));
    }

    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Mean recall over the classes present in the truth. */
    public double balancedAccuracy() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < size(); c++) {
            if (support(c) > 0) {
                sum += recall(c);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < size(); c++) {
            if (support(c) > 0 || predictedCount(c) > 0) {
                sum += f1(c);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** F1 per class weighted by the class's support. */
    public double weightedF1() {
        double sum = 0;
        for (int c = 0; c < size(); c++) {
            sum += support(c) * f1(c);
        }
        return ratio(sum, total());
    }

    /**
     * Cohen's kappa with quadratic weights (i - j)^2 between class indices: 1 - sum(w O) / sum(w E),
     * E the counts expected from the marginals. NaN when every sample falls in one class of both.
     */
    public double quadraticKappa() {
        int k = size();
        double n = total();
        double observed = 0;
        double expected = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double w = (double) (i - j) * (i - j);
                observed += w * counts[i][j];
                expected += w * support(i) * (double) predictedCount(j) / n;
            }
        }
        return expected == 0 ? Double.NaN : 1 - observed / expected;
    }

    /** Row {@code t} divided by its sum (all zeros for an absent class). */
    public double[] rowFractions(int t) {
        double[] out = new double[size()];
        long s = support(t);
        for (int p = 0; p < size(); p++) {
            out[p] = s == 0 ? 0 : (double) counts[t][p] / s;
        }
        return out;
    }

    private static double ratio(double a, double b) {
        return b == 0 ? 0 : a / b;
    }
}
