package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * Path length on a linear "generator" img = s * (ws A), whose Jacobian is known: lengths,
 * running mean, penalty, and the double-backward gradient against finite differences.
 */
class PathLengthRegularizerTest {
    private static final long N = 3;
    private static final long L = 4;
    private static final long W = 5;
    private static final long SIDE = 4;

    private static Tensor matrix() {
        Torch.seed(11);
        return Tensors.randn(L * W, 3 * SIDE * SIDE).to(ScalarType.Double);
    }

    private static Tensor ws() {
        Torch.seed(12);
        return Tensors.randn(N, L, W).to(ScalarType.Double);
    }

    private static Tensor number(double v) {
        return torch.full(new long[] {}, F.scalar(v), new TensorOptions(ScalarType.Double));
    }

    private static Tensor image(Tensor ws, Tensor a, Tensor s) {
        return ws.reshape(N, L * W).matmul(a).mul(s).reshape(N, 3, SIDE, SIDE);
    }

    /** The penalty with pl_mean starting at 0 and the noise of seed 13. */
    private static double lossAt(PathLengthRegularizer pl, Tensor a, double scale) {
        pl.restore(0);
        Tensor ws = ws().requires_grad_(true);
        Torch.seed(13);
        return pl.loss(image(ws, a, number(scale)), ws, 4).item_double();
    }

    @Test
    void lengthsMeanAndPenaltyFollowStyleGan2Ada() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor a = matrix();
            PathLengthRegularizer pl = new PathLengthRegularizer(2);
            pl.to(ScalarType.Double);
            Tensor ws = ws().requires_grad_(true);
            Torch.seed(13);
            double loss = pl.loss(image(ws, a, number(1.5)), ws, 4).item_double();
            // independently: J^T y = 1.5 * A y, reshaped to L x W per sample
            Torch.seed(13);
            Tensor y = torch.randn(new long[] {N, 3, SIDE, SIDE}, new TensorOptions(ScalarType.Double)).div(F.scalar((double) SIDE));
            Tensor jty = y.reshape(N, 3 * SIDE * SIDE).matmul(a.t()).mul(F.scalar(1.5)).reshape(N, L, W);
            ScalarTypeOptional none = new ScalarTypeOptional();
            Tensor lengths = jty.square().sum(new long[] {2}, false, none).mean(new long[] {1}, false, none).sqrt();
            double mean = 0.01 * lengths.mean().item_double();
            assertEquals(mean, pl.mean(), 1e-9 * mean, "pl_mean moves 0.01 of the way to the batch mean");
            double penalty = lengths.sub(F.scalar(mean)).square().mean().item_double() * 2 * 4;
            assertEquals(penalty, loss, 1e-9 * penalty, "(length - pl_mean)^2 * weight, batch mean, times the interval");
        }
    }

    @Test
    void gradientThroughTheJacobianMatchesFiniteDifferences() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor a = matrix();
            PathLengthRegularizer pl = new PathLengthRegularizer(2);
            pl.to(ScalarType.Double);
            Tensor scale = number(1.5).requires_grad_(true);
            pl.restore(0);
            Tensor ws = ws().requires_grad_(true);
            Torch.seed(13);
            pl.loss(image(ws, a, scale), ws, 4).backward();
            double analytic = scale.grad().item_double();
            double eps = 1e-6;
            double numeric = (lossAt(pl, a, 1.5 + eps) - lossAt(pl, a, 1.5 - eps)) / (2 * eps);
            assertEquals(numeric, analytic, 1e-6 * Math.abs(numeric), "d penalty / d scale");
        }
    }

    @Test
    void theRunningMeanUsesTheMeanOverProcesses() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor a = matrix();
            PathLengthRegularizer alone = new PathLengthRegularizer(2);
            PathLengthRegularizer shared = new PathLengthRegularizer(2);
            alone.to(ScalarType.Double);
            shared.to(ScalarType.Double);
            Tensor ws = ws().requires_grad_(true);
            Torch.seed(13);
            alone.loss(image(ws, a, number(1.0)), ws, 1);
            double local = alone.mean() / 0.01;
            Torch.seed(13);
            shared.loss(image(ws, a, number(1.0)), ws, 1, v -> v + 10);
            assertEquals(0.01 * (local + 10), shared.mean(), 1e-9, "another process's lengths moved the shared mean");
            assertThrows(IllegalArgumentException.class, () -> new PathLengthRegularizer(-1));
        }
    }
}
