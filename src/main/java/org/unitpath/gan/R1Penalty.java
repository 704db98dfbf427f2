package org.unitpath.gan;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/**
 * The zero-centred gradient penalty on real images of the release's legacy loop
 * ({@code r1_reg}): 0.5 * sum of (d sum(D(x)) / dx)^2 per sample, averaged over the batch.
 * The gradient is built with {@code create_graph}, so the penalty back-propagates into D.
 */
public final class R1Penalty {
    private R1Penalty() {}

    /**
     * {@code scores} must have been computed from {@code reals}, which must require grad
     * (e.g. {@code reals.detach().requires_grad_(true)} before the forward pass).
     */
    public static Tensor of(Tensor scores, Tensor reals) {
        if (!reals.requires_grad()) {
            throw new IllegalArgumentException("R1 needs the real images to require grad before D's forward pass");
        }
        Tensor sum = scores.sum();
        Tensor grad = torch.grad(new TensorVector(sum), new TensorVector(reals),
                new TensorVector(torch.ones_like(sum)), new BoolOptional(true), true, false).get(0);
        Tensor perSample = grad.square().reshape(grad.size(0), -1).sum(new long[] {1}, false, new ScalarTypeOptional());
        return perSample.mean().mul(F.scalar(0.5));
    }
}
