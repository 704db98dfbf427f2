package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.dist.Distributed;
import org.unitpath.gan.AdaController;
import org.unitpath.gan.AugmentPipe;
import org.unitpath.gan.GanLosses;
import org.unitpath.gan.StyleGanConfig;
import org.unitpath.gan.StyleGanDiscriminator;
import org.unitpath.optim.Adam;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * D_G's phases on a tiny 8x8 StyleGAN2 D in float64, without augmentation, through an Adam of
 * learning rate 0 (so the gradients a phase leaves can be read and the weights stay put): Dreg's
 * gradient is that of (gamma / 2) E||grad_x D(x)||^2 * interval, by finite differences, and
 * Dmain's is that of the logistic loss alone, also on an R1 iteration.
 */
class StyleGanDStepsTest {
    private static final double GAMMA = 3;
    private static final int INTERVAL = 4;
    private static final long[] AT = {1, 2, 1, 0};

    private static StyleGanDiscriminator tinyD() {
        Torch.seed(4);
        StyleGanDiscriminator d = new StyleGanDiscriminator(new StyleGanConfig(8, 64, 8, 4, 4, 1, 0.01, true, 8, 0.5, 2, 3));
        d.to(ScalarType.Double);
        return d;
    }

    private static StyleGanDSteps steps(StyleGanDiscriminator d) {
        AdaController noaug = AdaController.noaug(AugmentPipe.bgc(0), 2);
        Adam frozen = Adam.lazy(d.trainableParameters(), 0, 0, 0.99, INTERVAL);
        return new StyleGanDSteps(d, noaug, frozen, Distributed.single(), GAMMA, INTERVAL, i -> true);
    }

    private static Tensor images(int seed) {
        Torch.seed(seed);
        return Tensors.randn(2, 3, 8, 8).to(ScalarType.Double);
    }

    private static double element(Tensor grad) {
        return grad.select(0, AT[0]).select(0, AT[1]).select(0, AT[2]).select(0, AT[3]).item_double();
    }

    /** The reference: (gamma / 2) * mean over the batch of ||d sum D(x) / dx||^2, times the interval. */
    private static double reference(StyleGanDiscriminator d, Tensor real) {
        Tensor x = real.detach().requires_grad_(true);
        return GanLosses.r1Penalty(d.forward(x), x).mean().item_double() * GAMMA / 2 * INTERVAL;
    }

    @Test
    void theRegPhaseGradientIsTheR1PenaltyTimesTheInterval() {
        StyleGanDiscriminator d = tinyD();
        Tensor w = d.namedParameters().get("b8_conv0.weight");
        try (MemoryScope s = MemoryScope.open()) {
            Tensor real = images(5);
            Map<String, Double> log = new LinkedHashMap<>();
            steps(d).reg(real, log);
            double analytic = element(w.grad());
            assertEquals(reference(d, real), log.get("loss_D_B_r1"), 1e-9);
            double eps = 1e-5;
            double numeric = (shifted(d, w, eps, real) - shifted(d, w, -eps, real)) / (2 * eps);
            assertEquals(numeric, analytic, 1e-5 * Math.max(1, Math.abs(numeric)), "dR1/dw: phase vs finite difference");
            assertTrue(Math.abs(analytic) > 1e-6, "a non-trivial gradient");
            // 0 * logits, as in SG2ADA: parameters R1 does not reach (D's output bias) get a defined zero gradient
            long zero = d.trainableParameters().stream().filter(p -> {
                assertTrue(p.grad().defined(), "every parameter has a gradient");
                return p.grad().abs().max().item_double() == 0;
            }).count();
            assertTrue(zero >= 1, "the output bias's gradient is zero");
        }
    }

    private static double shifted(StyleGanDiscriminator d, Tensor w, double delta, Tensor real) {
        Tensor e;
        try (NoGrad ng = NoGrad.enter()) {
            e = w.select(0, AT[0]).select(0, AT[1]).select(0, AT[2]).select(0, AT[3]);
            e.add_(F.scalar(delta));
        }
        double v = reference(d, real);
        try (NoGrad ng = NoGrad.enter()) {
            e.sub_(F.scalar(delta));
        }
        return v;
    }

    @Test
    void theMainPhaseHoldsTheLogisticLossAloneWithoutR1() {
        StyleGanDiscriminator d = tinyD();
        try (MemoryScope s = MemoryScope.open()) {
            Tensor real = images(6);
            Tensor fake = images(7);
            Map<String, Double> log = new LinkedHashMap<>();
            steps(d).main(real, fake, log);
            Map<String, Tensor> phase = new HashMap<>();
            d.namedParameters().forEach((k, p) -> phase.put(k, p.grad().clone()));
            for (Tensor p : d.trainableParameters()) {
                p.mutable_grad().put(new Tensor());
            }
            Tensor logistic = GanLosses.discriminator(d.forward(fake), d.forward(real));
            assertEquals(logistic.item_double(), log.get("loss_D_B"), 1e-12);
            logistic.backward();
            double withR1 = 0;
            for (Map.Entry<String, Tensor> e : d.namedParameters().entrySet()) {
                assertEquals(0, Tensors.maxAbsDiff(phase.get(e.getKey()), e.getValue().grad()), 1e-12, e.getKey());
            }
            Tensor x = real.detach().requires_grad_(true);
            GanLosses.r1Loss(d.forward(x), x, GAMMA, INTERVAL).backward();
            for (Map.Entry<String, Tensor> e : d.namedParameters().entrySet()) {
                withR1 = Math.max(withR1, Tensors.maxAbsDiff(phase.get(e.getKey()), e.getValue().grad()));
            }
            assertTrue(withR1 > 1e-6, "adding R1 would change the gradient, so the check above can tell");
            assertTrue(!log.containsKey("loss_D_B_r1"));
        }
    }

    /** The loop runs Dreg on R1 iterations only, and Dmain (without R1) on every one. */
    @Test
    void theScheduleRegularisesEveryIntervalInItsOwnPhase() throws Exception {
        PretrainSettings st = PretrainFixtures.settings(List.of("STYLEGAN.R1_INTERVAL", "4", "STYLEGAN.R1_GAMMA", "1.0"));
        assertTrue(st.r1At(0) && !st.r1At(1) && !st.r1At(3) && st.r1At(4) && st.r1At(16));
        PretrainSettings off = PretrainFixtures.settings(List.of("STYLEGAN.R1_GAMMA", "0"));
        assertTrue(!off.r1At(0) && !off.lazyR1());
    }
}
