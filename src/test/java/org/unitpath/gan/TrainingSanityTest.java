package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.optim.Adam;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** A narrow ResNet generator learns to map one fixed input to one fixed image with Adam and L1. */
class TrainingSanityTest {
    private static final int STEPS = 150;

    @Test
    void adamWithL1FitsAFixedTarget() {
        Torch.seed(5);
        ResnetGenerator g = new ResnetGenerator(8, 2);
        Tensor input = MemoryScope.keep(Tensors.randn(1, 3, 32, 32));
        // a smooth colour pattern inside the tanh range
        Tensor ramp = torch.linspace(F.scalar(-3.0), F.scalar(3.0), 32);
        Tensor target = MemoryScope.keep(torch.sin(ramp.reshape(1, 1, 32, 1).add(ramp.reshape(1, 1, 1, 32)))
                .mul(Tensors.of(new float[] {0.8f, -0.6f, 0.4f}, 1, 3, 1, 1)));
        Adam adam = Adam.of(g.parameters(), 2e-3, 0.5, 0.999);

        double first = 0;
        double last = 0;
        for (int step = 0; step < STEPS; step++) {
            try (MemoryScope s = MemoryScope.open()) {
                adam.zeroGrad();
                Tensor loss = torch.l1_loss(g.forward(input), target);
                loss.backward();
                adam.step();
                if (step == 0) {
                    first = loss.item_double();
                }
                last = loss.item_double();
            }
        }
        assertTrue(last < 0.25 * first, "L1 went from " + first + " to " + last + " in " + STEPS + " steps");
    }
}
