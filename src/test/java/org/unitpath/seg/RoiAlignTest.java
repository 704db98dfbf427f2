package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** RoIAlign equals torchvision's roi_align in value and feature gradient (references from torchvision 0.14). */
class RoiAlignTest {
    private static final double VALUE_TOLERANCE = 1e-5;
    private static final double GRAD_TOLERANCE = 1e-4;

    @Test
    void valuesAndGradientsMatchTorchvision() {
        for (String tag : new String[] {"s1", "s05"}) {
            double scale = tag.equals("s1") ? 1.0 : 0.5;
            for (boolean aligned : new boolean[] {false, true}) {
                for (int ratio : new int[] {0, 2}) {
                    String key = "roi_align." + tag + "." + (aligned ? "aligned" : "legacy") + ".r" + ratio;
                    try (MemoryScope s = MemoryScope.open()) {
                        Tensor x = DetectionFixtures.get("roi_align.features").clone().requires_grad_(true);
                        Tensor out = RoiAlign.apply(x, DetectionFixtures.get("roi_align." + tag + ".rois"), 3, 4, scale,
                                ratio, aligned);
                        DetectionFixtures.assertClose(DetectionFixtures.get(key + ".out"), out, VALUE_TOLERANCE, key);
                        Tensor grad = DetectionFixtures.gradient(out, DetectionFixtures.get(key + ".upstream"), x);
                        DetectionFixtures.assertClose(DetectionFixtures.get(key + ".grad"), grad, GRAD_TOLERANCE, key + " grad");
                    }
                }
            }
        }
    }

    /** torchvision's CPU forward as written: per channel, per bin, per sample, bilinear with its edge rules. */
    private static float[] directLoop(float[] f, int c, int h, int w, float[] rois, int outH, int outW, float scale, int ratio,
            boolean aligned) {
        int k = rois.length / 5;
        float[] out = new float[k * c * outH * outW];
        for (int n = 0; n < k; n++) {
            int batch = (int) rois[5 * n];
            float off = aligned ? 0.5f : 0f;
            float sw = rois[5 * n + 1] * scale - off;
            float sh = rois[5 * n + 2] * scale - off;
            float rw = rois[5 * n + 3] * scale - off - sw;
            float rh = rois[5 * n + 4] * scale - off - sh;
            if (!aligned) {
                rw = Math.max(rw, 1f);
                rh = Math.max(rh, 1f);
            }
            float bh = rh / outH;
            float bw = rw / outW;
            int gh = ratio > 0 ? ratio : (int) Math.ceil(rh / outH);
            int gw = ratio > 0 ? ratio : (int) Math.ceil(rw / outW);
            float count = Math.max(gh * gw, 1);
            for (int ch = 0; ch < c; ch++) {
                int base = (batch * c + ch) * h * w;
                for (int ph = 0; ph < outH; ph++) {
                    for (int pw = 0; pw < outW; pw++) {
                        float acc = 0;
                        for (int iy = 0; iy < gh; iy++) {
                            float y = sh + ph * bh + (iy + .5f) * bh / gh;
                            for (int ix = 0; ix < gw; ix++) {
                                float x = sw + pw * bw + (ix + .5f) * bw / gw;
                                acc += bilinear(f, base, h, w, y, x);
                            }
                        }
                        out[((n * c + ch) * outH + ph) * outW + pw] = acc / count;
                    }
                }
            }
        }
        return out;
    }

    private static float bilinear(float[] f, int base, int h, int w, float y, float x) {
        if (y < -1f || y > h || x < -1f || x > w) {
            return 0;
        }
        y = Math.max(y, 0);
        x = Math.max(x, 0);
        int yl = (int) y;
        int xl = (int) x;
        int yh = yl + 1;
        int xh = xl + 1;
        if (yl >= h - 1) {
            yh = yl = h - 1;
            y = yl;
        }
        if (xl >= w - 1) {
            xh = xl = w - 1;
            x = xl;
        }
        float ly = y - yl;
        float lx = x - xl;
        float hy = 1 - ly;
        float hx = 1 - lx;
        return hy * hx * f[base + yl * w + xl] + hy * lx * f[base + yl * w + xh] + ly * hx * f[base + yh * w + xl]
                + ly * lx * f[base + yh * w + xh];
    }

