package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.optim.Adam;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** A tiny co-modulated G against a StyleGAN2 D learns a trivial target: reals are one flat colour. */
class GanTrainingTest {
    @Test
    void tinyGanLearnsAFlatColourTarget() {
        Torch.seed(11);
        StyleGanConfig cfg = new StyleGanConfig(64, 256, 16, 8, 8, 2, 0.01, true, 16, 0.0, 2, 3);
        CoModGenerator g = new CoModGenerator(cfg);
        StyleGanDiscriminator d = new StyleGanDiscriminator(cfg);
        Adam optG = Adam.of(g.parameters(), 0.004, 0.0, 0.99);
        Adam optD = Adam.of(d.parameters(), 0.004, 0.0, 0.99);
        Tensor colour = MemoryScope.keep(Tensors.of(new float[] {0.6f, -0.4f, 0.2f}, 1, 3, 1, 1));
        Tensor real = MemoryScope.keep(colour.expand(new long[] {2, 3, 64, 64}).contiguous());
        double before = distance(g, colour);
        for (int step = 0; step < 120; step++) {
            try (MemoryScope s = MemoryScope.open()) {
                Tensor mask = Tensors.randn(2, 3, 64, 64);
                Tensor fake = g.forward(mask, g.sampleZ(mask, 2));
                optD.zeroGrad();
                GanLosses.discriminator(d.forward(fake.detach()), d.forward(real)).backward();
                optD.step();
                optG.zeroGrad();
                GanLosses.generator(d.forward(fake)).backward();
                optG.step();
            }
        }
        double after = distance(g, colour);
        assertTrue(after < 0.5 * before, "mean |G(x) - target| " + before + " -> " + after);
    }

    private static double distance(CoModGenerator g, Tensor colour) {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Torch.seed(99);
            Tensor mask = Tensors.randn(8, 3, 64, 64);
            return g.forward(mask, g.sampleZ(mask, 8)).sub(colour).abs().mean().item_double();
        }
    }
}
