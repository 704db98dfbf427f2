package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.seg.PanopticCombiner.Result;
import org.unitpath.seg.PanopticCombiner.Segment;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

class PanopticCombinerTest {
    private static final int SIDE = 128;

    /** Rectangles {x, y, w, h} as a K x SIDE x SIDE bool tensor. */
    static Tensor rectangles(int[]... rects) {
        float[] m = new float[rects.length * SIDE * SIDE];
        for (int k = 0; k < rects.length; k++) {
            int[] r = rects[k];
            for (int y = r[1]; y < r[1] + r[3]; y++) {
                for (int x = r[0]; x < r[0] + r[2]; x++) {
                    m[(k * SIDE + y) * SIDE + x] = 1;
                }
            }
        }
        return Tensors.of(m, rects.length, SIDE, SIDE).to(ScalarType.Bool);
    }

    static Instances instances(float[] scores, int[]... rects) {
        float[] boxes = new float[4 * rects.length];
        float[] classes = new float[rects.length];
        for (int k = 0; k < rects.length; k++) {
            int[] r = rects[k];
            boxes[4 * k] = r[0];
            boxes[4 * k + 1] = r[1];
            boxes[4 * k + 2] = r[0] + r[2];
            boxes[4 * k + 3] = r[1] + r[3];
            classes[k] = k == 0 ? 3 : 0;
        }
        return new Instances(Tensors.of(boxes, rects.length, 4), Tensors.of(scores, rects.length),
                Tensors.of(classes, rects.length).to(ScalarType.Long), rectangles(rects));
    }

    /**
     * Semantic map: class 0 ("things") for x < 32, class 1 for x < 80 (6144 px), class 3 for
     * x < 112 (exactly 4096 px), class 2 beyond (2048 px).
     */
    static Tensor semantic() {
        float[] s = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                s[y * SIDE + x] = x < 32 ? 0 : x < 80 ? 1 : x < 112 ? 3 : 2;
            }
        }
        return Tensors.of(s, SIDE, SIDE).to(ScalarType.Long);
    }

    private static long count(Tensor panoptic, int id) {
        return panoptic.eq(org.unitpath.torch.F.scalar((long) id)).sum().item_long();
    }

    private static Instances scene() {
        return instances(new float[] {0.9f, 0.8f, 0.7f, 0.95f, 0.4f, 0.6f, 0.55f},
                new int[] {0, 0, 20, 20},     // 0: kept whole
                new int[] {4, 0, 20, 20},     // 1: 80 % on instance 0: dropped
                new int[] {10, 10, 20, 20},   // 2: 25 % on instance 0: kept, only its free pixels
                new int[] {0, 0, 0, 0},       // 3: highest score but empty: skipped
                new int[] {60, 60, 10, 10},   // 4: below the score threshold
                new int[] {40, 100, 10, 10},  // 5: kept, on class 1
                new int[] {90, 40, 10, 10});  // 6: kept, takes class 3 below 4096 px
    }

    @Test
    void combinesLikeDetectron2() {
        try (MemoryScope s = MemoryScope.open()) {
            Result r = PanopticCombiner.detectron2Defaults().combine(scene(), semantic());
            assertEquals(List.of(
                    new Segment(1, true, 3, 0.9f, 0, 400),
                    new Segment(2, true, 0, 0.7f, 2, 300),
                    new Segment(3, true, 0, 0.6f, 5, 100),
                    new Segment(4, true, 0, 0.55f, 6, 100),
                    new Segment(5, false, 1, Float.NaN, -1, 6144 - 100)), r.segments());
            assertEquals(400, count(r.panoptic(), 1));
            assertEquals(300, count(r.panoptic(), 2));
            assertEquals(6044, count(r.panoptic(), 5));
            assertEquals(128 * 128 - 400 - 300 - 100 - 100 - 6044, count(r.panoptic(), 0));
            assertEquals(ScalarType.Int, r.panoptic().scalar_type().intern());
            assertTrue(r.panoptic().narrow(1, 60, 10).narrow(0, 60, 10).eq(org.unitpath.torch.F.scalar(5L)).all().item_bool(),
                    "the low-score instance's pixels stay stuff");
        }
    }

    @Test
    void thresholdsAreParameters() {
        try (MemoryScope s = MemoryScope.open()) {
            Result r = new PanopticCombiner(0.9, 2000, 0.3).combine(scene(), semantic());
            List<Segment> seg = r.segments();
            assertEquals(List.of(0, 1, 2, 5, 6, 4), seg.stream().filter(Segment::isThing).map(Segment::instanceId).toList());
            assertEquals(new Segment(2, true, 0, 0.8f, 1, 80), seg.get(1), "80 % overlap is allowed under 0.9: free pixels only");
            assertEquals(List.of(1L, 2L, 3L), seg.stream().filter(x -> !x.isThing()).map(Segment::categoryId).toList());
            assertFalse(seg.stream().anyMatch(x -> !x.isThing() && x.area() < 2000));
        }
    }

    @Test
    void rejectsMismatchedMaps() {
        try (MemoryScope s = MemoryScope.open()) {
            assertThrows(IllegalArgumentException.class,
                    () -> PanopticCombiner.detectron2Defaults().combine(scene(), Tensors.zeros(64, 64).to(ScalarType.Long)));
        }
    }
}
