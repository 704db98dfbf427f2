package org.unitpath.eval;

import java.util.Map;
import java.util.TreeMap;
import org.unitpath.io.InstanceMap;

/**
 * The nucleus instance-segmentation metrics of one image, as the paper's evaluator
 * ({@code nucleus_evaluation.py}) and HoVer-Net's {@code stats_utils.py} define them.
 *
 * <p>Empty images. The paper scores its per-image metrics ({@code dice}, {@code aji}, {@code dq},
 * {@code sq}, {@code pq}) 1 when truth and prediction are both empty and 0 when exactly one is;
 * the {@code *_inclusive} keys follow the same rule. HoVer-Net has no such rule: its formulas
 * divide 0 by 0 (numpy's NaN, or a Python ZeroDivisionError for PQ), so {@code dice1},
 * {@code dice2} and {@code aji_plus} are NaN where undefined (both empty; for Dice2 also when no
 * nuclei overlap) and dataset means skip them. Detection precision, recall and F1 are NaN per
 * image where undefined and summed over images for the dataset.
 */
public final class NucleusMetrics {
    private NucleusMetrics() {}

    /**
     * Scores a prediction against the truth; {@code truthClasses}/{@code predClasses} give the
     * class (>= 1) of each label 1..K (index 0 unused), or are null for class-agnostic maps.
     */
    public static ImageScores score(String name, InstanceMap truth, InstanceMap pred, int[] truthClasses, int[] predClasses) {
        InstanceOverlap o = new InstanceOverlap(truth, pred);
        int nt = o.truthCount;
        int np = o.predCount;
        boolean bothEmpty = nt == 0 && np == 0;
        boolean oneEmpty = (nt == 0) != (np == 0);
        long t = o.truthPixels();
        long p = o.predPixels();
        long shared = o.sharedPixels();

        boolean[] strict = new boolean[o.pairs()];
        PqCounts counts = strictCounts(o, strict);
        PqCounts inclusive = inclusiveCounts(o);
        double dqInc = inclusive.tp() / (inclusive.tp() + 0.5 * inclusive.fp() + 0.5 * inclusive.fn());
        double sqInc = inclusive.tp() == 0 ? 0 : inclusive.sumIou() / inclusive.tp();

        Map<Integer, PqCounts> perClass = truthClasses == null || predClasses == null
                ? Map.of() : perClass(o, strict, truthClasses, predClasses);
        double mpq = pannukeMpq(perClass);

        return new ImageScores(name, nt, np,
                (t + p) == 0 ? Double.NaN : 2.0 * shared / (t + p),
                paperRule(bothEmpty, oneEmpty, 2.0 * (shared + 1) / (t + p + 1)),
                dice2(o),
                paperRule(bothEmpty, oneEmpty, bothEmpty || oneEmpty ? 0 : aji(o)),
                bothEmpty ? Double.NaN : ajiPlus(o),
                paperRule(bothEmpty, oneEmpty, counts.dq()),
                paperRule(bothEmpty, oneEmpty, counts.sq()),
                paperRule(bothEmpty, oneEmpty, counts.pq()),
                paperRule(bothEmpty, oneEmpty, dqInc),
                paperRule(bothEmpty, oneEmpty, sqInc),
                paperRule(bothEmpty, oneEmpty, dqInc * sqInc),
                counts, mpq, perClass);
    }

    /** AJI of two raw maps (any non-negative ids), the paper's / MoNuSeg's definition. */
    public static double aji(int width, int height, int[] truth, int[] pred) {
        InstanceMap t = InstanceMap.relabel(width, height, truth);
        InstanceMap p = InstanceMap.relabel(width, height, pred);
        return score("", t, p, null, null).aji();
    }

    private static double paperRule(boolean bothEmpty, boolean oneEmpty, double value) {
        return bothEmpty ? 1 : oneEmpty ? 0 : value;
    }

    /** HoVer-Net's {@code get_fast_dice_2}: 2 Σ|g∩p| / Σ(|g| + |p|) over overlapping pairs. */
    private static double dice2(InstanceOverlap o) {
        long inter = 0;
        long total = 0;
        for (int k = 0; k < o.pairs(); k++) {
            inter += o.pairInter[k];
            total += o.truthArea[o.pairTruth[k]] + o.predArea[o.pairPred[k]];
        }
        return total == 0 ? Double.NaN : 2.0 * inter / total;
    }

    /** IoU as HoVer-Net's AJI computes it, with 1e-6 in the denominator (it decides argmax ties). */
    private static double ajiIou(InstanceOverlap o, int k) {
        return o.pairInter[k] / (o.union(k) + 1.0e-6);
    }

