package org.unitpath.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.unitpath.io.InstanceMap;

/** Hand-made one-row images whose metrics are worked out in the comments. */
class NucleusMetricsTest {
    private static ImageScores score(int[] truth, int[] pred) {
        return NucleusMetrics.score("x", map(truth), map(pred), null, null);
    }

    static InstanceMap map(int[] ids) {
        return InstanceMap.relabel(ids.length, 1, ids);
    }

    @Test
    void perfectPredictionScoresOneEverywhere() {
        ImageScores s = score(new int[] {0, 1, 1, 2, 2, 0}, new int[] {0, 9, 9, 4, 4, 0});
        for (Metric m : Metric.perImage()) {
            if (m != Metric.MPQ && m != Metric.DICE) {
                assertEquals(1.0, s.value(m), 1e-5, m.key());
            }
        }
        assertEquals(10 / 9.0, s.dice(), 1e-12, "the paper's +1 smoothing: 2(4+1)/(8+1) exceeds 1 on a perfect match");
    }

    @Test
    void emptyImagesFollowThePaperRuleOrHoverNetsNaN() {
        ImageScores both = score(new int[4], new int[4]);
        for (Metric m : new Metric[] {Metric.DICE, Metric.AJI, Metric.DQ, Metric.SQ, Metric.PQ, Metric.PQ_INCLUSIVE}) {
            assertEquals(1.0, both.value(m), m.key());
        }
        for (Metric m : new Metric[] {Metric.DICE1, Metric.DICE2, Metric.AJI_PLUS, Metric.F1, Metric.PRECISION, Metric.RECALL}) {
            assertTrue(Double.isNaN(both.value(m)), m.key());
        }
        ImageScores noTruth = score(new int[4], new int[] {0, 3, 3, 0});
        ImageScores noPred = score(new int[] {0, 3, 3, 0}, new int[4]);
        for (ImageScores s : new ImageScores[] {noTruth, noPred}) {
            for (Metric m : new Metric[] {Metric.DICE, Metric.AJI, Metric.DQ, Metric.SQ, Metric.PQ, Metric.DICE1,
                    Metric.AJI_PLUS, Metric.F1}) {
                assertEquals(0.0, s.value(m), m.key());
            }
            assertTrue(Double.isNaN(s.dice2()), "no overlapping pair: HoVer-Net divides 0 by 0");
        }
        assertEquals(0.0, noTruth.value(Metric.PRECISION));
        assertTrue(Double.isNaN(noTruth.value(Metric.RECALL)));
        assertEquals(0.0, noPred.value(Metric.RECALL));
    }

    @Test
    void smoothedDiceAddsOne() {
        // |T| = 3, |P| = 2, |T∩P| = 1: paper 2(1+1)/(3+2+1), HoVer-Net 2*1/5
        ImageScores s = score(new int[] {1, 1, 1, 0}, new int[] {0, 0, 2, 2});
        assertEquals(4 / 6.0, s.dice(), 1e-12);
        assertEquals(2 / 5.0, s.dice1(), 1e-12);
    }

    @Test
    void mergedNucleiOnePredictionOverTwo() {
        // truth 3 px + 5 px, one prediction over all 8: IoUs 3/8 and 5/8
        ImageScores s = score(new int[] {1, 1, 1, 2, 2, 2, 2, 2}, new int[] {7, 7, 7, 7, 7, 7, 7, 7});
        assertEquals(new PqCounts(1, 0, 1, 5 / 8.0), s.counts());
        assertEquals(1 / 1.5, s.dq(), 1e-12);
        assertEquals(0.625 / (1 + 1e-6), s.sq(), 1e-12);
        assertEquals(0.5, s.aji(), 1e-6, "both pick the prediction: (3+5) / (8+8)");
        assertEquals(5 / 11.0, s.ajiPlus(), 1e-6, "one-to-one: 5 / (8 + the unpaired 3)");
        assertEquals(16 / 24.0, s.dice2(), 1e-12, "2(3+5) / ((3+8) + (5+8))");
        assertEquals(1.0, s.dice1());
    }

