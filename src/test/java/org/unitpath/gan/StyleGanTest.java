package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

class StyleGanTest {
    /** 64x64 with narrow widths: channels 32 at 4..16, 16 at 32, 8 at 64. */
    static StyleGanConfig tiny(int res) {
        return new StyleGanConfig(res, 512, 32, 16, 16, 2, 0.01, true, 32, 0.5, 2, 3);
    }

    @Test
    void shapesForEveryConfiguration() {
        Torch.seed(1);
        for (StyleGanConfig cfg : new StyleGanConfig[] {tiny(64), tiny(128), tiny(64).withConditioning(false, 4),
                tiny(64).withConditioning(true, 0), tiny(64).withConditioning(true, 64)}) {
            CoModGenerator g = new CoModGenerator(cfg);
            StyleGanDiscriminator d = new StyleGanDiscriminator(cfg);
            try (MemoryScope s = MemoryScope.open()) {
                Tensor mask = Tensors.randn(2, 3, cfg.resolution(), cfg.resolution());
                Tensor img = g.forward(mask, g.sampleZ(mask, 2));
                assertArrayEquals(new long[] {2, 3, cfg.resolution(), cfg.resolution()}, img.shape());
                assertArrayEquals(new long[] {2, 1}, d.forward(img).shape());
                g.eval();
                assertArrayEquals(img.shape(), g.sample(mask, g.sampleZ(mask, 2), 0.7).shape());
            }
        }
        assertEquals(14, StyleGanConfig.paper256().numWs());
        assertEquals(1024, StyleGanConfig.paper256().globalDim());
        assertEquals(64, StyleGanConfig.paper256().channels(256));
        assertThrows(IllegalArgumentException.class, () -> tiny(48));
    }

