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

    /**
     * tools/train_cycle.py: loss_fake (weight 1) is back-propagated alone, then
     * (loss_real + r1 * lambda_gp) / 2 * lambda_D; the fake term is neither halved nor weighted.
     */
    @Test
    void releaseDiscriminatorWeighsFakeOneAndRealHalfLambda() {
        try (MemoryScope s = MemoryScope.open()) {
            LsganLoss lsgan = new LsganLoss();
            Tensor fake = Tensors.of(new float[] {0.5f, -1f}, 2).requires_grad_(true);
            Tensor real = Tensors.of(new float[] {0f, 2f}, 2).requires_grad_(true);
            Tensor r1 = Tensors.of(new float[] {3f}, 1).sum().requires_grad_(true);
            // fake: (0.25 + 1) / 2 = 0.625; real: (1 + 1) / 2 = 1
            Tensor plain = lsgan.releaseDiscriminator(fake, real, 1.0, null, 10.0);
            assertEquals(0.625 + 0.5 * 1, plain.item_double(), 1e-6, "not 0.5 * (fake + real) = 0.8125");
            plain.backward();
            assertArrayEquals(new float[] {0.5f, -1f}, Tensors.toFloats(fake.grad()), 1e-6f, "d/d fake of mean (f - 0)^2: f");
            assertArrayEquals(new float[] {-0.5f, 0.5f}, Tensors.toFloats(real.grad()), 1e-6f, "half of (r - 1)");
            Tensor gp = lsgan.releaseDiscriminator(fake, real, 2.0, r1, 0.5);
            assertEquals(0.625 + (1 + 0.5 * 3) / 2 * 2, gp.item_double(), 1e-6);
            gp.backward();
            assertEquals(0.5, r1.grad().item_double(), 1e-6, "R1 weighs lambda_GP / 2 * lambda_D");
        }
    }
}
