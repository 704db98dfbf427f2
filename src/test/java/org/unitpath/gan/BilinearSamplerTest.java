package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** The gather-based sampler equals libtorch's grid sampler, and R1 back-propagates through the whole pipe. */
class BilinearSamplerTest {
    private static final long BILINEAR = 0;
    private static final long ZEROS = 0;

    private static Tensor gradOf(Tensor out, Tensor wrt, boolean createGraph) {
        TensorVector g = torch.grad(new TensorVector(out), new TensorVector(wrt),
                new TensorVector(torch.ones_like(out)), new BoolOptional(createGraph), createGraph, false);
        return g.get(0);
    }

    @Test
    void equalsNativeGridSamplerInValueAndInputGradient() {
        Torch.seed(11);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor input = Tensors.randn(2, 3, 9, 11).requires_grad_(true);
            // points up to 30% beyond the edges, so some corners and whole samples fall outside
            Tensor grid = torch.rand(new long[] {2, 7, 5, 2}, new TensorOptions(ScalarType.Float))
                    .mul(F.scalar(2.6)).sub(F.scalar(1.3));
            Tensor weights = Tensors.randn(2, 3, 7, 5);
            Tensor ours = BilinearSampler.sample(input, grid);
            Tensor native_ = torch.grid_sampler(input, grid, BILINEAR, ZEROS, false);
            assertEquals(0, Tensors.maxAbsDiff(ours, native_), 1e-5);
            Tensor gOurs = gradOf(ours.mul(weights).sum(), input, false);
            Tensor gNative = gradOf(native_.mul(weights).sum(), input, false);
            assertEquals(0, Tensors.maxAbsDiff(gOurs, gNative), 1e-5);
            assertTrue(gNative.abs().sum().item_double() > 1, "the test grid must touch the input");
            Tensor far = Tensors.zeros(2, 1, 1, 2).add(F.scalar(5.0));
            assertEquals(0, BilinearSampler.sample(input, far).abs().max().item_double(), 0, "outside reads zeros");
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        try (MemoryScope s = MemoryScope.open()) {
            assertThrows(IllegalArgumentException.class, () -> BilinearSampler.sample(Tensors.zeros(3, 4, 4), Tensors.zeros(1, 2, 2, 2)));
            assertThrows(IllegalArgumentException.class, () -> BilinearSampler.sample(Tensors.zeros(1, 3, 4, 4), Tensors.zeros(1, 2, 2, 3)));
            assertThrows(IllegalArgumentException.class, () -> BilinearSampler.sample(Tensors.zeros(2, 3, 4, 4), Tensors.zeros(1, 2, 2, 2)));
        }
    }

    /** Tiny discriminator D(x) = Σ w2 · tanh(conv3x3(x, w1)). */
    private static Tensor discriminator(Tensor x, Tensor w1, Tensor w2) {
        Tensor h = torch.conv2d(x, w1, new TensorOptional(), new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1}, 1).tanh();
        return torch.conv2d(h, w2, new TensorOptional(), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1).sum();
    }

    /** R1 = Σ (∂ D(aug(x)) / ∂x)², with the same augmentation draw every call. */
    private static Tensor r1(AugmentPipe pipe, Tensor x, Tensor w1, Tensor w2, boolean createGraph) {
        Tensor xr = x.detach().requires_grad_(true);
        Tensor logits = discriminator(pipe.forward(xr, new SplittableRandom(5)), w1, w2);
        return gradOf(logits, xr, createGraph).square().sum();
    }

    @Test
    void r1PenaltyBackPropagatesThroughThePipeToTheWeights() {
        Torch.seed(12);
        AugmentPipe pipe = AugmentPipe.bgc(0);
        pipe.setP(1);
        TensorOptions f64 = new TensorOptions(ScalarType.Double);
        try (MemoryScope test = MemoryScope.open()) {
            Tensor w1 = torch.randn(new long[] {4, 3, 3, 3}, f64).mul(F.scalar(0.3)).requires_grad_(true);
            Tensor w2 = torch.randn(new long[] {1, 4, 1, 1}, f64).requires_grad_(true);
            Tensor x = torch.rand(new long[] {2, 3, 24, 24}, f64).mul(F.scalar(2.0)).sub(F.scalar(1.0));
            double analytic;
            try (MemoryScope s = MemoryScope.open()) {
                r1(pipe, x, w1, w2, true).backward();
                analytic = w1.grad().flatten(0, -1).select(0, 7).item_double();
                assertTrue(w2.grad().abs().sum().item_double() > 0);
            }
            double eps = 1e-5;
            double plus;
            double minus;
            try (MemoryScope s = MemoryScope.open()) {
                Tensor bump = torch.zeros_like(w1).flatten(0, -1).index_fill(0, torch.tensor(7L), F.scalar(eps)).reshape(4, 3, 3, 3);
                Tensor w1Plus;
                Tensor w1Minus;
                try (NoGrad ng = NoGrad.enter()) {
                    w1Plus = w1.add(bump);
                    w1Minus = w1.sub(bump);
                }
                plus = r1(pipe, x, w1Plus, w2, false).item_double();
                minus = r1(pipe, x, w1Minus, w2, false).item_double();
            }
            double numeric = (plus - minus) / (2 * eps);
            assertTrue(Math.abs(numeric) > 1e-3, "the checked weight must matter: " + numeric);
            assertEquals(numeric, analytic, 1e-6 * Math.max(1, Math.abs(numeric)));
        }
    }
}
