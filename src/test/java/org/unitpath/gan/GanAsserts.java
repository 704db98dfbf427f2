package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Predicate;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.Module;

/** Assertions shared by the GAN network tests. */
final class GanAsserts {
    private GanAsserts() {}

    /**
     * After a backward pass every parameter has a gradient; it is non-zero except for the
     * names {@code cancelled} accepts: biases of convolutions followed by InstanceNorm, which
     * the normalisation subtracts again, so their exact gradient is zero (rounding noise only).
     */
    static void assertGradientsReachEveryParameter(Module net, Predicate<String> cancelled) {
        double largest = 0;
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            Tensor grad = e.getValue().grad();
            assertNotNull(grad, e.getKey());
            assertTrue(grad.defined(), e.getKey() + " has no gradient");
            double max = grad.abs().max().item_double();
            assertFalse(Double.isNaN(max), e.getKey() + " gradient is NaN");
            largest = Math.max(largest, max);
        }
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            double max = e.getValue().grad().abs().max().item_double();
            if (cancelled.test(e.getKey())) {
                assertTrue(max < 1e-5 * largest, e.getKey() + " feeds an InstanceNorm, its gradient should vanish: "
                        + max + " (largest " + largest + ")");
            } else {
                assertTrue(max > 0, e.getKey() + " gradient is all zero");
            }
        }
    }

    static void assertShape(Tensor t, long... shape) {
        assertArrayEquals(shape, t.shape(), "shape");
    }

    static void assertInTanhRange(Tensor t) {
        assertTrue(t.min().item_double() >= -1.0 && t.max().item_double() <= 1.0, "output outside [-1, 1]");
        assertTrue(t.std().item_double() > 1e-3, "output is constant");
    }
}
