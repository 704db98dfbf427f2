package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
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
        AdamOptions options = new AdamOptions(2e-3);
        // CycleGAN's (0.5, 0.999); libstdc++ lays std::tuple out last element first, so index 0 is beta2
        assertEquals(0.999, options.betas().get(0));
        assertEquals(0.9, options.betas().get(1));
        options.betas().put(1, 0.5);
        Adam adam = new Adam(new TensorVector(g.parameters().toArray(new Tensor[0])), options);

        double first = 0;
        double last = 0;
        for (int step = 0; step < STEPS; step++) {
            try (MemoryScope s = MemoryScope.open()) {
                adam.zero_grad();
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
