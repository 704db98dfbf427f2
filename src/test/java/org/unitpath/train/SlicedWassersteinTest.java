package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.train.SlicedWasserstein.Normalization;
import org.unitpath.train.SlicedWasserstein.Result;
import org.unitpath.io.RgbImage;
import org.unitpath.testing.TestImages;
import org.unitpath.torch.F;
import org.unitpath.torch.Tensors;

class SlicedWassersteinTest {
    private static RgbImage tissue;

    @BeforeAll
    static void loadTissue(@TempDir Path scratch) {
        tissue = TestImages.ihc(scratch);
    }

    /** {@code n} random size x size crops of the demo tissue image, N x 3 x size x size in [-1, 1]. */
    private static float[] crops(int n, int size, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n * 3 * size * size];
        for (int i = 0; i < n; i++) {
            int x0 = r.nextInt(tissue.width() - size + 1);
            int y0 = r.nextInt(tissue.height() - size + 1);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        out[((i * 3 + c) * size + y) * size + x] = tissue.get(x0 + x, y0 + y, c) / 127.5f - 1f;
                    }
                }
            }
        }
        return out;
    }

    private static Tensor tensor(float[] v, int size) {
        return Tensors.of(v, v.length / (3L * size * size), 3, size, size);
    }

    private static float[] noise(int n, int size, long seed) {
        Random r = new Random(seed);
        float[] out = new float[n * 3 * size * size];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (r.nextGaussian() * 0.5);
        }
        return out;
    }

    /** Every pixel's colour through {@code m} (3x3, row = output channel) plus {@code shift}, clamped. */
    private static float[] recolour(float[] v, int size, float[] m, float[] shift) {
        float[] out = new float[v.length];
        int plane = size * size;
        for (int i = 0; i < v.length / (3 * plane); i++) {
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    float s = shift[c];
                    for (int k = 0; k < 3; k++) {
                        s += m[3 * c + k] * v[(i * 3 + k) * plane + p];
                    }
                    out[(i * 3 + c) * plane + p] = Math.max(-1f, Math.min(1f, s));
                }
            }
        }
        return out;
    }

    private static final float[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    /** scipy.ndimage.convolve(mode='mirror') of one plane with the 5x5 binomial kernel times {@code gain}. */
    private static float[] mirrorConvolve(float[] plane, int h, int w, float gain) {
        float[] k = {1, 4, 6, 4, 1};
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int i = -2; i <= 2; i++) {
                    for (int j = -2; j <= 2; j++) {
                        s += k[i + 2] * k[j + 2] / 256.0 * plane[mirror(y + i, h) * w + mirror(x + j, w)];
                    }
                }
                out[y * w + x] = (float) (s * gain);
            }
        }
        return out;
    }

    private static int mirror(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * n - 2 - i : i;
    }

    @Test
    void pyramidStepsMatchTheReferencesMirrorConvolutions() {
        int h = 20;
        int w = 18;
        float[] v = new float[3 * h * w];
        Random r = new Random(5);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        Tensor x = Tensors.of(v, 1, 3, h, w);
        float[] down = Tensors.toFloats(SlicedWasserstein.pyrDown(x));
        float[] up = Tensors.toFloats(SlicedWasserstein.pyrUp(SlicedWasserstein.pyrDown(x), h, w));
        for (int c = 0; c < 3; c++) {
            float[] plane = Arrays.copyOfRange(v, c * h * w, (c + 1) * h * w);
            float[] full = mirrorConvolve(plane, h, w, 1);
            float[] small = new float[(h / 2) * (w / 2)];
            for (int y = 0; y < h / 2; y++) {
                for (int xx = 0; xx < w / 2; xx++) {
                    small[y * (w / 2) + xx] = full[2 * y * w + 2 * xx];
                    assertEquals(small[y * (w / 2) + xx], down[c * (h / 2) * (w / 2) + y * (w / 2) + xx], 1e-5);
                }
            }
            float[] zeros = new float[h * w];
            for (int y = 0; y < h / 2; y++) {
                for (int xx = 0; xx < w / 2; xx++) {
                    zeros[2 * y * w + 2 * xx] = small[y * (w / 2) + xx];
                }
            }
            float[] expected = mirrorConvolve(zeros, h, w, 4);
            for (int i = 0; i < h * w; i++) {
                assertEquals(expected[i], up[c * h * w + i], 1e-5, "pyrUp at " + i);
            }
        }
    }

    @Test
    void aConstantImageHasNoDetailLevels() {
        Tensor x = Tensors.ones(2, 3, 64, 64).mul(F.scalar(0.3));
        List<Tensor> levels = SlicedWasserstein.laplacianPyramid(x, 3);
        assertEquals(3, levels.size());
        assertEquals(0, levels.get(0).abs().max().item_double(), 1e-6);
        assertEquals(0, levels.get(1).abs().max().item_double(), 1e-6);
        assertEquals(16, levels.get(2).size(2));
        assertEquals(0.3, levels.get(2).mean().item_double(), 1e-6);
    }

    @Test
    void identicalSetsAreAtZero() {
        Tensor a = tensor(crops(16, 64, 1), 64);
        Result r = new SlicedWasserstein(3).distance(a, a.clone());
        assertArrayEquals(new int[] {64, 32, 16}, r.resolutions());
        assertEquals(0, r.average(), 1e-9);
        assertEquals(List.of("swd", "swd_64", "swd_32", "swd_16"), List.copyOf(r.asMetrics("swd").keySet()));
    }

    @Test
    void aStainChangeIsClearlyFartherThanAnImperceptibleChange() {
        float[] a = crops(32, 64, 1);
        Random r = new Random(9);
        float[] jitter = a.clone();
        for (int i = 0; i < jitter.length; i++) {
            jitter[i] = Math.max(-1f, Math.min(1f, jitter[i] + (r.nextInt(3) - 1) / 127.5f));
        }
        float[] stained = recolour(a, 64, new float[] {0.5f, 0.5f, 0, 0, 0.6f, 0.4f, 0.3f, 0, 0.7f}, new float[3]);
        SlicedWasserstein swd = new SlicedWasserstein(7);
        double near = swd.distance(tensor(a, 64), tensor(jitter, 64)).average();
        double far = swd.distance(tensor(a, 64), tensor(stained, 64)).average();
        assertTrue(far > 5 && far > 4 * near, "stain change " + far + " vs +-1 grey level " + near);
    }

    @Test
    void perSetStandardisationIgnoresAColourShiftThatJointSees() {
        float[] a = crops(32, 64, 1);
        float[] shifted = recolour(a, 64, IDENTITY, new float[] {0.15f, -0.1f, 0.1f});
        double perSet = new SlicedWasserstein(7).distance(tensor(a, 64), tensor(shifted, 64)).average();
        double joint = new SlicedWasserstein(7, 128, 4, 128, Normalization.JOINT)
                .distance(tensor(a, 64), tensor(shifted, 64)).average();
        assertTrue(joint > 30, "joint " + joint);
        assertTrue(perSet < 0.1 * joint, "per set " + perSet + " (only clamping changes the distribution)");
    }

    @Test
    void noiseIsFartherFromTissueThanOtherTissue() {
        Tensor a = tensor(crops(32, 64, 1), 64);
        Tensor b = tensor(crops(32, 64, 2), 64);
        Tensor n = tensor(noise(32, 64, 3), 64);
        for (Normalization norm : Normalization.values()) {
            SlicedWasserstein swd = new SlicedWasserstein(11, 128, 4, 128, norm);
            Result tissueTissue = swd.distance(a, b);
            Result tissueNoise = swd.distance(a, n);
            assertTrue(tissueNoise.average() > 2 * tissueTissue.average(), norm + ": " + tissueNoise + " vs " + tissueTissue);
            assertTrue(tissueNoise.distances()[0] > 2 * tissueTissue.distances()[0], "finest level: " + norm);
        }
    }

    @Test
    void symmetricAndDeterministic() {
        Tensor a = tensor(crops(8, 64, 1), 64);
        Tensor b = tensor(crops(8, 64, 2), 64);
        for (Normalization norm : Normalization.values()) {
            SlicedWasserstein swd = new SlicedWasserstein(5, 64, 2, 64, norm);
            Result ab = swd.distance(a, b);
            assertArrayEquals(ab.distances(), swd.distance(b, a).distances(), norm.name());
            assertArrayEquals(ab.distances(), new SlicedWasserstein(5, 64, 2, 64, norm).distance(a, b).distances());
            double other = new SlicedWasserstein(6, 64, 2, 64, norm).distance(a, b).average();
            assertNotEquals(ab.average(), other);
            assertEquals(ab.average(), other, 0.5 * ab.average(), "another seed measures about the same");
        }
    }

    @Test
    void sixtyFourImagesOf256PixelsInAFewSeconds() {
        Tensor a = tensor(crops(64, 256, 1), 256);
        Tensor b = tensor(crops(64, 256, 2), 256);
        SlicedWasserstein swd = new SlicedWasserstein(1);
        swd.distance(a.narrow(0, 0, 4), b.narrow(0, 0, 4));
        long t0 = System.nanoTime();
        Result r = swd.distance(a, b);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SWD of 64 x 256x256 images: %.2f s, %s%n", seconds, r);
        assertArrayEquals(new int[] {256, 128, 64, 32, 16}, r.resolutions());
        assertTrue(r.average() > 0 && Double.isFinite(r.average()));
        assertTrue(seconds < 20, seconds + " s");
    }

    @Test
    void radixSortOrdersFloatsLikeArraysSort() {
        Random r = new Random(4);
        float[] v = new float[5000];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (i % 5) {
                case 0 -> (float) r.nextGaussian();
                case 1 -> (float) (r.nextGaussian() * 1e6);
                case 2 -> (float) (r.nextGaussian() * 1e-6);
                case 3 -> i % 2 == 0 ? 0f : -0f;
                default -> r.nextInt(7) - 3;
            };
        }
        int[] keys = SlicedWasserstein.sortedKeys(v, 1000, 3000);
        float[] expected = Arrays.copyOfRange(v, 1000, 4000);
        Arrays.sort(expected);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], SlicedWasserstein.fromKey(keys[i]), 0f, "rank " + i);
        }
    }

    @Test
    void levelsGoDownTo16Pixels() {
        assertEquals(3, SlicedWasserstein.levelCount(64, 64));
        assertEquals(5, SlicedWasserstein.levelCount(256, 256));
        assertEquals(1, SlicedWasserstein.levelCount(31, 40));
        assertEquals(0, SlicedWasserstein.levelCount(15, 64));
    }

    @Test
    void rejectsUnusableInput() {
        SlicedWasserstein swd = new SlicedWasserstein(1);
        assertThrows(IllegalArgumentException.class, () -> swd.distance(Tensors.zeros(2, 3, 32, 32), Tensors.zeros(3, 3, 32, 32)));
        assertThrows(IllegalArgumentException.class, () -> swd.distance(Tensors.zeros(2, 1, 32, 32), Tensors.zeros(2, 1, 32, 32)));
        assertThrows(IllegalArgumentException.class, () -> swd.distance(Tensors.zeros(2, 3, 8, 8), Tensors.zeros(2, 3, 8, 8)));
    }
}
