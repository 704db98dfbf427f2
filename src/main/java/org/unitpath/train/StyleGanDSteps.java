package org.unitpath.train;

import java.util.Map;
import java.util.function.LongPredicate;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.AdaController;
import org.unitpath.gan.GanLosses;
import org.unitpath.gan.StyleGanDiscriminator;
import org.unitpath.optim.Adam;
import org.unitpath.report.PhaseMemory;
import org.unitpath.torch.MemoryScope;

/**
 * D_G's two phases as StyleGAN2-ADA runs them ({@code loss.py}, {@code training_loop.py}):
 * {@code Dmain} every iteration, the logistic loss alone on augmented fakes and reals; and, with
 * lazy R1, a separate {@code Dreg} every R1_INTERVAL iterations, the R1 penalty times the
 * interval with its own backward and optimizer step. Both use one optimizer whose learning rate
 * and betas are rescaled by interval / (interval + 1), which is right only because R1 has its
 * own step. Both report the signs of D(real) to ADA, as both report {@code Loss/signs/real}.
 */
final class StyleGanDSteps implements DgObjective {
    private final StyleGanDiscriminator d;
    private final AdaController ada;
    private final Adam opt;
    private final Distributed dist;
    private final double gamma;
    private final int interval;
    private final LongPredicate r1At;

    /** {@code r1At} says at which iterations the separate R1 phase runs. */
    StyleGanDSteps(StyleGanDiscriminator d, AdaController ada, Adam opt, Distributed dist, double gamma, int interval,
            LongPredicate r1At) {
        this.d = d;
        this.ada = ada;
        this.opt = opt;
        this.dist = dist;
        this.gamma = gamma;
        this.interval = interval;
        this.r1At = r1At;
    }

    /** G's non-saturating loss: mean softplus(-D(aug(fake))). */
    @Override
    public Tensor generatorLoss(Tensor fakeB) {
        return GanLosses.generator(d.forward(ada.augment(fakeB)));
    }

    @Override
    public void train(Tensor real, Tensor fake, long iteration, Map<String, Double> log, PhaseMemory memory) {
        memory.run("D_G", () -> main(real, fake, log));
        if (r1At.test(iteration)) {
            memory.run("D_G R1", () -> reg(real, log));
        }
    }

    /** Dmain: softplus(D(aug(fake))) + softplus(-D(aug(real))), batch means, no R1. */
    void main(Tensor real, Tensor fake, Map<String, Double> log) {
        Tensor loss;
        try (MemoryScope forward = MemoryScope.open()) {
            Tensor fakeLogits = d.forward(ada.augment(fake.detach()));
            Tensor realLogits = d.forward(ada.augment(real.detach()));
            ada.observe(realLogits.detach());
            loss = GanLosses.discriminator(fakeLogits, realLogits);
            log.put("loss_D_B", loss.item_double());
            loss = forward.moveOut(loss);
        }
        apply(loss);
    }

    /** Dreg: (gamma / 2) E||grad_x D(aug(x))||^2 times the interval, on the reals alone. */
    void reg(Tensor real, Map<String, Double> log) {
        Tensor loss;
        try (MemoryScope forward = MemoryScope.open()) {
            Tensor x = real.detach().requires_grad_(true);
            Tensor realLogits = d.forward(ada.augment(x));
            ada.observe(realLogits.detach());
            loss = GanLosses.r1Regularization(realLogits, x, gamma, interval);
            log.put("loss_D_B_r1", loss.item_double());
            loss = forward.moveOut(loss);
        }
        apply(loss);
    }

    private void apply(Tensor loss) {
        opt.zeroGrad();
        loss.backward();
        dist.averageGradients(d.trainableParameters());
        opt.step();
    }
}
