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

    /**
     * The legacy loop's discriminator objective (tools/train_cycle.py): the fake term with weight
     * 1, then (real term + lambdaGp * r1) / 2 * lambdaD; the fake term is not halved nor weighted
     * there (the release's asymmetry, kept). {@code r1} is null when the loop's GP gate is off.
     */
    public Tensor releaseDiscriminator(Tensor fakeScores, Tensor realScores, double lambdaD, Tensor r1, double lambdaGp) {
        Tensor real = loss(realScores, true);
        if (r1 != null) {
            real = real.add(r1.mul(F.scalar(lambdaGp)));
        }
        return loss(fakeScores, false).add(real.mul(F.scalar(lambdaD / 2)));
    }
}
