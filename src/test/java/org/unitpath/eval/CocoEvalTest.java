package org.unitpath.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.Rle;

/** Precision/recall curves worked out by hand with pycocotools' rules (cocoeval.py, accumulate). */
class CocoEvalTest {
    private static final int W = 64;
    private static final int H = 64;

    /** A filled rectangle mask. */
    static Rle box(int x, int y, int w, int h) {
        byte[] m = new byte[W * H];
        for (int r = y; r < y + h; r++) {
            for (int c = x; c < x + w; c++) {
                m[r * W + c] = 1;
            }
        }
        return Rle.encode(m, W, H);
    }

    private static long ids;

    static CocoAnnotation gt(Rle mask) {
        return CocoAnnotation.truth(++ids, 1, 1, mask);
    }

    static CocoAnnotation dt(Rle mask, double score) {
        return CocoAnnotation.detection(++ids, 1, 1, mask, score);
    }

    private static CocoEval.Result masks(List<CocoAnnotation> truth, List<CocoAnnotation> dets, int maxDets) {
        return CocoEval.evaluate(List.of(new CocoEval.Image(1, W, H, truth, dets)), true, maxDets, false);
    }

    @Test
    void onePerfectDetectionHasApOne() {
        Rle a = box(2, 2, 10, 10);
        CocoEval.Result r = masks(List.of(gt(a)), List.of(dt(a, 0.9)), 100);
        assertEquals(1.0, r.ap(), 1e-12, "TP / (TP + FP + eps): pycocotools' own 0.9999999999999998");
        assertEquals(1.0, r.ap50(), 1e-12);
        assertEquals(1.0, r.ap75(), 1e-12);
        assertEquals(1.0, r.apSmall(), 1e-12, "area 100 < 32^2");
        assertTrue(Double.isNaN(r.apMedium()), "no medium ground truth: pycocotools' -1");
        assertTrue(Double.isNaN(r.apLarge()));
        CocoEval.Result b = CocoEval.evaluate(List.of(new CocoEval.Image(1, W, H, List.of(gt(a)), List.of(dt(a, 0.9)))),
                false, 100, false);
        assertEquals(1.0, b.ap(), 1e-12);
    }

    @Test
    void aTruePositiveAFalsePositiveThenATruePositive() {
        // scores .9 TP, .8 FP, .7 TP over 2 ground truths: recall .5 .5 1, precision 1 .5 2/3,
        // made monotone 1 2/3 2/3; the 51 recall points 0..0.50 read 1, the 50 above read 2/3
        Rle a = box(0, 0, 10, 10);
        Rle b = box(20, 20, 10, 10);
        Rle elsewhere = box(40, 0, 10, 10);
        CocoEval.Result r = masks(List.of(gt(a), gt(b)), List.of(dt(a, 0.9), dt(elsewhere, 0.8), dt(b, 0.7)), 100);
        double expected = (51 + 50 * (2 / (3 + Math.ulp(1.0)))) / 101;
        assertEquals(expected, r.ap(), 1e-12);
        assertEquals(expected, r.ap50(), 1e-12);
        // maxDets 2 drops the third detection: recall stops at .5, the upper 50 points are 0
        assertEquals(51 / 101.0, masks(List.of(gt(a), gt(b)), List.of(dt(a, 0.9), dt(elsewhere, 0.8), dt(b, 0.7)), 2).ap(), 1e-12);
    }

    @Test
    void iouThresholdsDecideAp75() {
        // a detection shifted by 2 of 10 columns: IoU 80/120 = 0.667 matches at .50 .. .65 only (4 of 10 thresholds)
        Rle a = box(0, 0, 10, 10);
        CocoEval.Result r = masks(List.of(gt(a)), List.of(dt(box(2, 0, 10, 10), 0.5)), 100);
        assertEquals(1.0, r.ap50(), 1e-12);
        assertEquals(0.0, r.ap75());
        assertEquals(0.4, r.ap(), 1e-12);
    }

