package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.PatchDiscriminator;
import org.unitpath.gan.ReplayBuffer;
import org.unitpath.optim.Adam;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * The legacy PatchGAN step against tools/train_cycle.py written out by hand: loss_fake.backward()
 * (weight 1), then ((loss_real + lambda_gp * r1) / 2 * lambda_D).backward(), with
 * r1 = 0.5 * batch mean of sum (d sum D(x) / dx)^2 when the GP gate is on.
 */
class LsganDStepTest {
    private static final double LAMBDA_D = 1.0;
    private static final double LAMBDA_GP = 2.0;

    private static PatchDiscriminator tinyD() {
        Torch.seed(8);
        PatchDiscriminator d = new PatchDiscriminator(4);
        d.to(ScalarType.Double);
        return d;
    }

    private static Tensor images(int seed) {
        Torch.seed(seed);
        return Tensors.randn(2, 3, 32, 32).to(ScalarType.Double);
    }

    /** The gradients one step leaves (Adam at learning rate 0 keeps the weights). */
    private static Map<String, Tensor> stepGradients(PatchDiscriminator d, Tensor real, Tensor fake, boolean gp, Map<String, Double> log) {
        Adam frozen = Adam.of(d.trainableParameters(), 0, 0, 0.99);
        // an empty buffer hands back the new fake itself
        new LsganDStep(d, frozen, new ReplayBuffer(50, 1), Distributed.single(), LAMBDA_D, LAMBDA_GP, gp, "loss_D_A")
                .run(real, fake, log);
        Map<String, Tensor> out = new HashMap<>();
        d.namedParameters().forEach((k, p) -> out.put(k, p.grad().clone()));
        d.trainableParameters().forEach(p -> p.mutable_grad().put(new Tensor()));
        return out;
    }

    private static Tensor mse(Tensor scores, double label) {
        return scores.sub(F.scalar(label)).square().mean();
    }

    /** The release's arithmetic, written out; {@code fakeWeight} 0.5 * lambda_D gives the old (symmetric) loss. */
    private static Tensor reference(PatchDiscriminator d, Tensor real, Tensor fake, boolean gp, double fakeWeight) {
        Tensor x = real.detach().requires_grad_(gp);
        Tensor out = d.forward(x);
        Tensor realTerm = mse(out, 1);
        if (gp) {
            Tensor g = torch.grad(new TensorVector(out.sum()), new TensorVector(x), new TensorVector(), new BoolOptional(true), true,
                    false).get(0);
            Tensor r1 = g.square().reshape(2, -1).sum(new long[] {1}, false, new ScalarTypeOptional()).mean().mul(F.scalar(0.5));
            realTerm = realTerm.add(r1.mul(F.scalar(LAMBDA_GP)));
        }
        return mse(d.forward(fake), 0).mul(F.scalar(fakeWeight)).add(realTerm.div(F.scalar(2.0)).mul(F.scalar(LAMBDA_D)));
    }

    private static double maxDiff(PatchDiscriminator d, Map<String, Tensor> grads, Tensor loss) {
        loss.backward();
        double diff = 0;
        for (Map.Entry<String, Tensor> e : d.namedParameters().entrySet()) {
            diff = Math.max(diff, Tensors.maxAbsDiff(grads.get(e.getKey()), e.getValue().grad()));
            e.getValue().mutable_grad().put(new Tensor());
        }
        return diff;
    }

    @Test
    void theFakeTermWeighsOneAndTheRealTermHalfLambda() {
        PatchDiscriminator d = tinyD();
        try (MemoryScope s = MemoryScope.open()) {
            Tensor real = images(1);
            Tensor fake = images(2);
            Map<String, Double> log = new LinkedHashMap<>();
            Map<String, Tensor> grads = stepGradients(d, real, fake, false, log);
            Tensor release = reference(d, real, fake, false, 1.0);
            assertEquals(release.item_double(), log.get("loss_D_A"), 1e-12);
            assertEquals(0, maxDiff(d, grads, release), 1e-12, "the release's weights");
            assertTrue(maxDiff(d, grads, reference(d, real, fake, false, 0.5 * LAMBDA_D)) > 1e-6,
                    "the old 0.5 * lambda * (fake + real) differs");
            assertFalse(log.containsKey("loss_D_A_gp"));
        }
    }

    @Test
    void theGpGateAddsLambdaGpTimesR1InsideTheRealHalf() {
        PatchDiscriminator d = tinyD();
        try (MemoryScope s = MemoryScope.open()) {
            Tensor real = images(3);
            Tensor fake = images(4);
            Map<String, Double> log = new LinkedHashMap<>();
            Map<String, Tensor> grads = stepGradients(d, real, fake, true, log);
            Tensor release = reference(d, real, fake, true, 1.0);
            assertEquals(release.item_double(), log.get("loss_D_A"), 1e-12);
            assertTrue(log.get("loss_D_A_gp") > 0);
            assertEquals(0, maxDiff(d, grads, release), 1e-10, "R1 weighted lambda_GP / 2 * lambda_D");
            assertTrue(maxDiff(d, grads, reference(d, real, fake, false, 1.0)) > 1e-8, "and the GP term is there");
        }
    }
}
