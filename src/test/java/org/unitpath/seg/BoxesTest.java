package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** Box geometry with Detectron2's conventions (no "+1", IoU 0 without overlap). */
class BoxesTest {
    private static Tensor boxes(float... xyxy) {
        return Tensors.of(xyxy, xyxy.length / 4, 4);
    }

    @Test
    void areaIsWidthTimesHeight() {
        try (MemoryScope s = MemoryScope.open()) {
            assertArrayEquals(new float[] {100f, 12f, 0f}, Tensors.toFloats(Boxes.area(boxes(0, 0, 10, 10, 1, 2, 4, 6, 3, 3, 3, 9))));
        }
    }

    @Test
    void pairwiseIouOfHandComputedPairs() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor a = boxes(0, 0, 10, 10, 20, 20, 30, 30);
            Tensor b = boxes(5, 5, 15, 15, 0, 0, 10, 10, 10, 0, 20, 10, 4, 4, 4, 8);
            float[] iou = Tensors.toFloats(Boxes.pairwiseIou(a, b));
            assertEquals(2 * 4, iou.length);
            assertEquals(25.0 / 175.0, iou[0], 1e-7, "half-shifted squares");
            assertEquals(1.0, iou[1], 0, "identical boxes");
            assertEquals(0.0, iou[2], 0, "touching edges do not overlap");
            assertEquals(0.0, iou[3], 0, "an empty box overlaps nothing");
            for (int j = 0; j < 4; j++) {
                assertEquals(0.0, iou[4 + j], 0, "disjoint boxes");
            }
        }
    }

    @Test
    void clipCopiesIntoTheImage() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor b = boxes(-5, -2, 30, 50, 3, 4, 5, 6);
            Tensor clipped = Boxes.clip(b, 40, 20);
            assertArrayEquals(new float[] {0, 0, 20, 40, 3, 4, 5, 6}, Tensors.toFloats(clipped));
            assertEquals(-5f, Tensors.toFloats(b)[0], "the input is unchanged");
        }
    }

    @Test
    void nonEmptyNeedsBothSidesAboveTheThreshold() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor b = boxes(0, 0, 2, 2, 0, 0, 2, 0, 0, 0, 0.5f, 3, 1, 1, 0, 3);
            assertArrayEquals(new float[] {1, 0, 1, 0}, Tensors.toFloats(Boxes.nonEmpty(b, 0.0)));
            assertArrayEquals(new float[] {1, 0, 0, 0}, Tensors.toFloats(Boxes.nonEmpty(b, 0.5)));
        }
    }

    @Test
    void emptyInputsGiveEmptyOutputs() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor none = Tensors.zeros(0, 4);
            assertArrayEquals(new long[] {0}, Boxes.area(none).shape());
            assertArrayEquals(new long[] {0, 2}, Boxes.pairwiseIou(none, boxes(0, 0, 1, 1, 0, 0, 2, 2)).shape());
            assertArrayEquals(new long[] {1, 0}, Boxes.pairwiseIou(boxes(0, 0, 1, 1), none).shape());
            assertArrayEquals(new long[] {0, 4}, Boxes.clip(none, 10, 10).shape());
            assertArrayEquals(new long[] {0}, Boxes.nonEmpty(none, 0).shape());
        }
    }

    @Test
    void rejectsNonBoxShapes() {
        try (MemoryScope s = MemoryScope.open()) {
            assertThrows(IllegalArgumentException.class, () -> Boxes.area(Tensors.zeros(3, 5)));
            assertThrows(IllegalArgumentException.class, () -> Boxes.pairwiseIou(Tensors.zeros(4), Tensors.zeros(1, 4)));
            assertThrows(IllegalArgumentException.class, () -> Boxes.clip(Tensors.zeros(1, 4), -1, 3));
        }
    }
}
