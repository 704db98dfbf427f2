package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.optim.Adam;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** A discriminator that memorises a tiny fixed real set drives ADA's p up. */
class AdaOverfitTest {
    @Test
    void probabilityRisesWhenTheDiscriminatorOverfits() {
        Torch.seed(21);
        StyleGanConfig cfg = new StyleGanConfig(16, 128, 16, 8, 8, 1, 0.01, true, 16, 0.0, 4, 3);
        StyleGanDiscriminator d = new StyleGanDiscriminator(cfg);
        Adam opt = Adam.of(d.parameters(), 0.003, 0.0, 0.99);
        AdaController ada = AdaController.ada(AugmentPipe.bgc(1), 4);
        Tensor reals = MemoryScope.keep(Tensors.randn(4, 3, 16, 16).tanh());
        double firstP = -1;
        for (int step = 0; step < 200; step++) {
            try (MemoryScope s = MemoryScope.open()) {
                Tensor fakes = Tensors.randn(4, 3, 16, 16).tanh();
                Tensor realLogits = d.forward(ada.augment(reals));
                opt.zeroGrad();
                GanLosses.discriminator(d.forward(ada.augment(fakes)), realLogits).backward();
                opt.step();
                ada.observe(realLogits.detach());
                ada.step();
                if (step == 20) {
                    firstP = ada.p();
                }
            }
        }
        assertTrue(ada.p() > firstP + 10 * ada.stepSize(), "p should climb while D overfits: " + firstP + " -> " + ada.p());
        assertTrue(ada.lastSignMean() > 0.6, "D is confident on the memorised reals: mean sign " + ada.lastSignMean());
    }
}
