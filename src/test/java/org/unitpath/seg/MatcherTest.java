package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** Matcher with the RPN's (0.3, 0.7 / 0, -1, 1, low-quality) and the ROI heads' (0.5 / 0, 1) settings. */
class MatcherTest {
    private static final Matcher RPN = new Matcher(new double[] {0.3, 0.7}, new int[] {0, -1, 1}, true);
    private static final Matcher RPN_STRICT = new Matcher(new double[] {0.3, 0.7}, new int[] {0, -1, 1}, false);
    private static final Matcher ROI = new Matcher(new double[] {0.5}, new int[] {0, 1}, false);

    /** 2 ground truths x 5 predictions; gt 1 has its best quality 0.4 at predictions 1 and 3 (a tie). */
    private static Tensor quality() {
        return Tensors.of(new float[] {
            0.1f, 0.5f, 0.8f, 0.2f, 0.0f,
            0.25f, 0.4f, 0.1f, 0.4f, 0.0f}, 2, 5);
    }

    @Test
    void bandsAndBestMatches() {
        try (MemoryScope s = MemoryScope.open()) {
            Matcher.Result r = RPN_STRICT.match(quality());
            assertTrue(r.matchedIndex().scalar_type().intern() == ScalarType.Long);
            assertTrue(r.label().scalar_type().intern() == ScalarType.Long);
            assertArrayEquals(new long[] {1, 0, 0, 1, 0}, HostArrays.toLongs(r.matchedIndex()));
            assertArrayEquals(new long[] {0, -1, 1, -1, 0}, HostArrays.toLongs(r.label()));
        }
    }

    @Test
    void lowQualityMatchesIncludeTiesAndKeepTheBestIndex() {
        try (MemoryScope s = MemoryScope.open()) {
            Matcher.Result r = RPN.match(quality());
            assertArrayEquals(new long[] {1, 0, 0, 1, 0}, HostArrays.toLongs(r.matchedIndex()));
            assertArrayEquals(new long[] {0, 1, 1, 1, 0}, HostArrays.toLongs(r.label()));
        }
    }

    @Test
    void thresholdsAreLowerInclusive() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor q = Tensors.of(new float[] {0.5f, 0.49f, 0.3f, 0.7f, 0.29f}, 1, 5);
            assertArrayEquals(new long[] {1, 0, 0, 1, 0}, HostArrays.toLongs(ROI.match(q).label()));
            assertArrayEquals(new long[] {-1, -1, -1, 1, 0}, HostArrays.toLongs(RPN_STRICT.match(q).label()));
        }
    }

    @Test
    void noGroundTruthMakesEverythingBackground() {
        try (MemoryScope s = MemoryScope.open()) {
            Matcher.Result r = RPN.match(Tensors.zeros(0, 4));
            assertArrayEquals(new long[] {0, 0, 0, 0}, HostArrays.toLongs(r.matchedIndex()));
            assertArrayEquals(new long[] {0, 0, 0, 0}, HostArrays.toLongs(r.label()));
            Matcher ignoring = new Matcher(new double[] {0.5}, new int[] {-1, 1}, false);
            assertArrayEquals(new long[] {-1, -1}, HostArrays.toLongs(ignoring.match(Tensors.zeros(0, 2)).label()));
            assertArrayEquals(new long[] {0}, RPN.match(Tensors.zeros(3, 0)).label().shape());
        }
    }

    @Test
    void aGroundTruthOverlappingNothingTiesWithEveryZeroPrediction() {
        // Detectron2 behaves the same: its best quality is 0, so every prediction at 0 "ties" for it
        try (MemoryScope s = MemoryScope.open()) {
            Tensor q = Tensors.of(new float[] {0.9f, 0f, 0f, 0f, 0f, 0f}, 2, 3);
            assertArrayEquals(new long[] {1, 1, 1}, HostArrays.toLongs(RPN.match(q).label()));
        }
    }

    @Test
    void rejectsBadSettingsAndInputs() {
        assertThrows(IllegalArgumentException.class, () -> new Matcher(new double[] {0.0}, new int[] {0, 1}, false));
        assertThrows(IllegalArgumentException.class, () -> new Matcher(new double[] {0.7, 0.3}, new int[] {0, -1, 1}, false));
        assertThrows(IllegalArgumentException.class, () -> new Matcher(new double[] {0.5}, new int[] {0, 1, 1}, false));
        assertThrows(IllegalArgumentException.class, () -> new Matcher(new double[] {0.5}, new int[] {0, 2}, false));
        try (MemoryScope s = MemoryScope.open()) {
            assertThrows(IllegalArgumentException.class, () -> ROI.match(Tensors.zeros(4)));
            assertThrows(IllegalArgumentException.class, () -> ROI.match(Tensors.of(new float[] {-0.1f}, 1, 1)));
        }
    }
}
