package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** comparison.md holds mean ± sample std over seeds at best and last, and the metric at every evaluated iteration. */
class ComparisonMarkdownTest {
    private static Comparison.Outcome run(String name, long seed, double ajiEarly, double ajiBest, double ajiLast, double seconds) {
        ModelSelection.Point best = new ModelSelection.Point(200, Map.of("aji", 0.5), Map.of("aji", ajiBest, "pq", 0.4));
        ModelSelection.Point last = new ModelSelection.Point(300, Map.of("aji", 0.4), Map.of("aji", ajiLast, "pq", 0.3));
        List<Map<String, Double>> curve = List.of(Map.of("iter", 100.0, "aji", ajiEarly, "pq", 0.1),
                Map.of("iter", 200.0, "aji", ajiBest, "pq", 0.4), Map.of("iter", 300.0, "aji", ajiLast, "pq", 0.3));
        return new Comparison.Outcome(name, "", seed, "val_aji", best, last, curve, seconds);
    }

    @Test
    void meansAndSampleStdsPerInitialisationAndIteration() {
        String md = ComparisonMarkdown.render(List.of(run("proposed", 0, 0.30, 0.60, 0.50, 600), run("proposed", 1, 0.50, 0.64, 0.54, 720),
                run("random", 0, 0.10, 0.40, 0.45, 660)), "test");
        // aji at best: 0.60 and 0.64 -> mean 0.62, std sqrt(0.0008) = 0.0283; training 10 and 12 min
        assertTrue(md.contains("| proposed | 2 | best | 200, 200 | 0.6200 ± 0.0283 | 0.4000 ± 0.0000 | 11.0 ± 1.4 |"), md);
        assertTrue(md.contains("| proposed | 2 | last | 300, 300 | 0.5200 ± 0.0283 |"), md);
        // one seed has no spread: the mean alone
        assertTrue(md.contains("| random | 1 | best | 200 | 0.4000 | 0.4000 | 11.0 |"), md);
        assertTrue(md.contains("aji by iteration:\n\n| init | 100 | 200 | 300 |"), md);
        assertTrue(md.contains("| proposed | 0.4000 ± 0.1414 | 0.6200 ± 0.0283 | 0.5200 ± 0.0283 |"), md);
        assertTrue(md.contains("| random | 0.1000 | 0.4000 | 0.4500 |"), md);
        assertTrue(md.startsWith("Metrics on the test images"), md);
    }
}