    @Test
    void equalsTheDirectLoopOnLargeRoisAndManySamples() {
        SplittableRandom rnd = new SplittableRandom(4);
        float[] scales = {1f, 0.5f, 0.25f};
        for (int trial = 0; trial < 12; trial++) {
            try (MemoryScope s = MemoryScope.open()) {
                Tensor x = Tensors.randn(2, 3, 20, 24);
                float scale = scales[trial % 3];
                int k = 16;
                float[] rois = new float[5 * k];
                for (int i = 0; i < k; i++) {
                    float x0 = (float) rnd.nextDouble(-30, 24 / scale);
                    float y0 = (float) rnd.nextDouble(-30, 20 / scale);
                    rois[5 * i] = i % 2;
                    rois[5 * i + 1] = x0;
                    rois[5 * i + 2] = y0;
                    rois[5 * i + 3] = x0 + (float) rnd.nextDouble(-2, 30 / scale);
                    rois[5 * i + 4] = y0 + (float) rnd.nextDouble(-2, 26 / scale);
                }
                int ratio = new int[] {0, 1, 3}[trial % 3 == 0 ? 0 : trial % 2 + 1];
                boolean aligned = trial % 2 == 0;
                Tensor out = RoiAlign.apply(x, Tensors.of(rois, k, 5), 5, 3, scale, ratio, aligned);
                float[] expected = directLoop(Tensors.toFloats(x), 3, 20, 24, rois, 5, 3, scale, ratio, aligned);
                DetectionFixtures.assertClose(Tensors.of(expected, k, 3, 5, 3), out, VALUE_TOLERANCE, "trial " + trial);
            }
        }
    }

    @Test
    void noRoisGiveAnEmptyOutput() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor out = RoiAlign.apply(Tensors.randn(2, 5, 8, 8), Tensors.zeros(0, 5), 7, 7, 0.25, 0, true);
            assertArrayEquals(new long[] {0, 5, 7, 7}, out.shape());
        }
    }

    @Test
    void constantFeaturesPoolToTheConstantInside() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensors.ones(1, 2, 16, 16).mul(F.scalar(3.0));
            Tensor rois = Tensors.of(new float[] {0, 8, 8, 40, 32}, 1, 5);
            Tensor out = RoiAlign.apply(x, rois, 7, 7, 0.25, 0, true);
            assertEquals(0, Tensors.maxAbsDiff(out, Tensors.ones(1, 2, 7, 7).mul(F.scalar(3.0))), 1e-6);
        }
    }

    @Test
    void rejectsBadShapesAndBatchIndices() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = Tensors.zeros(1, 2, 4, 4);
            assertThrows(IllegalArgumentException.class, () -> RoiAlign.apply(Tensors.zeros(2, 4, 4), Tensors.zeros(1, 5), 2, 2, 1, 0, true));
            assertThrows(IllegalArgumentException.class, () -> RoiAlign.apply(x, Tensors.zeros(1, 4), 2, 2, 1, 0, true));
            assertThrows(IllegalArgumentException.class, () -> RoiAlign.apply(x, Tensors.of(new float[] {1, 0, 0, 2, 2}, 1, 5), 2, 2, 1, 0, true));
            assertThrows(IllegalArgumentException.class, () -> RoiAlign.apply(x, Tensors.zeros(1, 5), 0, 2, 1, 0, true));
            assertThrows(IllegalArgumentException.class, () -> RoiAlign.apply(x, Tensors.zeros(1, 5), 2, 2, 1, -1, true));
        }
    }
}
