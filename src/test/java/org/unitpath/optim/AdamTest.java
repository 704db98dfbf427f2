package org.unitpath.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

class AdamTest {
    private static Tensor param(float... v) {
        return MemoryScope.keep(Tensors.of(v, v.length).requires_grad_(true));
    }

    /** Three steps of torch.optim.Adam(lr=0.1, betas=(0.9, 0.999)) on f(p) = sum(p^2), computed by hand. */
    @Test
    void matchesPyTorchsUpdateRule() {
        Tensor p = param(1f, -2f);
        Adam adam = Adam.of(List.of(p), 0.1, 0.9, 0.999);
        double[] x = {1, -2};
        double[] m = new double[2];
        double[] v = new double[2];
        for (int t = 1; t <= 3; t++) {
            try (MemoryScope s = MemoryScope.open()) {
                adam.zeroGrad();
                p.square().sum().backward();
                adam.step();
            }
            for (int i = 0; i < 2; i++) {
                double g = 2 * x[i];
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double mh = m[i] / (1 - Math.pow(0.9, t));
                double vh = v[i] / (1 - Math.pow(0.999, t));
                x[i] -= 0.1 * mh / (Math.sqrt(vh) + 1e-8);
            }
        }
        float[] got = Tensors.toFloats(p);
        assertEquals(x[0], got[0], 1e-5);
        assertEquals(x[1], got[1], 1e-5);
    }

    @Test
    void lazyRegularisationRescalesLearningRateAndBetas() {
        Adam.Group g = Adam.lazy(List.of(param(1f)), 0.0025, 0.0, 0.99, 16).groups().get(0);
        assertEquals(0.0025 * 16 / 17, g.lr, 1e-12);
        assertEquals(0.0, g.beta1);
        assertEquals(Math.pow(0.99, 16.0 / 17), g.beta2, 1e-12);
    }

    @Test
    void unusedParametersAreNotMovedAndStateRoundTrips() {
        Tensor a = param(1f);
        Tensor b = param(5f);
        Adam adam = Adam.of(List.of(a, b), 0.1, 0.0, 0.99);
        try (MemoryScope s = MemoryScope.open()) {
            a.mul(F.scalar(3.0)).sum().backward();
            adam.step();
        }
        assertEquals(5f, Tensors.toFloats(b)[0], "b had no gradient");
        adam.zeroGrad();
        assertFalse(a.grad().defined());
        Map<String, Object> state = adam.stateDict();
        assertEquals(1L, state.get("0.0.step"));

        Tensor a2 = param(Tensors.toFloats(a));
        Adam resumed = Adam.of(List.of(a2, param(5f)), 0.5, 0.0, 0.99);
        resumed.loadStateDict(state);
        assertEquals(0.1, resumed.groups().get(0).lr);
        for (Adam opt : new Adam[] {adam, resumed}) {
            Tensor p = opt == adam ? a : a2;
            try (MemoryScope s = MemoryScope.open()) {
                opt.zeroGrad();
                p.mul(F.scalar(3.0)).sum().backward();
                opt.step();
            }
        }
        assertArrayEquals(Tensors.toFloats(a), Tensors.toFloats(a2), "a resumed optimizer continues identically");
    }
}
