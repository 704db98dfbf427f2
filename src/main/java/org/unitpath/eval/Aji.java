package org.unitpath.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * Aggregated Jaccard Index of two instance maps (0 = background), the MoNuSeg/HoVer-Net "fast"
 * definition: each ground-truth nucleus is paired with the prediction of highest IoU (a
 * prediction may serve several); paired intersections over paired unions plus the areas of
 * unpaired ground truth and of never-used predictions.
 */
public final class Aji {
    private Aji() {}

    public static double of(int[] truth, int[] pred) {
        if (truth.length != pred.length) {
            throw new IllegalArgumentException("instance maps differ in size: " + truth.length + " vs " + pred.length);
        }
        Map<Integer, Long> areaT = new HashMap<>();
        Map<Integer, Long> areaP = new HashMap<>();
        Map<Long, Long> inter = new HashMap<>();
        for (int i = 0; i < truth.length; i++) {
            int t = truth[i];
            int p = pred[i];
            if (t != 0) {
                areaT.merge(t, 1L, Long::sum);
            }
            if (p != 0) {
                areaP.merge(p, 1L, Long::sum);
            }
            if (t != 0 && p != 0) {
                inter.merge(((long) t << 32) | p, 1L, Long::sum);
            }
        }
        if (areaT.isEmpty() && areaP.isEmpty()) {
            return 1.0;
        }
        Map<Integer, Integer> best = new HashMap<>();
        Map<Integer, Double> bestIou = new HashMap<>();
        Map<Integer, Long> bestInter = new HashMap<>();
        for (Map.Entry<Long, Long> e : inter.entrySet()) {
            int t = (int) (e.getKey() >>> 32);
            int p = (int) (long) e.getKey();
            long i = e.getValue();
            double iou = i / (double) (areaT.get(t) + areaP.get(p) - i);
            if (iou > bestIou.getOrDefault(t, 0.0)) {
                bestIou.put(t, iou);
                best.put(t, p);
                bestInter.put(t, i);
            }
        }
        long intersection = 0;
        long union = 0;
        java.util.Set<Integer> used = new java.util.HashSet<>();
        for (Map.Entry<Integer, Long> e : areaT.entrySet()) {
            Integer p = best.get(e.getKey());
            if (p == null) {
                union += e.getValue();
            } else {
                long i = bestInter.get(e.getKey());
                intersection += i;
                union += e.getValue() + areaP.get(p) - i;
                used.add(p);
            }
        }
        for (Map.Entry<Integer, Long> e : areaP.entrySet()) {
            if (!used.contains(e.getKey())) {
                union += e.getValue();
            }
        }
        return union == 0 ? 0.0 : intersection / (double) union;
    }
}
