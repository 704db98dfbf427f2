package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Torch;

/** subsample_labels: counts, balance, no repeats, only the right labels, seeded repeatability. */
class BalancedSamplerTest {
    /** {@code pos} labels 1, then {@code neg} labels 0, then {@code ignored} labels -1, spread by a stride coprime to the length. */
    private static Tensor labels(int pos, int neg, int ignored) {
        long[] l = new long[pos + neg + ignored];
        Arrays.fill(l, 0, pos, 1);
        Arrays.fill(l, pos + neg, l.length, -1);
        long stride = 7;
        while (java.math.BigInteger.valueOf(stride).gcd(java.math.BigInteger.valueOf(l.length)).intValue() != 1) {
            stride += 2;
        }
        long[] shuffled = new long[l.length];
        for (int i = 0; i < l.length; i++) {
            shuffled[(int) ((i * stride) % l.length)] = l[i];
        }
        return HostArrays.longs(shuffled, shuffled.length, null);
    }

    private static void assertDrawn(long[] drawn, long[] labels, long expectedLabel) {
        assertEquals(drawn.length, Arrays.stream(drawn).distinct().count(), "no index twice");
        for (long i : drawn) {
            assertEquals(expectedLabel, labels[(int) i], "label of sampled index " + i);
        }
    }

    @Test
    void capsPositivesAtTheFractionAndFillsWithNegatives() {
        Torch.seed(5);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor l = labels(200, 1000, 50);
            BalancedSampler.Result r = BalancedSampler.sample(l, 256, 0.25, 0);
            long[] pos = HostArrays.toLongs(r.positive());
            long[] neg = HostArrays.toLongs(r.negative());
            assertEquals(64, pos.length);
            assertEquals(192, neg.length);
            long[] values = HostArrays.toLongs(l);
            assertDrawn(pos, values, 1);
            assertDrawn(neg, values, 0);
        }
    }

    @Test
    void fewPositivesLeaveRoomForNegativesAndFewOfBothGiveFewerSamples() {
        Torch.seed(6);
        try (MemoryScope s = MemoryScope.open()) {
            BalancedSampler.Result r = BalancedSampler.sample(labels(10, 1000, 5), 256, 0.5, 0);
            assertEquals(10, r.positive().numel());
            assertEquals(246, r.negative().numel());
            BalancedSampler.Result small = BalancedSampler.sample(labels(10, 30, 5), 256, 0.5, 0);
            assertEquals(10, small.positive().numel());
            assertEquals(30, small.negative().numel());
        }
    }

    @Test
    void backgroundLabelCanBeTheClassCount() {
        // the ROI heads label background num_classes (1 for nuclei) and the nucleus class 0
        Torch.seed(7);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor l = HostArrays.longs(new long[] {1, 0, 1, 1, -1, 0, 1}, 7, null);
            BalancedSampler.Result r = BalancedSampler.sample(l, 4, 0.25, 1);
            long[] values = HostArrays.toLongs(l);
            assertDrawn(HostArrays.toLongs(r.positive()), values, 0);
            assertDrawn(HostArrays.toLongs(r.negative()), values, 1);
            assertEquals(1, r.positive().numel());
            assertEquals(3, r.negative().numel());
        }
    }

    @Test
    void sameSeedSameDraw() {
        long[][] first = new long[2][];
        for (int run = 0; run < 2; run++) {
            Torch.seed(42);
            try (MemoryScope s = MemoryScope.open()) {
                BalancedSampler.Result r = BalancedSampler.sample(labels(300, 3000, 0), 256, 0.5, 0);
                long[] both = new long[256];
                System.arraycopy(HostArrays.toLongs(r.positive()), 0, both, 0, 128);
                System.arraycopy(HostArrays.toLongs(r.negative()), 0, both, 128, 128);
                first[run] = both;
            }
        }
        assertArrayEquals(first[0], first[1]);
        assertTrue(Arrays.stream(first[0]).limit(128).anyMatch(i -> i > 128), "positives are drawn at random, not the first ones");
    }

    @Test
    void emptyLabelsAndBadArguments() {
        try (MemoryScope s = MemoryScope.open()) {
            BalancedSampler.Result r = BalancedSampler.sample(HostArrays.longs(new long[0], 0, null), 256, 0.5, 0);
            assertEquals(0, r.positive().numel());
            assertEquals(0, r.negative().numel());
            assertThrows(IllegalArgumentException.class, () -> BalancedSampler.sample(labels(2, 2, 0).view(2, 2), 4, 0.5, 0));
            assertThrows(IllegalArgumentException.class, () -> BalancedSampler.sample(labels(2, 2, 0), 4, 1.5, 0));
        }
    }
}
