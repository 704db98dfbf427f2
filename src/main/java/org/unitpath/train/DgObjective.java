package org.unitpath.train;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.LsganLoss;
import org.unitpath.gan.PatchDiscriminator;
import org.unitpath.gan.ReplayBuffer;
import org.unitpath.gan.StyleGanDiscriminator;
import org.unitpath.optim.Adam;
import org.unitpath.report.PhaseMemory;

/**
 * How D_G judges H&E and how it trains, chosen once per run from the discriminator's kind (as
 * StyleGAN2-ADA's {@code StyleGAN2Loss} is): the StyleGAN objective (logistic, ADA, lazy R1 in its
 * own phase) or the release's legacy PatchGAN one (LSGAN on a replay buffer).
 */
interface DgObjective {
    /** G's adversarial loss on its images {@code fakeB}. */
    Tensor generatorLoss(Tensor fakeB);

    /** D_G's phases of one iteration on real and (detached) fake H&E. */
    void train(Tensor real, Tensor fake, long iteration, Map<String, Double> log, PhaseMemory memory);

    static DgObjective of(Networks nets, Adam opt, ReplayBuffer pool, Distributed dist) {
        PretrainSettings st = nets.settings;
        if (nets.dB instanceof StyleGanDiscriminator d) {
            return new StyleGanDSteps(d, nets.ada, opt, dist, st.r1Gamma(), st.r1Interval(), st::r1At);
        }
        PatchDiscriminator d = (PatchDiscriminator) nets.dB;
        return new Legacy(d, new LsganDStep(d, opt, pool, dist, st.lambdaDB(), st.lambdaGp(), st.gpB(), "loss_D_B"));
    }

    /** The release's legacy loop: LSGAN for G and D, the fakes through a replay buffer. */
    record Legacy(PatchDiscriminator d, LsganDStep step) implements DgObjective {
        private static final LsganLoss LSGAN = new LsganLoss();

        @Override
        public Tensor generatorLoss(Tensor fakeB) {
            return LSGAN.loss(d.forward(fakeB), true);
        }

        @Override
        public void train(Tensor real, Tensor fake, long iteration, Map<String, Double> log, PhaseMemory memory) {
            memory.run("D_G", () -> step.run(real, fake, log));
        }
    }
}
