package org.unitpath.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unitpath.io.InstanceMap;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.Rle;

/** Dataset aggregates on hand-made one-row images, worked out in the comments. */
class EvaluationTest {
    private static InstanceMap map(int... ids) {
        return InstanceMap.relabel(ids.length, 1, ids);
    }

    private static Evaluation.Item item(String name, int[] truth, int[] pred) {
        return new Evaluation.Item(name, Truth.of(map(truth), null), Prediction.of(map(pred), null));
    }

    @Test
    void aggregatesMeansAndSummedCounts() {
        Evaluation.Report r = Evaluation.run(List.of(
                item("a", new int[] {1, 1, 2, 2, 0, 0}, new int[] {1, 1, 0, 0, 3, 3}), // TP (IoU 1), FN, FP
                item("b", new int[6], new int[6]), // both empty
                item("c", new int[] {1, 1, 1, 1, 0, 0}, new int[] {1, 1, 1, 0, 0, 0})), // TP (IoU 3/4)
                100, 2);
        Map<Metric, Double> s = r.summary();
        assertEquals(2 / 3.0, s.get(Metric.PRECISION), 1e-12);
        assertEquals(2 / 3.0, s.get(Metric.RECALL), 1e-12);
        assertEquals(2 / 3.0, s.get(Metric.F1), 1e-12);
        assertEquals(2 / 3.000001 * (1.75 / 2.000001), s.get(Metric.BPQ), 1e-12, "TP 2, FP 1, FN 1, sum of IoU 1.75");
        assertEquals((6 / 9.0 + 1 + 1) / 3, s.get(Metric.DICE), 1e-12, "a: 2(2+1)/(4+4+1); b: empty rule; c: 2(3+1)/(4+3+1)");
        assertEquals((0.5 + 6 / 7.0) / 2, s.get(Metric.DICE1), 1e-12, "b is undefined and skipped");
        assertFalse(s.containsKey(Metric.MPQ), "no classes");
        assertFalse(s.containsKey(Metric.AP), "no scores");
        assertEquals(List.of("a", "b", "c"), r.perImage().stream().map(ImageScores::name).toList());
    }

    @Test
    void multiClassPanNukeAndConicAggregates() {
        // a: truth 1 (class 1), 2 (class 2), 3 (class 1); prediction 1 (class 1) on 1, 2 (class 1) on 2
        Evaluation.Item a = new Evaluation.Item("a", Truth.of(map(1, 1, 2, 2, 3, 3), new int[] {0, 1, 2, 1}),
                Prediction.of(map(1, 1, 2, 2, 0, 0), new int[] {0, 1, 1}));
        // b: one class-2 nucleus found with the right class
        Evaluation.Item b = new Evaluation.Item("b", Truth.of(map(1, 1, 0, 0), new int[] {0, 2}),
                Prediction.of(map(1, 1, 0, 0), new int[] {0, 2}));
        Evaluation.Report r = Evaluation.run(List.of(a, b), 100, 1);
        double sq = 1 / (1 + 1e-6);
        // PanNuke, per image: a = mean(class 1: DQ 1/(1+.5+.5) x SQ, class 2: 0), b = class 2: 1 x SQ
        assertEquals((0.5 * sq / 2 + sq) / 2, r.summary().get(Metric.MPQ), 1e-12);
        // CoNIC, summed: class 1 = TP 1 FP 1 FN 1, class 2 = TP 1 FP 0 FN 1
        double pq1 = 1 / (2 + 1e-6) * sq;
        double pq2 = 1 / (1.5 + 1e-6) * sq;
        assertEquals((pq1 + pq2) / 2, r.summary().get(Metric.MPQ_PLUS), 1e-12);
        assertTrue(r.multiClass());
    }

    @Test
    void detectionsArePaintedByScoreAboveTheThresholdFirstClaimWins() {
        List<CocoAnnotation> dets = List.of(
                det(1, new byte[] {1, 1, 0, 0}, 0.6),
                det(2, new byte[] {0, 1, 1, 0}, 0.9),
                det(3, new byte[] {0, 0, 0, 1}, 0.3), // below the threshold
                det(4, new byte[] {0, 1, 1, 0}, 0.8)); // a duplicate of 2: claims no pixel and vanishes
        Prediction p = Prediction.ofDetections(4, 1, dets, 0.5);
        assertArrayEquals(new int[] {2, 1, 1, 0}, p.map().labels());
        assertEquals(2, p.map().count());
        assertEquals(4, p.detections().size(), "COCO AP sees every detection");
        Truth t = Truth.of(map(2, 1, 1, 0), null);
        Evaluation.Report r = Evaluation.run(List.of(new Evaluation.Item("x", t, p)), 100, 1);
        assertEquals(1.0, r.summary().get(Metric.PQ), 1e-5);
        assertTrue(r.summary().containsKey(Metric.AP));
        assertTrue(r.summary().containsKey(Metric.BOX_AP75));
        // the 0.3 detection is a false positive ranked last, the duplicate a false positive at 0.8 between two true ones
        assertTrue(r.summary().get(Metric.AP) < 1 && r.summary().get(Metric.AP) > 0.5, r.summary().toString());
    }

    @Test
    void truthFromAMapMatchesTheSameMaskAsDetectionsWithApOne() {
        InstanceMap m = map(0, 3, 3, 0, 5, 5, 5, 0);
        List<CocoAnnotation> dets = List.of(det(1, new byte[] {0, 1, 1, 0, 0, 0, 0, 0}, 0.7),
                det(2, new byte[] {0, 0, 0, 0, 1, 1, 1, 0}, 0.9));
        Evaluation.Report r = Evaluation.run(List.of(new Evaluation.Item("x", Truth.of(m, null),
                Prediction.ofDetections(8, 1, dets, 0.5))), 100, 1);
        assertEquals(1.0, r.summary().get(Metric.AP), 1e-12);
        assertEquals(1.0, r.summary().get(Metric.BOX_AP), 1e-12);
        assertEquals(2, Truth.of(m, null).objects().size());
        assertEquals(3.0, Truth.of(m, null).objects().get(1).area());
    }

    private static CocoAnnotation det(long id, byte[] mask, double score) {
        return CocoAnnotation.detection(id, 1, 1, Rle.encode(mask, mask.length, 1), score);
    }
}
