package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** Box2BoxTransform with the box head's weights (10, 10, 5, 5); references from Detectron2's formulas in torch. */
class BoxCoderTest {
    private final BoxCoder coder = new BoxCoder(10, 10, 5, 5);

    @Test
    void encodeAndDecodeMatchTheReference() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor src = DetectionFixtures.get("coder.src");
            Tensor dst = DetectionFixtures.get("coder.dst");
            DetectionFixtures.assertClose(DetectionFixtures.get("coder.deltas"), coder.encode(src, dst), 1e-5, "encode");
            Tensor decoded = coder.decode(DetectionFixtures.get("coder.apply_deltas"), src);
            DetectionFixtures.assertClose(DetectionFixtures.get("coder.applied"), decoded, 1e-3, "decode (two classes, clamped)");
        }
    }

    @Test
    void decodeInvertsEncode() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor src = DetectionFixtures.get("coder.src");
            Tensor dst = DetectionFixtures.get("coder.dst");
            DetectionFixtures.assertClose(dst, coder.decode(coder.encode(src, dst), src), 1e-4, "round trip");
        }
    }

    @Test
    void scaleIsClampedAtLog1000Over16() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor box = Tensors.of(new float[] {0, 0, 16, 8}, 1, 4);
            Tensor deltas = Tensors.of(new float[] {0, 0, 100, -5}, 1, 4);
            float[] out = Tensors.toFloats(coder.decode(deltas, box));
            assertEquals(1000.0, out[2] - out[0], 1e-2, "width 16 grows to at most 1000");
            assertEquals(16.0, out[0] + out[2], 1e-3, "centre x = 8 kept");
            assertEquals(8.0 * Math.exp(-1.0), out[3] - out[1], 1e-5, "shrinking is not clamped");
        }
    }

    @Test
    void decodesSeveralClassesPerBox() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor box = Tensors.of(new float[] {10, 20, 30, 60}, 1, 4);
            Tensor deltas = Tensors.of(new float[] {0, 0, 0, 0, 10, -10, 0, 0}, 1, 8);
            assertArrayEquals(new float[] {10, 20, 30, 60, 30, -20, 50, 20}, Tensors.toFloats(coder.decode(deltas, box)));
        }
    }

    @Test
    void emptyInputsAndBadShapes() {
        try (MemoryScope s = MemoryScope.open()) {
            assertArrayEquals(new long[] {0, 4}, coder.encode(Tensors.zeros(0, 4), Tensors.zeros(0, 4)).shape());
            assertArrayEquals(new long[] {0, 8}, coder.decode(Tensors.zeros(0, 8), Tensors.zeros(0, 4)).shape());
            assertThrows(IllegalArgumentException.class, () -> coder.decode(Tensors.zeros(2, 6), Tensors.zeros(2, 4)));
            assertThrows(IllegalArgumentException.class, () -> coder.decode(Tensors.zeros(3, 4), Tensors.zeros(2, 4)));
            assertThrows(IllegalArgumentException.class, () -> coder.encode(Tensors.zeros(2, 4), Tensors.zeros(1, 4)));
            assertThrows(IllegalArgumentException.class, () -> coder.encode(Tensors.zeros(1, 4), Tensors.ones(1, 4)));
            assertThrows(IllegalArgumentException.class, () -> new BoxCoder(1, 1, 0, 1));
        }
    }
}
