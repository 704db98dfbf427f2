package org.unitpath.eval.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.unitpath.io.RgbImage;

class ClassificationMetricsTest {
    private static final double EPS = 1e-9;

    /** rows = true class: [4 2 0], [2 3 1], [1 0 2]; supports 6, 6, 3; predicted 7, 5, 3. */
    static ConfusionMatrix known() {
        return new ConfusionMatrix(List.of("a", "b", "c"), new long[][] {{4, 2, 0}, {2, 3, 1}, {1, 0, 2}});
    }

    @Test
    void confusionMatrixMetricsMatchHandComputedValues() {
        ConfusionMatrix m = known();
        assertEquals(15, m.total());
        assertEquals(9.0 / 15, m.accuracy(), EPS);
        assertEquals((4.0 / 6 + 3.0 / 6 + 2.0 / 3) / 3, m.balancedAccuracy(), EPS);
        assertEquals(4.0 / 7, m.precision(0), EPS);
        assertEquals(8.0 / 13, m.f1(0), EPS, "2 TP / (predicted + support)");
        assertEquals(6.0 / 11, m.f1(1), EPS);
        assertEquals(4.0 / 6, m.f1(2), EPS);
        assertEquals((8.0 / 13 + 6.0 / 11 + 2.0 / 3) / 3, m.macroF1(), EPS);
        assertEquals((6 * 8.0 / 13 + 6 * 6.0 / 11 + 3 * 2.0 / 3) / 15, m.weightedF1(), EPS);
        // observed weighted disagreement 9, expected 261 / 15
        assertEquals(1 - 9 / (261.0 / 15), m.quadraticKappa(), EPS);
        assertEquals(126.0 / 261, m.quadraticKappa(), EPS);
    }

    @Test
    void perfectAndDegenerateCases() {
        ConfusionMatrix perfect = ConfusionMatrix.of(List.of("x", "y"), new int[] {0, 1, 1}, new int[] {0, 1, 1});
        assertEquals(1, perfect.accuracy());
        assertEquals(1, perfect.quadraticKappa(), EPS);
        assertEquals(1, perfect.macroF1());
        ConfusionMatrix oneClass = ConfusionMatrix.of(List.of("x", "y", "z"), new int[] {0, 0}, new int[] {0, 0});
        assertTrue(Double.isNaN(oneClass.quadraticKappa()), "kappa undefined when all fall in one class");
        assertEquals(1, oneClass.balancedAccuracy(), "only classes present in the truth count");
        assertEquals(1, oneClass.macroF1(), "classes absent from truth and predictions are left out");
        ConfusionMatrix reversed = ConfusionMatrix.of(List.of("x", "y"), new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0});
        assertEquals(-1, reversed.quadraticKappa(), EPS);
        assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(List.of("x"), new int[] {1}, new int[] {0}));
    }

    @Test
    void aucCountsTiesAsOneHalf() {
        double[] s = {0.1, 0.4, 0.35, 0.8, 0.4, 0.4};
        boolean[] pos = {false, false, true, true, true, false};
        // pairs (pos, neg): 0.35 beats 0.1 only; 0.8 beats all; 0.4 beats 0.1 and ties twice: (1 + 3 + 2) / 9
        assertEquals(6.0 / 9, RocAuc.auc(s, pos), EPS);
        assertEquals(1.0, RocAuc.auc(new double[] {0, 1}, new boolean[] {false, true}));
        assertEquals(0.5, RocAuc.auc(new double[] {3, 3, 3}, new boolean[] {false, true, true}), EPS);
        assertTrue(Double.isNaN(RocAuc.auc(new double[] {1, 2}, new boolean[] {true, true})));
    }

    @Test
    void aucEqualsThePairwiseDefinitionOnRandomTiedScores() {
        Random r = new Random(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 5 + r.nextInt(60);
            double[] s = new double[n];
            boolean[] pos = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = r.nextInt(6) / 5.0;
                pos[i] = r.nextBoolean();
            }
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (pos[i] && !pos[j]) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            double expected = pairs == 0 ? Double.NaN : wins / pairs;
            assertEquals(expected, RocAuc.auc(s, pos), 1e-12, "trial " + trial);
        }
    }

    @Test
    void reportHasTheStableKeys() {
        int[] truth = {0, 0, 1, 1, 2};
        double[][] scores = {{0.8, 0.1, 0.1}, {0.4, 0.5, 0.1}, {0.2, 0.7, 0.1}, {0.3, 0.3, 0.4}, {0.1, 0.1, 0.8}};
        ClassificationReport r = ClassificationReport.of(List.of("ADI", "BACK", "TUM"), truth, scores);
        Map<String, Object> json = r.toJson();
        assertEquals(List.of("balanced_accuracy", "accuracy", "macro_f1", "weighted_f1", "quadratic_kappa", "auc_macro", "auc"),
                json.keySet().stream().limit(7).toList());
        assertEquals(0.6, (Double) json.get("accuracy"), EPS);
        @SuppressWarnings("unchecked")
        Map<String, Double> auc = (Map<String, Double>) json.get("auc");
        assertEquals(List.of("ADI", "BACK", "TUM"), List.copyOf(auc.keySet()));
        // ADI: positives 0.8, 0.4 vs negatives 0.2, 0.3, 0.1 -> all 6 pairs won
        assertEquals(1.0, auc.get("ADI"), EPS);
        // BACK: positives 0.7, 0.3 vs negatives 0.1, 0.5, 0.1 -> 3 + 2 of 6
        assertEquals(5.0 / 6, auc.get("BACK"), EPS);
        assertEquals((1.0 + 5.0 / 6 + auc.get("TUM")) / 3, r.aucMacro(), EPS);
        assertTrue(r.table().contains("balanced accuracy"), r.table());

        ClassificationReport missing = ClassificationReport.of(List.of("x", "y", "z"), new int[] {0, 1},
                new double[][] {{0.9, 0.1, 0}, {0.2, 0.8, 0}});
        assertNull(((Map<?, ?>) missing.toJson().get("auc")).get("z"), "no positives: AUC undefined, written as null");
        assertEquals(1.0, missing.aucMacro(), EPS, "macro over the defined classes");
    }

    @Test
    void csvAndImageShowTheCounts() {
        String csv = ReportFiles.csv(known());
        assertEquals("true\\predicted,a,b,c\na,4,2,0\nb,2,3,1\nc,1,0,2\n", csv);
        RgbImage img = ConfusionMatrixImage.render(known());
        assertTrue(img.width() > 3 * 64 && img.height() > 3 * 64, img.width() + "x" + img.height());
        // every row-normalised fraction fills most of a cell with its shade: 0, 1/6, 1/3, 1/2, 2/3
        for (double f : new double[] {0, 1.0 / 6, 1.0 / 3, 0.5, 2.0 / 3}) {
            java.awt.Color c = ConfusionMatrixImage.shade(f);
            int n = 0;
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    n += img.get(x, y, 0) == c.getRed() && img.get(x, y, 1) == c.getGreen() && img.get(x, y, 2) == c.getBlue() ? 1 : 0;
                }
            }
            assertTrue(n > 64 * 64 / 2, "fraction " + f + ": " + n + " pixels of its shade");
        }
        assertTrue(ConfusionMatrixImage.shade(1).getBlue() < ConfusionMatrixImage.shade(0).getBlue(), "darker = larger");
    }
}
