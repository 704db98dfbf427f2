package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/**
 * Least-squares GAN loss (the release's {@code GANLoss(use_lsgan=True)}): the mean squared
 * error between the discriminator's scores and the real label (1) or the fake label (0).
 */
public final class LsganLoss {
    public final double realLabel;
    public final double fakeLabel;

    public LsganLoss() {
        this(1.0, 0.0);
    }

    public LsganLoss(double realLabel, double fakeLabel) {
        this.realLabel = realLabel;
        this.fakeLabel = fakeLabel;
    }

    /** mean((scores - label)^2) with the label of {@code real}; a scalar tensor. */
    public Tensor loss(Tensor scores, boolean real) {
        Tensor target = torch.full_like(scores.detach(), F.scalar(real ? realLabel : fakeLabel));
        return torch.mse_loss(scores, target);
    }
}
