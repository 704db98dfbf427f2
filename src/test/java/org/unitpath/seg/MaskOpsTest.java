package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** Mask targets (crop and resize) and mask pasting, against Detectron2's definitions. */
class MaskOpsTest {
    @Test
    void cropAndResizeMatchesTorchvisionRoiAlign() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor out = MaskOps.cropAndResize(DetectionFixtures.get("crop.masks"), DetectionFixtures.get("crop.boxes"), 7);
            assertTrue(out.scalar_type().intern() == ScalarType.Float);
            DetectionFixtures.assertClose(DetectionFixtures.get("crop.out"), out, 1e-6, "crop and resize");
        }
    }

    @Test
    void cropOfASquareMask() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor mask = Tensors.zeros(1, 20, 20);
            mask.narrow(1, 5, 10).narrow(2, 5, 10).fill_(F.scalar(1.0));
            Tensor tight = MaskOps.cropAndResize(mask, Tensors.of(new float[] {5, 5, 15, 15}, 1, 4), 28);
            // the half-pixel border samples read 0.68 of the square, its four corners 0.68^2 < 0.5 (torchvision: 780 of 784)
            assertEquals(28 * 28 - 4, tight.ge(F.scalar(0.5)).sum().item_long(), "the box of the square is foreground but its corners");
            assertEquals(0.6786, Tensors.toFloats(tight)[1], 1e-4);
            assertEquals(0, Tensors.maxAbsDiff(tight.narrow(1, 1, 26).narrow(2, 1, 26), Tensors.ones(1, 26, 26)), 1e-6);
            Tensor whole = MaskOps.cropAndResize(mask, Tensors.of(new float[] {0, 0, 20, 20}, 1, 4), 28).ge(F.scalar(0.5));
            Tensor expected = Tensors.zeros(28, 28);
            expected.narrow(0, 7, 14).narrow(1, 7, 14).fill_(F.scalar(1.0));
            assertEquals(0, Tensors.maxAbsDiff(expected, whole.squeeze(0)), 0, "the square fills the middle half");
        }
    }

    @Test
    void pasteMatchesDetectron2() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor out = MaskOps.paste(DetectionFixtures.get("paste.masks"), DetectionFixtures.get("paste.boxes"), 40, 50, 0.5);
            assertTrue(out.scalar_type().intern() == ScalarType.Bool);
            assertEquals(0, Tensors.maxAbsDiff(DetectionFixtures.get("paste.out"), out), 0);
        }
    }

    @Test
    void pastingAFullMaskFillsItsBox() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor full = Tensors.ones(1, 28, 28);
            Tensor out = MaskOps.paste(full, Tensors.of(new float[] {3, 4, 17, 12}, 1, 4), 20, 30, 0.5);
            Tensor expected = Tensors.zeros(1, 20, 30);
            expected.narrow(1, 4, 8).narrow(2, 3, 14).fill_(F.scalar(1.0));
            assertEquals(0, Tensors.maxAbsDiff(expected, out), 0);
        }
    }

    @Test
    void noMasksAndBadShapes() {
        try (MemoryScope s = MemoryScope.open()) {
            assertArrayEquals(new long[] {0, 12, 9}, MaskOps.paste(Tensors.zeros(0, 28, 28), Tensors.zeros(0, 4), 12, 9, 0.5).shape());
            assertArrayEquals(new long[] {0, 28, 28}, MaskOps.cropAndResize(Tensors.zeros(0, 12, 9), Tensors.zeros(0, 4), 28).shape());
            assertThrows(IllegalArgumentException.class, () -> MaskOps.paste(Tensors.zeros(1, 28, 14), Tensors.zeros(1, 4), 8, 8, 0.5));
            assertThrows(IllegalArgumentException.class, () -> MaskOps.paste(Tensors.zeros(2, 28, 28), Tensors.zeros(1, 4), 8, 8, 0.5));
            assertThrows(IllegalArgumentException.class, () -> MaskOps.cropAndResize(Tensors.zeros(2, 8, 8), Tensors.zeros(3, 4), 28));
        }
    }
}
