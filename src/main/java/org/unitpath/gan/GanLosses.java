package org.unitpath.gan;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/** StyleGAN2's losses: non-saturating logistic for G and D_G, and the R1 gradient penalty. */
public final class GanLosses {
    private GanLosses() {}

    /** G maximises D's logits on its images: mean softplus(-D(fake)). */
    public static Tensor generator(Tensor fakeLogits) {
        return torch.softplus(fakeLogits.neg()).mean();
    }

    /** D: mean softplus(D(fake)) + mean softplus(-D(real)). */
    public static Tensor discriminator(Tensor fakeLogits, Tensor realLogits) {
        return torch.softplus(fakeLogits).mean().add(torch.softplus(realLogits.neg()).mean());
    }

    /**
     * Per-sample R1 penalty ||d sum(D(x)) / dx||^2 on real images {@code real} (which must require
     * grad and be what the logits were computed from). The gradient graph is kept, so the penalty
     * can be back-propagated to D's weights.
     */
    public static Tensor r1Penalty(Tensor realLogits, Tensor real) {
        if (!real.requires_grad()) {
            throw new IllegalArgumentException("R1 needs the real images to require grad before D's forward pass");
        }
        TensorVector grads = torch.grad(new TensorVector(realLogits.sum()), new TensorVector(real),
                new TensorVector(), new BoolOptional(true), true, false);
        Tensor g = grads.get(0);
        return g.square().reshape(g.size(0), -1).sum(new long[] {1}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }

    /** The release's legacy-loop penalty for the PatchGAN (r1_reg): 0.5 * batch mean of the per-sample penalty. */
    public static Tensor r1Legacy(Tensor scores, Tensor real) {
        return r1Penalty(scores, real).mean().mul(F.scalar(0.5));
    }

    /** The lazy R1 term of one regularisation step: mean(penalty) * gamma / 2 * interval. */
    public static Tensor r1Loss(Tensor realLogits, Tensor real, double gamma, int interval) {
        return r1Penalty(realLogits, real).mean().mul(F.scalar(gamma / 2 * interval));
    }

    /**
     * The loss of StyleGAN2-ADA's separate {@code Dreg} phase: (0 * logits + penalty * gamma / 2),
     * batch mean, times the interval (the phase's gain). The zero term gives every parameter
     * behind the logits a defined (zero) gradient, as theirs does, so Adam's moments of those
     * parameters decay in this step too instead of being skipped.
     */
    public static Tensor r1Regularization(Tensor realLogits, Tensor real, double gamma, int interval) {
        Tensor penalty = r1Penalty(realLogits, real).mul(F.scalar(gamma / 2));
        return realLogits.reshape(realLogits.size(0), -1).mul(F.scalar(0.0)).add(penalty.unsqueeze(1)).mean()
                .mul(F.scalar((double) interval));
    }
}
