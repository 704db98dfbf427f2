package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** DefaultAnchorGenerator: counts, order and exact coordinates. */
class AnchorGeneratorTest {
    private static final double[] RATIOS = {0.5, 1.0, 2.0};

    @Test
    void matchesDetectron2FormulaReference() {
        try (MemoryScope s = MemoryScope.open()) {
            AnchorGenerator gen = new AnchorGenerator(new double[][] {{32}, {64}}, RATIOS, new int[] {4, 8}, 0.5);
            List<Tensor> anchors = gen.anchors(List.of(new long[] {3, 5}, new long[] {2, 3}));
            assertEquals(0, Tensors.maxAbsDiff(DetectionFixtures.get("anchors.level0"), anchors.get(0)), 0);
            assertEquals(0, Tensors.maxAbsDiff(DetectionFixtures.get("anchors.level1"), anchors.get(1)), 0);
        }
    }

    @Test
    void paperConfigurationCountsAndCoordinates() {
        try (MemoryScope s = MemoryScope.open()) {
            AnchorGenerator gen = new AnchorGenerator(new double[][] {{32}, {64}, {128}, {256}, {512}}, RATIOS,
                    new int[] {4, 8, 16, 32, 64}, 0.5);
            assertEquals(3, gen.anchorsPerLocation());
            List<Tensor> anchors = gen.anchors(List.of(new long[] {64, 64}, new long[] {32, 32}, new long[] {16, 16},
                    new long[] {8, 8}, new long[] {4, 4}));
            long[] counts = {64 * 64 * 3, 32 * 32 * 3, 16 * 16 * 3, 8 * 8 * 3, 4 * 4 * 3};
            for (int l = 0; l < 5; l++) {
                assertArrayEquals(new long[] {counts[l], 4}, anchors.get(l).shape(), "level " + l);
            }
            float[] p2 = Tensors.toFloats(anchors.get(0));
            double w = Math.sqrt(32.0 * 32.0 / 0.5);
            // location (0, 0) centred at (2, 2): ratio 0.5 (wide), then the 32 x 32 square, then ratio 2 (tall)
            assertArrayEquals(new float[] {(float) (2 - w / 2), (float) (2 - w / 4), (float) (2 + w / 2), (float) (2 + w / 4)},
                    slice(p2, 0), 1e-5f);
            assertArrayEquals(new float[] {-14, -14, 18, 18}, slice(p2, 1), 0f);
            assertArrayEquals(new float[] {(float) (2 - w / 4), (float) (2 - w / 2), (float) (2 + w / 4), (float) (2 + w / 2)},
                    slice(p2, 2), 1e-5f);
            // location-major: anchor (y * W + x) * A + a; (y, x) = (1, 2) is centred at (10, 6)
            assertArrayEquals(new float[] {-6, -10, 26, 22}, slice(p2, (1 * 64 + 2) * 3 + 1), 0f);
            float[] p6 = Tensors.toFloats(anchors.get(4));
            assertArrayEquals(new float[] {224 - 256, 224 - 256, 224 + 256, 224 + 256}, slice(p6, (3 * 4 + 3) * 3 + 1), 0f);
        }
    }

    private static float[] slice(float[] anchors, int i) {
        return new float[] {anchors[4 * i], anchors[4 * i + 1], anchors[4 * i + 2], anchors[4 * i + 3]};
    }

    @Test
    void oneSizeRowIsBroadcastAndSeveralSizesAreSizeMajor() {
        try (MemoryScope s = MemoryScope.open()) {
            AnchorGenerator gen = new AnchorGenerator(new double[][] {{8, 16}}, new double[] {1.0}, new int[] {4, 8}, 0.0);
            assertEquals(2, gen.anchorsPerLocation());
            List<Tensor> anchors = gen.anchors(List.of(new long[] {1, 2}, new long[] {1, 1}));
            assertArrayEquals(new float[] {-4, -4, 4, 4, -8, -8, 8, 8, 0, -4, 8, 4, -4, -8, 12, 8}, Tensors.toFloats(anchors.get(0)));
            assertArrayEquals(new float[] {-4, -4, 4, 4, -8, -8, 8, 8}, Tensors.toFloats(anchors.get(1)));
        }
    }

    @Test
    void emptyFeatureMapsGiveNoAnchors() {
        try (MemoryScope s = MemoryScope.open()) {
            AnchorGenerator gen = new AnchorGenerator(new double[][] {{32}}, RATIOS, new int[] {4}, 0.5);
            assertArrayEquals(new long[] {0, 4}, gen.anchors(List.of(new long[] {0, 5})).get(0).shape());
        }
    }

    @Test
    void rejectsInconsistentConfigurations() {
        assertThrows(IllegalArgumentException.class, () -> new AnchorGenerator(new double[][] {{32}, {64}}, RATIOS, new int[] {4, 8, 16}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new AnchorGenerator(new double[][] {{32}, {64, 96}}, RATIOS, new int[] {4, 8}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new AnchorGenerator(new double[][] {{32}}, RATIOS, new int[] {4}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> new AnchorGenerator(new double[][] {{32}}, new double[0], new int[] {4}, 0.5));
        AnchorGenerator gen = new AnchorGenerator(new double[][] {{32}}, RATIOS, new int[] {4}, 0.5);
        assertThrows(IllegalArgumentException.class, () -> gen.anchors(List.of(new long[] {2, 2}, new long[] {1, 1})));
    }
}