    @Test
    void equalScoresKeepTheirOrder() {
        // tie: the false positive listed first comes first (mergesort is stable)
        Rle a = box(0, 0, 10, 10);
        Rle other = box(30, 30, 10, 10);
        assertEquals(0.5, masks(List.of(gt(a)), List.of(dt(other, 0.6), dt(a, 0.6)), 100).ap(), 1e-12);
        assertEquals(1.0, masks(List.of(gt(a)), List.of(dt(a, 0.6), dt(other, 0.6)), 100).ap(), 1e-12);
    }

    @Test
    void crowdRegionsAbsorbDetectionsWithoutPenalty() {
        Rle a = box(0, 0, 10, 10);
        CocoAnnotation crowd = new CocoAnnotation(++ids, 1, 1, new double[] {20, 20, 30, 30}, 900, box(20, 20, 30, 30),
                true, OptionalDouble.empty());
        // two detections inside the crowd region (IoU = inter / detection area = 1) score higher than the true one
        CocoEval.Result r = masks(List.of(gt(a), crowd), List.of(dt(box(22, 22, 5, 5), 0.95), dt(box(30, 30, 5, 5), 0.94),
                dt(a, 0.5)), 100);
        assertEquals(1.0, r.ap(), 1e-12);
    }

    @Test
    void duplicatesAreFalsePositivesAfterTheFirst() {
        // one ground truth, the same mask detected twice: TP then FP; the monotone precision stays 1 up to recall 1
        Rle a = box(0, 0, 10, 10);
        assertEquals(1.0, masks(List.of(gt(a)), List.of(dt(a, 0.9), dt(a, 0.8)), 100).ap(), 1e-12);
        // but a duplicate scored above a second, missed-then-found object costs precision
        Rle b = box(20, 0, 10, 10);
        double expected = (51 + 50 * (2 / (3 + Math.ulp(1.0)))) / 101;
        assertEquals(expected, masks(List.of(gt(a), gt(b)), List.of(dt(a, 0.9), dt(a, 0.8), dt(b, 0.7)), 100).ap(), 1e-12);
    }

    @Test
    void categoriesAreEvaluatedApartAndAveraged() {
        Rle a = box(0, 0, 10, 10);
        Rle b = box(20, 0, 10, 10);
        CocoAnnotation ga = CocoAnnotation.truth(1, 1, 1, a);
        CocoAnnotation gb = CocoAnnotation.truth(2, 1, 2, b);
        List<CocoAnnotation> dets = new ArrayList<>();
        dets.add(CocoAnnotation.detection(3, 1, 1, a, 0.9));
        dets.add(CocoAnnotation.detection(4, 1, 1, b, 0.8)); // right place, wrong class
        CocoEval.Image img = new CocoEval.Image(1, W, H, List.of(ga, gb), dets);
        assertEquals(0.5, CocoEval.evaluate(List.of(img), true, 100, true).ap(), 1e-12, "class 1: AP 1, class 2: AP 0");
        assertEquals(1.0, CocoEval.evaluate(List.of(img), true, 100, false).ap(), 1e-12, "class-agnostic");
    }

    @Test
    void detectionsAcrossImagesAreRankedTogether() {
        Rle a = box(0, 0, 10, 10);
        Rle other = box(30, 30, 10, 10);
        // image 2's false positive (.9) outranks image 1's true positive (.8): FP, TP over one ground truth
        CocoEval.Image one = new CocoEval.Image(1, W, H, List.of(CocoAnnotation.truth(1, 1, 1, a)),
                List.of(CocoAnnotation.detection(2, 1, 1, a, 0.8)));
        CocoEval.Image two = new CocoEval.Image(2, W, H, List.of(), List.of(CocoAnnotation.detection(3, 2, 1, other, 0.9)));
        assertEquals(0.5, CocoEval.evaluate(List.of(two, one), true, 100, false).ap(), 1e-12);
    }
}