    @Test
    void gradientsReachEveryParameter() {
        Torch.seed(2);
        StyleGanConfig cfg = tiny(64);
        CoModGenerator g = new CoModGenerator(cfg);
        StyleGanDiscriminator d = new StyleGanDiscriminator(cfg);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor mask = Tensors.randn(2, 3, 64, 64);
            Tensor fake = g.forward(mask, g.sampleZ(mask, 2));
            GanLosses.generator(d.forward(fake)).backward();
            for (Map.Entry<String, Tensor> e : g.namedParameters().entrySet()) {
                Tensor grad = e.getValue().grad();
                assertTrue(grad.defined() && grad.abs().sum().item_double() > 0, "no gradient for G." + e.getKey());
            }
            Tensor real = Tensors.randn(2, 3, 64, 64);
            GanLosses.discriminator(d.forward(fake.detach()), d.forward(real)).backward();
            for (Map.Entry<String, Tensor> e : d.namedParameters().entrySet()) {
                assertTrue(e.getValue().grad().abs().sum().item_double() > 0, "no gradient for D." + e.getKey());
            }
        }
    }

    @Test
    void modulatedConvolutionEqualsAPerSampleReference() {
        Torch.seed(3);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor x = Tensors.randn(3, 4, 8, 8);
            Tensor weight = Tensors.randn(5, 4, 3, 3);
            Tensor styles = Tensors.randn(3, 4);
            for (boolean up : new boolean[] {false, true}) {
                for (boolean demod : new boolean[] {false, true}) {
                    Tensor fused = ModulatedConv.apply(x, weight, styles, demod, up, true);
                    Tensor unfused = ModulatedConv.apply(x, weight, styles, demod, up, false);
                    for (int n = 0; n < 3; n++) {
                        Tensor w = weight.mul(styles.select(0, n).reshape(1, 4, 1, 1));
                        if (demod) {
                            w = w.mul(w.square().sum(new long[] {1, 2, 3}, true, new org.bytedeco.pytorch.ScalarTypeOptional())
                                    .add(F.scalar(1e-8)).rsqrt());
                        }
                        Tensor xn = x.narrow(0, n, 1);
                        Tensor ref = up
                                ? F.conv2d(Upfirdn2d.upfirdn2d(xn, Upfirdn2d.BINOMIAL, 2, 1, 3, 2, 3, 2, false, 4),
                                        w.flip(new long[] {2, 3}), null, 1, 0, 1, 1)
                                : F.conv2d(xn, w, null, 1, 1, 1, 1);
                        assertTrue(Tensors.maxAbsDiff(ref, fused.narrow(0, n, 1)) < 1e-4, "fused up=" + up + " demod=" + demod);
                        assertTrue(Tensors.maxAbsDiff(ref, unfused.narrow(0, n, 1)) < 1e-4, "unfused up=" + up + " demod=" + demod);
                    }
                    assertEquals(up ? 16 : 8, fused.size(2));
                }
            }
        }
    }

    @Test
    void firResamplingKeepsConstantsAndSizes() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor ones = Tensors.ones(1, 2, 8, 8);
            Tensor up = Upfirdn2d.upsample2d(ones, Upfirdn2d.BINOMIAL, 2, 0, false, 1);
            assertArrayEquals(new long[] {1, 2, 16, 16}, up.shape());
            assertEquals(1.0, up.narrow(2, 2, 12).narrow(3, 2, 12).min().item_double(), 1e-6);
            assertEquals(1.0, up.narrow(2, 2, 12).narrow(3, 2, 12).max().item_double(), 1e-6);
            Tensor down = Upfirdn2d.downsample2d(ones, Upfirdn2d.BINOMIAL, 2, 0, false, 1);
            assertArrayEquals(new long[] {1, 2, 4, 4}, down.shape());
            assertEquals(1.0, down.narrow(2, 1, 2).narrow(3, 1, 2).mean().item_double(), 1e-6);
        }
    }

    @Test
    void r1PenaltyGradientMatchesFiniteDifferences() {
        Torch.seed(4);
        StyleGanConfig cfg = new StyleGanConfig(8, 64, 8, 4, 4, 1, 0.01, true, 8, 0.5, 2, 3);
        StyleGanDiscriminator d = new StyleGanDiscriminator(cfg);
        d.to(ScalarType.Double);
        Tensor real = Tensors.randn(2, 3, 8, 8).to(ScalarType.Double);
        Tensor w = d.namedParameters().get("b8_conv0.weight");
        long[] at = {1, 2, 1, 0};
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = real.detach().requires_grad_(true);
            GanLosses.r1Penalty(d.forward(x), x).sum().backward();
            double analytic = w.grad().index_select(0, Tensors.of(new float[] {at[0]}, 1).to(ScalarType.Long))
                    .reshape(-1).get(at[1] * 9 + at[2] * 3 + at[3]).item_double();
            double eps = 1e-5;
            double plus = penaltyWith(d, w, at, eps, real);
            double minus = penaltyWith(d, w, at, -eps, real);
            double numeric = (plus - minus) / (2 * eps);
            assertEquals(numeric, analytic, 1e-5 * Math.max(1, Math.abs(numeric)), "dR1/dw: analytic vs finite difference");
            assertTrue(Math.abs(analytic) > 1e-8, "a non-trivial gradient");
        }
    }

    private static double penaltyWith(StyleGanDiscriminator d, Tensor w, long[] at, double delta, Tensor real) {
        Tensor element;
        try (NoGrad ng = NoGrad.enter()) {
            element = w.select(0, at[0]).select(0, at[1]).select(0, at[2]).select(0, at[3]);
            element.add_(F.scalar(delta));
        }
        Tensor x = real.detach().requires_grad_(true);
        double v = GanLosses.r1Penalty(d.forward(x), x).sum().item_double();
        try (NoGrad ng = NoGrad.enter()) {
            element.sub_(F.scalar(delta));
        }
        return v;
    }

    @Test
    void emaFollowsTheGeneratorWithTheHalfLife() {
        Torch.seed(5);
        StyleGanConfig cfg = tiny(64);
        CoModGenerator g = new CoModGenerator(cfg);
        Ema ema = new Ema(g, new CoModGenerator(cfg), 4);
        Tensor p = g.namedParameters().get("synthesis.b4_conv1.bias");
        try (NoGrad ng = NoGrad.enter()) {
            p.add_(F.scalar(1.0));
        }
        ema.update(4);
        Tensor e = ema.average().namedParameters().get("synthesis.b4_conv1.bias");
        assertEquals(0.5, e.sub(p).add(F.scalar(1.0)).mean().item_double(), 1e-6, "half-life 4 images, batch 4: halfway");
        assertTrue(!e.requires_grad());
        assertTrue(torch.equal(ema.average().namedBuffers().get("mapping.w_avg"), g.namedBuffers().get("mapping.w_avg")));
    }
}
