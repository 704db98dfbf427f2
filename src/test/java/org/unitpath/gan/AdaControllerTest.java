package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** ADA's p heuristic: direction, step size, interval, clipping, and the fixed / noaug modes. */
class AdaControllerTest {
    private static final int BATCH = 8;

    /** One iteration with D(real) = {@code logit} for every image. */
    private static boolean iteration(AdaController ada, double logit) {
        try (MemoryScope s = MemoryScope.open()) {
            ada.observe(Tensors.ones(BATCH, 1).mul(F.scalar(logit)));
        }
        return ada.step();
    }

    @Test
    void confidentDiscriminatorRaisesPByOneStepEveryInterval() {
        AdaController ada = AdaController.ada(AugmentPipe.bgc(0), BATCH);
        double step = BATCH * 4 / (500 * 1000.0);
        assertEquals(step, ada.stepSize(), 1e-15);
        for (int update = 1; update <= 3; update++) {
            for (int i = 1; i <= 3; i++) {
                assertFalse(iteration(ada, 2.5), "no update before the 4th iteration");
            }
            assertEquals((update - 1) * step, ada.p(), 1e-9);
            assertTrue(iteration(ada, 2.5));
            assertEquals(update * step, ada.p(), 1e-9);
            assertEquals(1.0, ada.lastSignMean());
        }
    }

    @Test
    void uncertainDiscriminatorLowersPAndClipsAtZero() {
        AugmentPipe pipe = AugmentPipe.bgc(0);
        pipe.setP(1.5e-4);
        AdaController ada = AdaController.ada(pipe, BATCH);
        double step = ada.stepSize();
        for (int i = 0; i < 4; i++) {
            iteration(ada, -0.3);
        }
        assertEquals(1.5e-4 - step, ada.p(), 1e-9);
        for (int i = 0; i < 4; i++) {
            iteration(ada, -0.3);
        }
        assertEquals(1.5e-4 - 2 * step, ada.p(), 1e-9);
        for (int i = 0; i < 8; i++) {
            iteration(ada, -0.3);
        }
        assertEquals(0, ada.p(), "p is clipped at 0");
    }

    @Test
    void theMeanSignOverTheIntervalDecides() {
        AdaController ada = new AdaController(AdaController.Mode.ADA, AugmentPipe.bgc(0), 4, 0.6, 2, 100);
        // 3 of 4 logits positive: mean sign 0.5 < 0.6 -> down (from 0, stays 0)
        ada.observe(2, 4);
        ada.step();
        ada.step();
        assertEquals(0, ada.p());
        assertEquals(0.5, ada.lastSignMean(), 1e-12);
        // over two iterations 7 of 8 positive: 0.75 > 0.6 -> up by 4 * 2 / 100000
        ada.observe(4, 4);
        ada.step();
        ada.observe(2, 4);
        ada.step();
        assertEquals(8e-5, ada.p(), 1e-9);
        // an interval without observations leaves p alone
        ada.step();
        assertFalse(ada.step());
        assertEquals(8e-5, ada.p(), 1e-9);
    }

    /**
     * Two processes simulated in one: each step's reducer adds the other process's signs. This
     * process alone is confident (all positive) but the other is not, so p goes down, and the
     * pending sums a checkpoint holds already include both.
     */
    @Test
    void theSignsOfEveryProcessDecideThroughTheReducer() {
        AdaController ada = new AdaController(AdaController.Mode.ADA, AugmentPipe.bgc(0), 8, 0.6, 2, 100);
        ada.pipe().setP(0.5);
        double[] otherRank = {-4, 4};
        java.util.function.UnaryOperator<double[]> allReduce = v -> new double[] {v[0] + otherRank[0], v[1] + otherRank[1]};
        ada.observe(4, 4);
        assertFalse(ada.step(allReduce));
        assertArrayEquals(new double[] {0, 8, 1}, ada.state(), "the pending sums are over both processes");
        ada.observe(4, 4);
        assertTrue(ada.step(allReduce));
        assertEquals(0, ada.lastSignMean(), 1e-12, "(4 + 4 - 4 - 4) / 16");
        assertEquals(0.5 - 8 * 2 / 100000.0, ada.p(), 1e-7, "down, although this process alone would have raised p");
        AdaController alone = new AdaController(AdaController.Mode.ADA, AugmentPipe.bgc(0), 8, 0.6, 2, 100);
        alone.pipe().setP(0.5);
        alone.observe(4, 4);
        alone.step();
        alone.observe(4, 4);
        alone.step();
        assertTrue(alone.p() > 0.5, "the old per-process p");
    }

    @Test
    void aRestoredStateContinuesTheInterval() {
        AdaController ada = new AdaController(AdaController.Mode.ADA, AugmentPipe.bgc(0), 4, 0.6, 2, 100);
        ada.observe(4, 4);
        ada.step();
        AdaController resumed = new AdaController(AdaController.Mode.ADA, AugmentPipe.bgc(0), 4, 0.6, 2, 100);
        resumed.restore(ada.state());
        resumed.observe(2, 4);
        assertTrue(resumed.step());
        assertEquals(0.75, resumed.lastSignMean(), 1e-12, "both iterations of the interval count");
    }

    @Test
    void noaugNeverAugmentsAndKeepsPAtZero() {
        AugmentPipe pipe = AugmentPipe.bgc(0);
        pipe.setP(0.3);
        AdaController ada = AdaController.noaug(pipe, BATCH);
        for (int i = 0; i < 12; i++) {
            assertFalse(iteration(ada, 1.0));
        }
        assertEquals(0, ada.p());
        assertEquals(0, pipe.p());
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensors.randn(2, 3, 8, 8);
            assertSame(x, ada.augment(x));
        }
    }

    @Test
    void fixedKeepsItsP() {
        AdaController ada = AdaController.fixed(AugmentPipe.bgc(0), 0.2, BATCH);
        for (int i = 0; i < 12; i++) {
            assertFalse(iteration(ada, 1.0));
        }
        assertEquals(0.2, ada.p(), 1e-7);
    }

    @Test
    void rejectsBadSettings() {
        AugmentPipe pipe = AugmentPipe.bgc(0);
        assertThrows(IllegalArgumentException.class, () -> AdaController.ada(pipe, 0));
        assertThrows(IllegalArgumentException.class, () -> AdaController.ada(null, 8));
        assertThrows(IllegalArgumentException.class, () -> AdaController.fixed(pipe, 1.5, 8));
        assertThrows(IllegalArgumentException.class, () -> new AdaController(AdaController.Mode.ADA, pipe, 8, 1.2, 4, 500));
        assertThrows(IllegalArgumentException.class, () -> new AdaController(AdaController.Mode.ADA, pipe, 8, 0.6, 0, 500));
        assertThrows(IllegalArgumentException.class, () -> new AdaController(AdaController.Mode.ADA, pipe, 8, 0.6, 4, 0));
        AdaController ada = AdaController.ada(pipe, 8);
        assertThrows(IllegalArgumentException.class, () -> ada.observe(5, 4));
    }
}
