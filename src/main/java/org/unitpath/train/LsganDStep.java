package org.unitpath.train;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.GanLosses;
import org.unitpath.gan.LsganLoss;
import org.unitpath.gan.PatchDiscriminator;
import org.unitpath.gan.ReplayBuffer;
import org.unitpath.optim.Adam;
import org.unitpath.torch.MemoryScope;

/**
 * A PatchGAN step of the legacy loop (tools/train_cycle.py): D_S always, D_G in the ResNet /
 * U-Net ablations. LSGAN on a replay-buffer fake (weight 1) and the real batch (weight
 * lambda_D / 2), plus, when the loop's GP gate (CYCLE.GP_A / GP_B) is on, the R1 penalty
 * 0.5 E||grad_x D(x)||^2 on the reals weighted lambda_GP inside that half.
 */
final class LsganDStep {
    private final PatchDiscriminator d;
    private final Adam opt;
    private final ReplayBuffer pool;
    private final Distributed dist;
    private final double lambdaD;
    private final double lambdaGp;
    private final boolean gp;
    private final String name;
    private final LsganLoss lsgan = new LsganLoss();

    /** {@code name} is the loss's log key, e.g. loss_D_A. */
    LsganDStep(PatchDiscriminator d, Adam opt, ReplayBuffer pool, Distributed dist, double lambdaD, double lambdaGp, boolean gp,
            String name) {
        this.d = d;
        this.opt = opt;
        this.pool = pool;
        this.dist = dist;
        this.lambdaD = lambdaD;
        this.lambdaGp = lambdaGp;
        this.gp = gp;
        this.name = name;
    }

    void run(Tensor real, Tensor fake, Map<String, Double> log) {
        Tensor loss;
        try (MemoryScope forward = MemoryScope.open()) {
            Tensor x = gp ? real.detach().requires_grad_(true) : real.detach();
            Tensor realScores = d.forward(x);
            Tensor fakeScores = d.forward(pool.pushAndPop(fake.detach()));
            Tensor r1 = gp ? GanLosses.r1Legacy(realScores, x) : null;
            loss = lsgan.releaseDiscriminator(fakeScores, realScores, lambdaD, r1, lambdaGp);
            log.put(name, loss.item_double());
            if (r1 != null) {
                log.put(name + "_gp", r1.item_double());
            }
            loss = forward.moveOut(loss);
        }
        opt.zeroGrad();
        loss.backward();
        dist.averageGradients(d.trainableParameters());
        opt.step();
    }
}
