package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

class SemSegFpnHeadTest {
    private static final SemSegConfig NARROW = SemSegConfig.panoptic(2).withInChannels(16).withConvDims(32);

    @Test
    void logitsHaveTheImageSize() {
        Torch.seed(1);
        SemSegFpnHead head = new SemSegFpnHead(NARROW.withNumClasses(3));
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Map<String, Tensor> f = CycleDecoderTest.randomPyramid(2, 16, 64);
            assertArrayEquals(new long[] {2, 3, 16, 16}, head.layers(f).shape());
            Tensor logits = head.forward(f);
            assertArrayEquals(new long[] {2, 3, 64, 64}, logits.shape());
            Tensor labels = SemSegFpnHead.labels(logits);
            assertArrayEquals(new long[] {2, 64, 64}, labels.shape());
            assertTrue(labels.scalar_type().intern() == ScalarType.Long);
            Tensor p = SemSegFpnHead.probabilities(logits);
            assertEquals(0.0, Tensors.maxAbsDiff(p.sum(1), Tensors.ones(2, 64, 64)), 1e-5);
            assertTrue(Tensors.maxAbsDiff(labels, p.argmax(new org.bytedeco.pytorch.LongOptional(1), false)) == 0);
        }
    }

    /**
     * With p3's conv an identity tap, every other conv zero and no norm, the head's output is
     * p3 resized x2 then x4 bilinearly with align_corners=False: compared with that resize
     * written out in one dimension ({@code src = (i + 0.5) / factor - 0.5}, clamped at 0).
     */
    @Test
    void upsamplesBilinearWithoutAlignedCorners() {
        SemSegFpnHead head = new SemSegFpnHead(new SemSegConfig(SemSegConfig.FPN_LEVELS, 1, 1, 1, 4, "none", 1, 255));
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            for (Map.Entry<String, Tensor> e : head.namedParameters().entrySet()) {
                e.getValue().zero_();
            }
            head.namedParameters().get("p3.0.weight").narrow(2, 1, 1).narrow(3, 1, 1).fill_(org.unitpath.torch.F.scalar(1.0));
            head.namedParameters().get("predictor.weight").fill_(org.unitpath.torch.F.scalar(1.0));
            float[] p3 = new float[16];
            for (int i = 0; i < 16; i++) {
                p3[i] = (i * 7) % 16 + 1;
            }
            Map<String, Tensor> f = CycleDecoderTest.randomPyramid(1, 1, 32);
            f.put("p3", Tensors.of(p3, 1, 1, 4, 4));
            double[] expected = resize(resize(p3, 4, 2), 8, 4);
            float[] got = Tensors.toFloats(head.forward(f));
            assertEquals(32 * 32, got.length);
            for (int i = 0; i < got.length; i++) {
                assertEquals(expected[i], got[i], 1e-4, "pixel " + i % 32 + "," + i / 32);
            }
        }
    }

    /** A side x side map resized by {@code factor} as PyTorch's bilinear interpolation with align_corners=False. */
    private static double[] resize(double[] in, int side, int factor) {
        int out = side * factor;
        double[] result = new double[out * out];
        for (int y = 0; y < out; y++) {
            for (int x = 0; x < out; x++) {
                double sy = Math.max(0, (y + 0.5) / factor - 0.5);
                double sx = Math.max(0, (x + 0.5) / factor - 0.5);
                int y0 = (int) sy;
                int x0 = (int) sx;
                int y1 = Math.min(y0 + 1, side - 1);
                int x1 = Math.min(x0 + 1, side - 1);
                double wy = sy - y0;
                double wx = sx - x0;
                result[y * out + x] = (1 - wy) * ((1 - wx) * in[y0 * side + x0] + wx * in[y0 * side + x1])
                        + wy * ((1 - wx) * in[y1 * side + x0] + wx * in[y1 * side + x1]);
            }
        }
        return result;
    }

    private static double[] resize(float[] in, int side, int factor) {
        double[] d = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            d[i] = in[i];
        }
        return resize(d, side, factor);
    }

    @Test
    void scaleHeadsHaveDetectron2Names() {
        SemSegFpnHead head = new SemSegFpnHead(NARROW);
        Map<String, Tensor> p = head.namedParameters();
        List<String> convs = List.of("p2.0", "p3.0", "p4.0", "p4.2", "p5.0", "p5.2", "p5.4");
        for (String c : convs) {
            assertTrue(p.containsKey(c + ".weight"), c);
            assertTrue(p.containsKey(c + ".norm.weight") && p.containsKey(c + ".norm.bias"), c);
            assertFalse(p.containsKey(c + ".bias"), c + " has a norm, so no bias");
        }
        assertEquals(convs.size() * 3 + 2, p.size(), "convs, their GN, the predictor: " + p.keySet());
        assertArrayEquals(new long[] {32, 16, 3, 3}, p.get("p5.0.weight").shape());
        assertArrayEquals(new long[] {32, 32, 3, 3}, p.get("p5.4.weight").shape());
        assertArrayEquals(new long[] {2, 32, 1, 1}, p.get("predictor.weight").shape());
        Map<String, Tensor> plain = new SemSegFpnHead(new SemSegConfig(SemSegConfig.FPN_LEVELS, 16, 32, 2, 4, "", 1, 255))
                .namedParameters();
        assertTrue(plain.containsKey("p2.0.bias") && plain.containsKey("p5.4.bias") && !plain.containsKey("p2.0.norm.weight"));
    }

    @Test
    void initialisationIsDetectron2s() {
        Torch.seed(2);
        SemSegFpnHead head = new SemSegFpnHead(SemSegConfig.ssg());
        Map<String, Tensor> p = head.namedParameters();
        // c2_msra_fill: N(0, sqrt(2 / fan_out)), fan_out = out channels x kernel area
        assertEquals(Math.sqrt(2.0 / (256 * 9)), p.get("p5.4.weight").std().item_double(), 0.03 * Math.sqrt(2.0 / (256 * 9)));
        assertEquals(Math.sqrt(2.0 / 3), p.get("predictor.weight").std().item_double(), 0.1 * Math.sqrt(2.0 / 3));
        assertEquals(0.0, p.get("predictor.bias").abs().max().item_double());
        assertEquals(1.0, p.get("p3.0.norm.weight").min().item_double());
        assertArrayEquals(new long[] {256, 256, 3, 3}, p.get("p2.0.weight").shape());
        assertArrayEquals(new long[] {3, 256, 1, 1}, p.get("predictor.weight").shape());
    }

    @Test
    void lossIgnores255AndIsWeighted() {
        Torch.seed(3);
        SemSegFpnHead head = new SemSegFpnHead(NARROW.withNumClasses(3).withLossWeight(2.0));
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Map<String, Tensor> f = CycleDecoderTest.randomPyramid(2, 16, 32);
            float[] logits = Tensors.toFloats(head.forward(f));
            float[] labels = ignored();
            labels[(32 + 5) * 32 + 17] = 2;
            double first = pixelCrossEntropy(logits, 1, 5, 17, 2);
            assertEquals(2.0 * first, loss(head, f, labels), 1e-5, "one labelled pixel: its cross-entropy times the weight");
            labels[30 * 32 + 3] = 0;
            double second = pixelCrossEntropy(logits, 0, 30, 3, 0);
            assertEquals(2.0 * (first + second) / 2, loss(head, f, labels), 1e-5, "mean over the labelled pixels only");
            assertTrue(Double.isNaN(loss(head, f, ignored())), "nothing labelled: NaN, as PyTorch");
            assertThrows(IllegalArgumentException.class, () -> head.loss(f, Tensors.zeros(2, 16, 16).to(ScalarType.Long)));
        }
    }

    private static float[] ignored() {
        float[] labels = new float[2 * 32 * 32];
        Arrays.fill(labels, 255);
        return labels;
    }

    private static double loss(SemSegFpnHead head, Map<String, Tensor> f, float[] labels) {
        return head.loss(f, Tensors.of(labels, 2, 32, 32).to(ScalarType.Long)).item_double();
    }

    /** -log softmax(logits)[c] at pixel (x, y) of image n, for 3 x 32 x 32 logits per image. */
    private static double pixelCrossEntropy(float[] logits, int n, int y, int x, int c) {
        double[] z = new double[3];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
            z[k] = logits[((n * 3 + k) * 32 + y) * 32 + x];
            max = Math.max(max, z[k]);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - z[c];
    }

    @Test
    void lossTrainsTheHead() {
        Torch.seed(4);
        SemSegFpnHead head = new SemSegFpnHead(NARROW);
        try (MemoryScope s = MemoryScope.open()) {
            Map<String, Tensor> f = CycleDecoderTest.randomPyramid(1, 16, 32);
            head.loss(f, Tensors.zeros(1, 32, 32).to(ScalarType.Long)).backward();
            for (Map.Entry<String, Tensor> e : head.namedParameters().entrySet()) {
                assertTrue(e.getValue().grad().defined() && e.getValue().grad().abs().max().item_double() > 0, e.getKey());
            }
        }
    }

    @Test
    void rejectsInconsistentConfigs() {
        assertThrows(IllegalArgumentException.class, () -> SemSegConfig.panoptic(2).withConvDims(48));
        assertThrows(IllegalArgumentException.class,
                () -> new SemSegConfig(SemSegConfig.FPN_LEVELS, 256, 128, 2, 8, "GN", 1, 255));
        assertThrows(IllegalArgumentException.class,
                () -> new SemSegConfig(SemSegConfig.FPN_LEVELS, 256, 128, 2, 6, "GN", 1, 255));
        assertThrows(IllegalArgumentException.class,
                () -> new SemSegConfig(List.of("res2"), 256, 128, 2, 4, "GN", 1, 255));
        SemSegConfig coarse = new SemSegConfig(List.of("p5", "p3", "p4"), 16, 32, 2, 8, "GN", 1, 255);
        assertEquals(List.of("p3", "p4", "p5"), coarse.inFeatures());
        SemSegFpnHead head = new SemSegFpnHead(coarse);
        assertTrue(head.namedParameters().containsKey("p3.0.weight") && head.namedParameters().containsKey("p5.2.weight"));
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            assertArrayEquals(new long[] {1, 2, 64, 64}, head.forward(CycleDecoderTest.randomPyramid(1, 16, 64)).shape());
        }
    }
}