    /**
     * MoNuSeg AJI ({@code get_fast_aji}): each true nucleus takes the prediction of highest IoU
     * (the lowest label on ties, as numpy's argmax), predictions may be taken several times.
     */
    private static double aji(InstanceOverlap o) {
        boolean[] used = new boolean[o.predCount + 1];
        boolean[] paired = new boolean[o.truthCount + 1];
        double inter = 0;
        double union = 0;
        int k = 0;
        while (k < o.pairs()) {
            int t = o.pairTruth[k];
            int best = k;
            for (; k < o.pairs() && o.pairTruth[k] == t; k++) {
                if (ajiIou(o, k) > ajiIou(o, best)) {
                    best = k;
                }
            }
            paired[t] = true;
            used[o.pairPred[best]] = true;
            inter += o.pairInter[best];
            union += o.union(best);
        }
        return inter / (union + unpairedArea(o, paired, used));
    }

    /** HoVer-Net's AJI+: a one-to-one pairing maximising the summed IoU (Hungarian). */
    private static double ajiPlus(InstanceOverlap o) {
        double[] w = new double[o.pairs()];
        for (int k = 0; k < w.length; k++) {
            w[k] = ajiIou(o, k);
        }
        boolean[] used = new boolean[o.predCount + 1];
        boolean[] paired = new boolean[o.truthCount + 1];
        double inter = 0;
        double union = 0;
        for (int k : Matching.maxWeight(o, w)) {
            paired[o.pairTruth[k]] = true;
            used[o.pairPred[k]] = true;
            inter += o.pairInter[k];
            union += o.union(k);
        }
        return inter / (union + unpairedArea(o, paired, used));
    }

    private static double unpairedArea(InstanceOverlap o, boolean[] paired, boolean[] used) {
        double a = 0;
        for (int t = 1; t <= o.truthCount; t++) {
            a += paired[t] ? 0 : o.truthArea[t];
        }
        for (int p = 1; p <= o.predCount; p++) {
            a += used[p] ? 0 : o.predArea[p];
        }
        return a;
    }

    /** Pairs with IoU > 0.5 are matches (unique by construction); marks them in {@code strict}. */
    private static PqCounts strictCounts(InstanceOverlap o, boolean[] strict) {
        long tp = 0;
        double sum = 0;
        for (int k = 0; k < o.pairs(); k++) {
            if (o.iouAboveHalf(k)) {
                strict[k] = true;
                tp++;
                sum += o.iou(k);
            }
        }
        return new PqCounts(tp, o.predCount - tp, o.truthCount - tp, sum);
    }

    /**
     * StarDist's matching at IoU >= 0.5: at exactly 0.5 a nucleus may qualify with two partners,
     * so take the largest number of matches, ties broken by summed IoU (its cost
     * -(IoU >= t) - IoU / (2 n)).
     */
    private static PqCounts inclusiveCounts(InstanceOverlap o) {
        double n = Math.max(1, Math.min(o.truthCount, o.predCount));
        double[] w = new double[o.pairs()];
        for (int k = 0; k < w.length; k++) {
            w[k] = o.iouAtLeastHalf(k) ? 1 + o.iou(k) / (2 * n) : 0;
        }
        int[] chosen = Matching.maxWeight(o, w);
        double sum = 0;
        for (int k : chosen) {
            sum += o.iou(k);
        }
        return new PqCounts(chosen.length, o.predCount - chosen.length, o.truthCount - chosen.length, sum);
    }

    /** Strict PQ counts per class: nuclei of class c on both sides (get_multi_pq_info). */
    private static Map<Integer, PqCounts> perClass(InstanceOverlap o, boolean[] strict, int[] truthClasses, int[] predClasses) {
        Map<Integer, long[]> n = new TreeMap<>();
        for (int t = 1; t <= o.truthCount; t++) {
            n.computeIfAbsent(truthClasses[t], c -> new long[3])[0]++;
        }
        for (int p = 1; p <= o.predCount; p++) {
            n.computeIfAbsent(predClasses[p], c -> new long[3])[1]++;
        }
        Map<Integer, Double> sums = new TreeMap<>();
        for (int k = 0; k < o.pairs(); k++) {
            int c = truthClasses[o.pairTruth[k]];
            if (strict[k] && c == predClasses[o.pairPred[k]]) {
                n.get(c)[2]++;
                sums.merge(c, o.iou(k), Double::sum);
            }
        }
        Map<Integer, PqCounts> out = new TreeMap<>();
        n.forEach((c, v) -> out.put(c, new PqCounts(v[2], v[1] - v[2], v[0] - v[2], sums.getOrDefault(c, 0.0))));
        return out;
    }

    /** PanNuke: PQ of each class present in the truth (others NaN and skipped), averaged. */
    private static double pannukeMpq(Map<Integer, PqCounts> perClass) {
        double sum = 0;
        int n = 0;
        for (PqCounts c : perClass.values()) {
            if (c.tp() + c.fn() > 0) {
                sum += c.pq();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
