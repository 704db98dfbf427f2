package org.unitpath.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.unitpath.io.InstanceMap;
import org.unitpath.io.InstanceMapFiles;

/** HoVer-Net's sample maps (src/test/resources/hovernet-sample/SOURCE.md) against the values its metrics README publishes. */
class HoverNetSampleTest {
    static InstanceMap sample(String name) throws IOException, URISyntaxException {
        return InstanceMapFiles.read(Path.of(HoverNetSampleTest.class.getResource("/hovernet-sample/" + name + ".png").toURI()));
    }

    @Test
    void reproducesThePublishedValuesToFourDecimals() throws Exception {
        InstanceMap truth = sample("true");
        assertEquals(5, truth.count());
        ImageScores one = NucleusMetrics.score("pred_1", truth, sample("pred_1"), null, null);
        ImageScores two = NucleusMetrics.score("pred_2", truth, sample("pred_2"), null, null);
        assertPublished(one, 0.6477, 0.4790, 0.6375, 0.8889, 0.7653, 0.6803);
        assertPublished(two, 0.9007, 0.6414, 0.6414, 0.8889, 0.7721, 0.6863);
    }

    private static void assertPublished(ImageScores s, double dice2, double aji, double ajiPlus, double dq, double sq, double pq) {
        assertEquals(dice2, round4(s.dice2()), s.name() + " Dice2");
        assertEquals(aji, round4(s.aji()), s.name() + " AJI");
        assertEquals(ajiPlus, round4(s.ajiPlus()), s.name() + " AJI+");
        assertEquals(dq, round4(s.dq()), s.name() + " DQ");
        assertEquals(sq, round4(s.sq()), s.name() + " SQ");
        assertEquals(pq, round4(s.pq()), s.name() + " PQ");
    }

    private static double round4(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
