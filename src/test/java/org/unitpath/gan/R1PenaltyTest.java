package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

class R1PenaltyTest {
    @Test
    void halfTheSquaredInputGradientPerSampleAveragedOverTheBatch() {
        Torch.seed(1);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor w = Tensors.randn(1, 3, 8, 8);
            Tensor x = Tensors.randn(4, 3, 8, 8).requires_grad_(true);
            // a linear critic: d sum(D) / dx = w for every sample
            Tensor scores = x.mul(w).sum(new long[] {1, 2, 3}, false, new ScalarTypeOptional());
            double expected = 0.5 * w.square().sum().item_double();
            assertEquals(expected, GanLosses.r1Legacy(scores, x).item_double(), 1e-4 * expected);
        }
    }

    @Test
    void backPropagatesIntoTheDiscriminator() {
        Torch.seed(2);
        PatchDiscriminator d = new PatchDiscriminator(4);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensors.randn(2, 3, 64, 64).requires_grad_(true);
            Tensor r1 = GanLosses.r1Legacy(d.forward(x), x);
            assertTrue(r1.item_double() > 0);
            r1.backward();
            Tensor g = d.namedParameters().get("down.1.weight").grad();
            assertTrue(g.defined() && g.abs().max().item_double() > 0, "second-order gradient reaches D");
        }
    }

    @Test
    void needsRealImagesThatRequireGrad() {
        PatchDiscriminator d = new PatchDiscriminator(4);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensors.randn(1, 3, 64, 64);
            assertThrows(IllegalArgumentException.class, () -> GanLosses.r1Legacy(d.forward(x), x));
        }
    }
}
