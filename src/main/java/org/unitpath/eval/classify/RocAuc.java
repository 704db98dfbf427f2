package org.unitpath.eval.classify;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Exact area under the ROC curve as the Mann-Whitney statistic: the probability that a random
 * positive scores above a random negative, ties counting one half (mid-ranks), which equals the
 * trapezoidal area of the full ROC curve.
 */
public final class RocAuc {
    private RocAuc() {}

    /** NaN when there is no positive or no negative sample. */
    public static double auc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + positive.length + " labels");
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRanks = 0;
        long pos = 0;
        for (int start = 0; start < n;) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double midRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                if (positive[order[i]]) {
                    positiveRanks += midRank;
                    pos++;
                }
            }
            start = end + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (positiveRanks - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** One-vs-rest AUC of class {@code c}: {@code probabilities[i][c]} against {@code truth[i] == c}. */
    public static double oneVsRest(double[][] probabilities, int[] truth, int c) {
        double[] s = new double[truth.length];
        boolean[] p = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            s[i] = probabilities[i][c];
            p[i] = truth[i] == c;
        }
        return auc(s, p);
    }
}
