package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** upfirdn2d against a direct loop over its definition, and the resampling helpers' shapes. */
class Upfirdn2dTest {
    private static final float[] TAPS = {0.1f, 0.5f, -0.2f, 0.35f};

    /** The definition: zero insertion, zero pad / crop, 2-D convolution with f ⊗ f · gain, decimation. */
    static float[] naive(float[] x, int n, int c, int h, int w, float[] f, int up, int down,
            int px0, int px1, int py0, int py1, boolean flip, double gain) {
        int uh = h * up + py0 + py1, uw = w * up + px0 + px1, k = f.length;
        int oh = (uh - k) / down + 1, ow = (uw - k) / down + 1;
        float[] out = new float[n * c * oh * ow];
        for (int img = 0; img < n * c; img++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double s = 0;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int uy = oy * down + i - py0, ux = ox * down + j - px0;
                            if (uy < 0 || ux < 0 || uy >= h * up || ux >= w * up || uy % up != 0 || ux % up != 0) {
                                continue;
                            }
                            double fy = flip ? f[i] : f[k - 1 - i];
                            double fx = flip ? f[j] : f[k - 1 - j];
                            s += x[(img * h + uy / up) * w + ux / up] * fy * fx * gain;
                        }
                    }
                    out[(img * oh + oy) * ow + ox] = (float) s;
                }
            }
        }
        return out;
    }

    @Test
    void matchesTheDefinitionForUpDownPaddingCropFlipAndGain() {
        Torch.seed(3);
        int[][] cases = {{2, 1, 2, 1, 2, 1, 0}, {1, 2, 1, 1, 1, 2, 1}, {2, 2, -1, 3, 0, -2, 1}, {1, 1, 0, 0, 0, 0, 0}, {3, 2, 2, 2, 2, 2, 0}};
        for (int[] cs : cases) {
            try (MemoryScope s = MemoryScope.open()) {
                int up = cs[0], down = cs[1];
                boolean flip = cs[6] == 1;
                Tensor x = Tensors.randn(2, 3, 7, 9);
                Tensor y = Upfirdn2d.upfirdn2d(x, TAPS, up, down, cs[2], cs[3], cs[4], cs[5], flip, 3.0);
                float[] expected = naive(Tensors.toFloats(x), 2, 3, 7, 9, TAPS, up, down, cs[2], cs[3], cs[4], cs[5], flip, 3.0);
                float[] got = Tensors.toFloats(y);
                assertEquals(expected.length, got.length, "output size for case " + java.util.Arrays.toString(cs));
                assertArrayEquals(expected, got, 2e-5f, "case " + java.util.Arrays.toString(cs));
            }
        }
    }

    @Test
    void resamplingHelpersScaleTheSizeAndKeepConstants() {
        float[] box = Upfirdn2d.normalized(1, 3, 3, 1);
        assertArrayEquals(new float[] {0.125f, 0.375f, 0.375f, 0.125f}, box, 0f);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensors.ones(1, 2, 8, 10);
            Tensor up = Upfirdn2d.upsample2d(x, box, 2, 0, false, 1);
            Tensor down = Upfirdn2d.downsample2d(x, box, 2, 0, false, 1);
            Tensor same = Upfirdn2d.filter2d(x, box, 0, false, 1);
            assertArrayEquals(new long[] {1, 2, 16, 20}, up.shape());
            assertArrayEquals(new long[] {1, 2, 4, 5}, down.shape());
            assertArrayEquals(new long[] {1, 2, 8, 10}, same.shape());
            // away from the zero-padded border a constant stays constant
            assertEquals(1.0, up.narrow(2, 4, 8).narrow(3, 4, 12).min().item_double(), 1e-6);
            assertEquals(1.0, up.narrow(2, 4, 8).narrow(3, 4, 12).max().item_double(), 1e-6);
            assertEquals(1.0, same.narrow(2, 2, 4).narrow(3, 2, 6).mean().item_double(), 1e-6);
        }
    }

    @Test
    void rejectsBadArguments() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensors.ones(1, 1, 4, 4);
            assertThrows(IllegalArgumentException.class, () -> Upfirdn2d.upfirdn2d(Tensors.ones(4, 4), TAPS, 1, 1, 0, 0, 0, 0, false, 1));
            assertThrows(IllegalArgumentException.class, () -> Upfirdn2d.upfirdn2d(x, new float[0], 1, 1, 0, 0, 0, 0, false, 1));
            assertThrows(IllegalArgumentException.class, () -> Upfirdn2d.upfirdn2d(x, TAPS, 0, 1, 0, 0, 0, 0, false, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Upfirdn2d.upfirdn2d(x, TAPS, 1, 1, -2, 0, 0, 0, false, 1));
            assertTrue(e.getMessage().contains("smaller than the 4-tap filter"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Upfirdn2d.normalized(1, -1));
        }
    }
}
