package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.gan.AugmentSpec.Augmentation;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** The colour matrices on known colours, and their application to images. */
class ColorTransformTest {
    private static final double EPS = 1e-12;

    private static double[] apply(double[][] c, double r, double g, double b) {
        double[] in = {r, g, b, 1};
        double[] out = new double[4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                out[i] += c[i][j] * in[j];
            }
        }
        return new double[] {out[0], out[1], out[2]};
    }

    @Test
    void brightnessAddsAndContrastScales() {
        assertArrayEquals(new double[] {0.5, -0.1, 0.9}, apply(Homogeneous.translate3d(0.2, 0.2, 0.2), 0.3, -0.3, 0.7), EPS);
        assertArrayEquals(new double[] {0.6, -0.6, 1.4}, apply(Homogeneous.scale3d(2, 2, 2), 0.3, -0.3, 0.7), EPS);
    }

    @Test
    void lumaFlipNegatesGreysAndKeepsChroma() {
        double[][] flip = Homogeneous.lumaFlip();
        assertArrayEquals(new double[] {-0.4, -0.4, -0.4}, apply(flip, 0.4, 0.4, 0.4), EPS);
        assertArrayEquals(new double[] {0.5, -0.5, 0}, apply(flip, 0.5, -0.5, 0), EPS);
        // (0.6, 0.2, 0.1): grey part 0.3 flips to -0.3, chroma (0.3, -0.1, -0.2) stays
        assertArrayEquals(new double[] {0.0, -0.4, -0.5}, apply(flip, 0.6, 0.2, 0.1), EPS);
    }

    @Test
    void hueRotationByAThirdTurnPermutesTheChannelsAndKeepsGreys() {
        double[][] hue = Homogeneous.rotate3d(Homogeneous.LUMA_AXIS, 2 * Math.PI / 3);
        assertArrayEquals(new double[] {0, 1, 0}, apply(hue, 1, 0, 0), EPS);
        assertArrayEquals(new double[] {0, 0, 1}, apply(hue, 0, 1, 0), EPS);
        assertArrayEquals(new double[] {-0.2, 0.7, 0.3}, apply(hue, 0.7, 0.3, -0.2), EPS);
        assertArrayEquals(new double[] {-0.25, -0.25, -0.25}, apply(Homogeneous.rotate3d(Homogeneous.LUMA_AXIS, 1.234), -0.25, -0.25, -0.25), EPS);
    }

    @Test
    void saturationScalesTheDistanceFromGrey() {
        assertArrayEquals(new double[] {0.3, 0.3, 0.3}, apply(Homogeneous.saturation(0), 0.6, 0.2, 0.1), EPS);
        assertArrayEquals(new double[] {0.9, 0.1, -0.1}, apply(Homogeneous.saturation(2), 0.6, 0.2, 0.1), EPS);
        assertArrayEquals(new double[] {0.2, 0.2, 0.2}, apply(Homogeneous.saturation(3.7), 0.2, 0.2, 0.2), EPS);
    }

    @Test
    void drawnMatricesKeepTheGreyAxis() {
        SplittableRandom rng = new SplittableRandom(4);
        AugmentPipe chroma = new AugmentPipe(AugmentSpec.only(Augmentation.HUE, Augmentation.SATURATION), 0);
        AugmentPipe all = AugmentPipe.bgc(0);
        double[][][] hueSat = chroma.drawColor(200, 1, rng);
        double[][][] full = all.drawColor(200, 1, rng);
        int changed = 0;
        for (int i = 0; i < 200; i++) {
            // hue and saturation fix every grey; the full pipe maps greys to (other) greys
            assertArrayEquals(new double[] {0.35, 0.35, 0.35}, apply(hueSat[i], 0.35, 0.35, 0.35), 1e-12);
            double[] g = apply(full[i], 0.35, 0.35, 0.35);
            assertEquals(g[0], g[1], 1e-12);
            assertEquals(g[0], g[2], 1e-12);
            changed += Homogeneous.isIdentity(full[i]) ? 0 : 1;
        }
        assertEquals(200, changed, "at p = 1 every sample gets a colour transform");
        for (double[][] c : all.drawColor(50, 0, rng)) {
            assertTrue(Homogeneous.isIdentity(c));
        }
    }

    @Test
    void recolorAppliesEachImagesMatrixToEveryPixel() {
        double[][][] c = {Homogeneous.mul(Homogeneous.translate3d(0.1, 0.1, 0.1), Homogeneous.lumaFlip()),
            Homogeneous.rotate3d(Homogeneous.LUMA_AXIS, 2 * Math.PI / 3)};
        float[] rgb = new float[2 * 3 * 2];
        double[][] pixels = {{0.6, 0.2, 0.1}, {-0.5, 0.3, 0.9}, {0.2, -0.7, 0.4}, {0.0, 0.5, -0.5}};
        for (int b = 0; b < 2; b++) {
            for (int p = 0; p < 2; p++) {
                for (int ch = 0; ch < 3; ch++) {
                    rgb[(b * 3 + ch) * 2 + p] = (float) pixels[b * 2 + p][ch];
                }
            }
        }
        try (MemoryScope s = MemoryScope.open()) {
            float[] out = Tensors.toFloats(AugmentPipe.recolor(Tensors.of(rgb, 2, 3, 1, 2), c));
            for (int b = 0; b < 2; b++) {
                for (int p = 0; p < 2; p++) {
                    double[] px = pixels[b * 2 + p];
                    double[] want = apply(c[b], px[0], px[1], px[2]);
                    for (int ch = 0; ch < 3; ch++) {
                        assertEquals(want[ch], out[(b * 3 + ch) * 2 + p], 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void colourOnlyPipeLeavesGeometryAlone() {
        AugmentPipe pipe = new AugmentPipe(AugmentSpec.only(Augmentation.BRIGHTNESS), 2);
        pipe.setP(1);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensors.randn(2, 3, 8, 8);
            Tensor shift = pipe.forward(x).sub(x);
            for (int i = 0; i < 2; i++) {
                Tensor d = shift.select(0, i);
                assertEquals(0, d.max().item_double() - d.min().item_double(), 1e-6, "brightness is one offset per image");
            }
        }
    }
}
