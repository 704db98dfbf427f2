package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** NMS and batched NMS keep torchvision's boxes in torchvision's order (references from torchvision 0.14). */
class NmsTest {
    private static Tensor get(String key) {
        return DetectionFixtures.get(key);
    }

    @Test
    void matchesTorchvisionOnRandomBoxesWithNearDuplicates() {
        try (MemoryScope s = MemoryScope.open()) {
            DetectionFixtures.assertSameLongs(get("nms.random.keep05"), Nms.nms(get("nms.random.boxes"), get("nms.random.scores"), 0.5), "iou 0.5");
            DetectionFixtures.assertSameLongs(get("nms.random.keep07"), Nms.nms(get("nms.random.boxes"), get("nms.random.scores"), 0.7), "iou 0.7");
            DetectionFixtures.assertSameLongs(get("nms.ties.keep"), Nms.nms(get("nms.ties.boxes"), get("nms.ties.scores"), 0.5), "ties");
        }
    }

    @Test
    void twoThousandProposalsInMilliseconds() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor boxes = get("nms.rpn.boxes");
            Tensor scores = get("nms.rpn.scores");
            DetectionFixtures.assertSameLongs(get("nms.rpn.keep"), Nms.nms(boxes, scores, 0.7), "2000 boxes");
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                try (MemoryScope step = MemoryScope.open()) {
                    long t0 = System.nanoTime();
                    Nms.nms(boxes, scores, 0.7);
                    best = Math.min(best, System.nanoTime() - t0);
                }
            }
            assertTrue(best < 100_000_000L, "NMS of 2000 boxes took " + best / 1e6 + " ms");
        }
    }

    @Test
    void batchedMatchesTorchvisionOnBothOfItsPaths() {
        try (MemoryScope s = MemoryScope.open()) {
            for (String tag : new String[] {"trick", "vanilla"}) {
                String p = "batched." + tag + ".";
                DetectionFixtures.assertSameLongs(get(p + "keep"),
                        Nms.batchedNms(get(p + "boxes"), get(p + "scores"), get(p + "groups"), 0.6), tag);
            }
        }
    }

    /** torchvision's loop as written: every later box against every kept one, no pruning. */
    private static long[] bruteForce(float[] b, float[] sc, double thr) {
        int n = sc.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> sc[p] != sc[q] ? Float.compare(sc[q], sc[p]) : Integer.compare(p, q));
        boolean[] suppressed = new boolean[n];
        List<Long> keep = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            int i = order[a];
            if (suppressed[i]) {
                continue;
            }
            keep.add((long) i);
            float ai = (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]);
            for (int c = a + 1; c < n; c++) {
                int j = order[c];
                float aj = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
                float w = Math.max(0f, Math.min(b[4 * i + 2], b[4 * j + 2]) - Math.max(b[4 * i], b[4 * j]));
                float h = Math.max(0f, Math.min(b[4 * i + 3], b[4 * j + 3]) - Math.max(b[4 * i + 1], b[4 * j + 1]));
                float inter = w * h;
                if (!suppressed[j] && inter / (ai + aj - inter) > thr) {
                    suppressed[j] = true;
                }
            }
        }
        return keep.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void sweepEqualsTheUnprunedLoopOnMixedSizesAndDegenerateBoxes() {
        SplittableRandom rnd = new SplittableRandom(9);
        for (int trial = 0; trial < 20; trial++) {
            try (MemoryScope s = MemoryScope.open()) {
                int n = 50 + rnd.nextInt(400);
                float[] b = new float[4 * n];
                float[] sc = new float[n];
                for (int i = 0; i < n; i++) {
                    float x = (float) rnd.nextDouble(-20, 200);
                    float y = (float) rnd.nextDouble(-20, 200);
                    float w = (float) (rnd.nextInt(10) == 0 ? rnd.nextDouble(-5, 0) : Math.exp(rnd.nextDouble(0, 5)));
                    float h = (float) rnd.nextDouble(0, 80);
                    b[4 * i] = x;
                    b[4 * i + 1] = y;
                    b[4 * i + 2] = x + w;
                    b[4 * i + 3] = y + h;
                    sc[i] = rnd.nextInt(20) / 20f;
                }
                double thr = new double[] {0.0, 0.3, 0.5, 0.7, 1.0}[trial % 5];
                assertArrayEquals(bruteForce(b, sc, thr), HostArrays.toLongs(Nms.nms(Tensors.of(b, n, 4), Tensors.of(sc, n), thr)),
                        "trial " + trial + ", threshold " + thr);
            }
        }
    }

    @Test
    void iouEqualToTheThresholdDoesNotSuppress() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor boxes = Tensors.of(new float[] {0, 0, 10, 10, 0, 0, 10, 5}, 2, 4);
            Tensor scores = Tensors.of(new float[] {0.2f, 0.9f}, 2);
            assertArrayEquals(new long[] {1, 0}, HostArrays.toLongs(Nms.nms(boxes, scores, 0.5)));
            assertArrayEquals(new long[] {1}, HostArrays.toLongs(Nms.nms(boxes, scores, 0.49)));
        }
    }

    @Test
    void equalScoresKeepTheLowerIndex() {
        try (MemoryScope s = MemoryScope.open()) {
            int n = 40;
            float[] b = new float[4 * n];
            float[] sc = new float[n];
            for (int i = 0; i < n; i++) {
                b[4 * i + 2] = 10;
                b[4 * i + 3] = 10;
                sc[i] = i % 2 == 0 ? 0.5f : 0.25f;
            }
            assertArrayEquals(new long[] {0}, HostArrays.toLongs(Nms.nms(Tensors.of(b, n, 4), Tensors.of(sc, n), 0.7)));
        }
    }

    @Test
    void groupsDoNotSuppressEachOther() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor boxes = Tensors.of(new float[] {0, 0, 10, 10, 0, 0, 10, 10, 1, 1, 10, 10}, 3, 4);
            Tensor scores = Tensors.of(new float[] {0.5f, 0.9f, 0.7f}, 3);
            Tensor groups = HostArrays.longs(new long[] {0, 1, 1}, 3, null);
            assertArrayEquals(new long[] {1, 0}, HostArrays.toLongs(Nms.batchedNms(boxes, scores, groups, 0.5)));
        }
    }

    @Test
    void emptyInputsAndBadShapes() {
        try (MemoryScope s = MemoryScope.open()) {
            assertArrayEquals(new long[] {0}, Nms.nms(Tensors.zeros(0, 4), Tensors.zeros(0), 0.5).shape());
            assertArrayEquals(new long[] {0}, Nms.batchedNms(Tensors.zeros(0, 4), Tensors.zeros(0), HostArrays.longs(new long[0], 0, null), 0.5).shape());
            assertThrows(IllegalArgumentException.class, () -> Nms.nms(Tensors.zeros(3, 4), Tensors.zeros(2), 0.5));
            assertThrows(IllegalArgumentException.class,
                    () -> Nms.batchedNms(Tensors.zeros(3, 4), Tensors.zeros(3), Tensors.zeros(2), 0.5));
            assertThrows(IllegalArgumentException.class, () -> Nms.nms(Tensors.zeros(3, 4), Tensors.zeros(3), -0.1));
        }
    }
}
