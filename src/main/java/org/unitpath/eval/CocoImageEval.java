package org.unitpath.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.Rle;

/**
 * pycocotools' {@code computeIoU} and {@code evaluateImg} for one image and category: the
 * detections sorted by score (stable), cut to maxDets, matched greedily to the ground truth at
 * every IoU threshold and area range. Only overlapping pairs are visited (boxes first), which
 * gives the same matches as the dense loop since pairs without overlap never match.
 */
final class CocoImageEval {
    /** Per detection, in score order. */
    final double[] scores;
    /** [area range][threshold][detection]. */
    final boolean[][][] matched;
    final boolean[][][] ignored;
    /** Ground truth that counts (not crowd, inside the area range), per area range. */
    final int[] relevantTruth;

    private CocoImageEval(int areas, int thresholds, int detections) {
        scores = new double[detections];
        matched = new boolean[areas][thresholds][detections];
        ignored = new boolean[areas][thresholds][detections];
        relevantTruth = new int[areas];
    }

    static CocoImageEval of(List<CocoAnnotation> truth, List<CocoAnnotation> detections, int width, int height,
            boolean masks, int maxDets, double[] thresholds, double[][] areaRanges) {
        List<CocoAnnotation> dts = new ArrayList<>(detections);
        dts.sort(Comparator.comparingDouble(d -> -d.score().orElseThrow()));
        if (dts.size() > maxDets) {
            dts = dts.subList(0, maxDets);
        }
        int g = truth.size();
        int d = dts.size();
        Rle[] gtMasks = masks ? new Rle[g] : null;
        Rle[] dtMasks = masks ? new Rle[d] : null;
        double[][] gtBoxes = new double[g][];
        double[][] dtBoxes = new double[d][];
        double[] dtArea = new double[d];
        boolean[] crowd = new boolean[g];
        for (int j = 0; j < g; j++) {
            CocoAnnotation a = truth.get(j);
            crowd[j] = a.crowd();
            if (masks) {
                gtMasks[j] = a.segmentation().toRle(width, height);
                gtBoxes[j] = gtMasks[j].bbox();
            } else {
                gtBoxes[j] = a.bbox();
            }
        }
        CocoImageEval e = new CocoImageEval(areaRanges.length, thresholds.length, d);
        for (int i = 0; i < d; i++) {
            CocoAnnotation a = dts.get(i);
            e.scores[i] = a.score().orElseThrow();
            if (masks) {
                dtMasks[i] = a.segmentation().toRle(width, height);
                dtBoxes[i] = dtMasks[i].bbox();
                dtArea[i] = dtMasks[i].area();
            } else {
                dtBoxes[i] = a.bbox();
                dtArea[i] = dtBoxes[i][2] * dtBoxes[i][3];
            }
        }
        // candidates[i] = truth indices overlapping detection i, iou[i] their IoUs
        int[][] candidates = new int[d][];
        double[][] iou = new double[d][];
        for (int i = 0; i < d; i++) {
            int[] c = new int[4];
            double[] v = new double[4];
            int n = 0;
            for (int j = 0; j < g; j++) {
                double o = boxIou(dtBoxes[i], gtBoxes[j], crowd[j]);
                if (o > 0 && masks) {
                    o = dtMasks[i].iou(gtMasks[j], crowd[j]);
                }
                if (o > 0) {
                    if (n == c.length) {
                        c = Arrays.copyOf(c, 2 * n);
                        v = Arrays.copyOf(v, 2 * n);
                    }
                    c[n] = j;
                    v[n++] = o;
                }
            }
            candidates[i] = Arrays.copyOf(c, n);
            iou[i] = Arrays.copyOf(v, n);
        }
        for (int a = 0; a < areaRanges.length; a++) {
            e.match(a, truth, candidates, iou, crowd, dtArea, thresholds, areaRanges[a]);
        }
        return e;
    }

    private void match(int a, List<CocoAnnotation> truth, int[][] candidates, double[][] iou, boolean[] crowd,
            double[] dtArea, double[] thresholds, double[] range) {
        int g = truth.size();
        boolean[] gtIgnore = new boolean[g];
        // pycocotools sorts the ground truth with ignored ones last (stable): rank = position in that order
        int[] rank = new int[g];
        int r = 0;
        for (int j = 0; j < g; j++) {
            double area = truth.get(j).area();
            gtIgnore[j] = crowd[j] || area < range[0] || area > range[1];
            if (!gtIgnore[j]) {
                rank[j] = r++;
                relevantTruth[a]++;
            }
        }
        for (int j = 0; j < g; j++) {
            if (gtIgnore[j]) {
                rank[j] = r++;
            }
        }
        int d = scores.length;
        int[][] order = new int[d][];
        for (int i = 0; i < d; i++) {
            int[] c = candidates[i];
            Integer[] idx = new Integer[c.length];
            for (int k = 0; k < c.length; k++) {
                idx[k] = k;
            }
            Arrays.sort(idx, Comparator.comparingInt(k -> rank[c[k]]));
            order[i] = Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
        }
        for (int t = 0; t < thresholds.length; t++) {
            boolean[] gtMatched = new boolean[g];
            for (int i = 0; i < d; i++) {
                double best = Math.min(thresholds[t], 1 - 1e-10);
                int m = -1;
                for (int k : order[i]) {
                    int j = candidates[i][k];
                    if (gtMatched[j] && !crowd[j]) {
                        continue;
                    }
                    if (m > -1 && !gtIgnore[m] && gtIgnore[j]) {
                        break;
                    }
                    if (iou[i][k] < best) {
                        continue;
                    }
                    best = iou[i][k];
                    m = j;
                }
                if (m == -1) {
                    continue;
                }
                ignored[a][t][i] = gtIgnore[m];
                matched[a][t][i] = true;
                gtMatched[m] = true;
            }
            for (int i = 0; i < d; i++) {
                if (!matched[a][t][i] && (dtArea[i] < range[0] || dtArea[i] > range[1])) {
                    ignored[a][t][i] = true;
                }
            }
        }
    }

    /** pycocotools' {@code bbIou} on {x, y, w, h} boxes; for a crowd box the union is the detection's area. */
    static double boxIou(double[] dt, double[] gt, boolean crowd) {
        double w = Math.min(dt[2] + dt[0], gt[2] + gt[0]) - Math.max(dt[0], gt[0]);
        if (w <= 0) {
            return 0;
        }
        double h = Math.min(dt[3] + dt[1], gt[3] + gt[1]) - Math.max(dt[1], gt[1]);
        if (h <= 0) {
            return 0;
        }
        double i = w * h;
        double da = dt[2] * dt[3];
        double u = crowd ? da : da + gt[2] * gt[3] - i;
        return i / u;
    }
}
