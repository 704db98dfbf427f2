package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

class LsganLossTest {
    @Test
    void meanSquaredDistanceToTheLabel() {
        try (MemoryScope s = MemoryScope.open()) {
            LsganLoss lsgan = new LsganLoss();
            Tensor scores = Tensors.of(new float[] {0.5f, 1.5f, -1f, 2f}, 1, 1, 2, 2);
            assertEquals((0.25 + 0.25 + 4 + 1) / 4, lsgan.loss(scores, true).item_double(), 1e-6);
            assertEquals((0.25 + 2.25 + 1 + 4) / 4, lsgan.loss(scores, false).item_double(), 1e-6);
            assertEquals(0, lsgan.loss(scores, true).dim(), "a scalar");
            LsganLoss smoothed = new LsganLoss(0.9, 0.1);
            assertEquals((0.16 + 0.36 + 3.61 + 1.21) / 4, smoothed.loss(scores, true).item_double(), 1e-6);
        }
    }

    @Test
    void gradientPullsScoresTowardsTheLabel() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor scores = Tensors.of(new float[] {0.5f, 1.5f, -1f, 2f}, 4).requires_grad_(true);
            new LsganLoss().loss(scores, false).backward();
            assertArrayEquals(new float[] {0.25f, 0.75f, -0.5f, 1f}, Tensors.toFloats(scores.grad()), 1e-6f);
            Tensor zeros = Tensors.zeros(4).requires_grad_(true);
            new LsganLoss().loss(zeros, true).backward();
            assertArrayEquals(new float[] {-0.5f, -0.5f, -0.5f, -0.5f}, Tensors.toFloats(zeros.grad()), 1e-6f);
        }
    }
}