    @Test
    void splitNucleusTwoPredictionsOverOne() {
        ImageScores s = score(new int[] {1, 1, 1, 1, 1, 1, 1, 1}, new int[] {1, 1, 1, 1, 1, 2, 2, 2});
        assertEquals(new PqCounts(1, 1, 0, 5 / 8.0), s.counts());
        assertEquals(5 / 11.0, s.aji(), 1e-6, "the 3-px piece is never used: 5 / (8 + 3)");
        assertEquals(5 / 11.0, s.ajiPlus(), 1e-6);
    }

    @Test
    void aTieAtExactlyOneHalfSeparatesStrictFromInclusive() {
        ImageScores s = score(new int[] {1, 1, 1, 1, 0, 0}, new int[] {2, 2, 0, 0, 0, 0});
        assertEquals(0.0, s.pq(), "strict: IoU 0.5 is not > 0.5");
        assertEquals(1.0, s.dqInclusive());
        assertEquals(0.5, s.sqInclusive());
        assertEquals(0.5, s.pqInclusive());
        // two nuclei inside one prediction at IoU 0.5 each: only one of them can be its match
        ImageScores merged = score(new int[] {1, 1, 2, 2}, new int[] {5, 5, 5, 5});
        assertEquals(0.0, merged.dq());
        assertEquals(1 / 1.5, merged.dqInclusive(), 1e-12);
        assertEquals(1 / 3.0, merged.pqInclusive(), 1e-12);
    }

    @Test
    void labelIdsNeedNotBeContiguous() {
        ImageScores a = score(new int[] {0, 5, 5, 100_000, 100_000, 0, 7}, new int[] {3, 3, 3, 9, 9, 0, 0});
        ImageScores b = score(new int[] {0, 1, 1, 3, 3, 0, 2}, new int[] {1, 1, 1, 2, 2, 0, 0});
        assertEquals(b, new ImageScores("x", a.truthInstances(), a.predInstances(), a.dice1(), a.dice(), a.dice2(), a.aji(),
                a.ajiPlus(), a.dq(), a.sq(), a.pq(), a.dqInclusive(), a.sqInclusive(), a.pqInclusive(), a.counts(),
                a.mpq(), a.perClass()));
        assertEquals(3, a.truthInstances());
    }

    @Test
    void perClassCountsAndPanNukeMpq() {
        // truth: nucleus 1 class 1, nucleus 2 class 2; prediction: both found, the second with class 1
        ImageScores s = NucleusMetrics.score("x", map(new int[] {1, 1, 0, 2, 2}), map(new int[] {1, 1, 0, 2, 2}),
                new int[] {0, 1, 2}, new int[] {0, 1, 1});
        assertEquals(Map.of(1, new PqCounts(1, 1, 0, 1.0), 2, new PqCounts(0, 0, 1, 0.0)), s.perClass());
        // class 1: DQ 1/1.5, SQ 1/(1+1e-6); class 2: 0 -> mean
        assertEquals((1 / 1.5 / (1 + 1e-6)) / 2, s.mpq(), 1e-12);
    }

    @Test
    void ajiOfRawMapsKeepsItsFormerContract() {
        assertEquals(1.0, NucleusMetrics.aji(4, 1, new int[] {0, 1, 1, 2}, new int[] {0, 5, 5, 7}), 1e-6);
        assertEquals(0.5, NucleusMetrics.aji(4, 1, new int[] {1, 1, 2, 2}, new int[] {3, 3, 3, 3}), 1e-6);
        assertEquals(2 / 6.0, NucleusMetrics.aji(4, 1, new int[] {1, 1, 1, 1}, new int[] {1, 1, 2, 2}), 1e-6);
    }
}
