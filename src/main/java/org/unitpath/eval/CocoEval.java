package org.unitpath.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.unitpath.io.coco.CocoAnnotation;

/**
 * COCO average precision exactly as pycocotools' {@code COCOeval} (evaluate, accumulate,
 * summarize) computes it for 'segm' and 'bbox': IoU thresholds .50:.05:.95, 101 recall points
 * with precision made monotone from the right, crowd ground truth ignored (and matchable by
 * several detections), area ranges all/small/medium/large on the ground truth's {@code area},
 * detections sorted by score with stable ties (mergesort) within and across images. AP is read
 * at the largest maxDets, as Detectron2 does when it raises maxDets (the paper: 1500).
 *
 * <p>For masks a detection's area is its mask's, for boxes its box's (Detectron2 drops the
 * boxes from mask results for that reason). Values are fractions (Detectron2 prints x100); a
 * value that pycocotools reports as -1 (no ground truth) is NaN here.
 */
public final class CocoEval {
    static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    static final double[] RECALL_THRESHOLDS = linspace(0, 1, 101);
    static final double[][] AREA_RANGES = {{0, 1e10}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e10}};
    private static final double EPS = Math.ulp(1.0);

    private CocoEval() {}

    /** One image: its size, ground truth (with file areas) and scored detections. */
    public record Image(long id, int width, int height, List<CocoAnnotation> truth, List<CocoAnnotation> detections) {}

    /** AP over IoU .50:.95, at .50 and .75, and over .50:.95 for small, medium and large ground truth. */
    public record Result(double ap, double ap50, double ap75, double apSmall, double apMedium, double apLarge) {}

    /**
     * Evaluates masks ({@code masks}) or boxes; with {@code byCategory} detections only match
     * ground truth of their own category (pycocotools' useCats), otherwise categories are ignored.
     */
    public static Result evaluate(List<Image> images, boolean masks, int maxDets, boolean byCategory) {
        if (maxDets < 1) {
            throw new IllegalArgumentException("maxDets must be >= 1, got " + maxDets);
        }
        List<Image> sorted = new ArrayList<>(images);
        sorted.sort(Comparator.comparingLong(Image::id));
        TreeSet<Integer> categories = new TreeSet<>();
        if (byCategory) {
            sorted.forEach(i -> i.truth().forEach(a -> categories.add(a.categoryId())));
        } else {
            categories.add(-1);
        }
        int t = IOU_THRESHOLDS.length;
        int r = RECALL_THRESHOLDS.length;
        // precision[area][threshold][category][recall point]; -1 where the category has no ground truth
        double[][][][] precision = new double[AREA_RANGES.length][t][categories.size()][r];
        for (double[][][] a : precision) {
            for (double[][] b : a) {
                for (double[] c : b) {
                    Arrays.fill(c, -1);
                }
            }
        }
        int k = 0;
        for (int category : categories) {
            List<CocoImageEval> evals = new ArrayList<>();
            for (Image img : sorted) {
                List<CocoAnnotation> gts = select(img.truth(), category);
                List<CocoAnnotation> dts = select(img.detections(), category);
                if (!gts.isEmpty() || !dts.isEmpty()) {
                    evals.add(CocoImageEval.of(gts, dts, img.width(), img.height(), masks, maxDets, IOU_THRESHOLDS, AREA_RANGES));
                }
            }
            for (int a = 0; a < AREA_RANGES.length; a++) {
                accumulate(evals, a, k, precision);
            }
            k++;
        }
        return new Result(mean(precision[0], -1), mean(precision[0], 0), mean(precision[0], 5),
                mean(precision[1], -1), mean(precision[2], -1), mean(precision[3], -1));
    }

    /**
     * One category's objects in file order; with categories ignored, all objects grouped by
     * category (stable), the order pycocotools gathers them in, which decides ties.
     */
    private static List<CocoAnnotation> select(List<CocoAnnotation> anns, int category) {
        if (category == -1) {
            List<CocoAnnotation> all = new ArrayList<>(anns);
            all.sort(Comparator.comparingInt(CocoAnnotation::categoryId));
            return all;
        }
        return anns.stream().filter(x -> x.categoryId() == category).toList();
    }

    private static void accumulate(List<CocoImageEval> evals, int a, int k, double[][][][] precision) {
        int relevant = 0;
        int n = 0;
        for (CocoImageEval e : evals) {
            relevant += e.relevantTruth[a];
            n += e.scores.length;
        }
        if (evals.isEmpty() || relevant == 0) {
            return;
        }
        double[] scores = new double[n];
        int[] image = new int[n];
        int[] index = new int[n];
        int p = 0;
        for (int i = 0; i < evals.size(); i++) {
            for (int j = 0; j < evals.get(i).scores.length; j++) {
                scores[p] = evals.get(i).scores[j];
                image[p] = i;
                index[p++] = j;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i])); // stable, as numpy's mergesort
        for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
            double[] rc = new double[n];
            double[] pr = new double[n];
            long tp = 0;
            long fp = 0;
            for (int q = 0; q < n; q++) {
                CocoImageEval e = evals.get(image[order[q]]);
                int d = index[order[q]];
                if (!e.ignored[a][t][d]) {
                    if (e.matched[a][t][d]) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
                rc[q] = tp / (double) relevant;
                pr[q] = tp / (fp + tp + EPS);
            }
            for (int q = n - 1; q > 0; q--) {
                if (pr[q] > pr[q - 1]) {
                    pr[q - 1] = pr[q];
                }
            }
            double[] out = precision[a][t][k];
            for (int q = 0; q < RECALL_THRESHOLDS.length; q++) {
                int at = searchLeft(rc, RECALL_THRESHOLDS[q]);
                out[q] = at < n ? pr[at] : 0; // pycocotools leaves the points past the last recall at 0
            }
        }
    }

    /** numpy's searchsorted(side='left'): the first index whose value is >= v. */
    private static int searchLeft(double[] sortedValues, double v) {
        int lo = 0;
        int hi = sortedValues.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sortedValues[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Mean of the precisions > -1 over all thresholds ({@code threshold} = -1) or one threshold; NaN if none. */
    private static double mean(double[][][] byThreshold, int threshold) {
        double sum = 0;
        long n = 0;
        for (int t = 0; t < byThreshold.length; t++) {
            if (threshold >= 0 && t != threshold) {
                continue;
            }
            for (double[] category : byThreshold[t]) {
                for (double v : category) {
                    if (v > -1) {
                        sum += v;
                        n++;
                    }
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static double[] linspace(double start, double stop, int num) {
        double[] out = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }
}
