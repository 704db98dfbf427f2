package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.Init;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

class CycleDecoderTest {
    private static Fpn narrowFpn() {
        return new Fpn(new ResNet(ResNetConfig.resnet50GN().narrowed(2)), ResNetConfig.ALL_STAGES, 64, "GN");
    }

    @Test
    void outputHasTheImageSize() {
        Torch.seed(1);
        Fpn fpn = narrowFpn();
        CycleDecoder decoder = new CycleDecoder(64, 32, 3);
        for (int side : new int[] {64, 128}) {
            try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                Tensor y = decoder.forward(fpn.forward(Tensors.randn(2, 3, side, side)));
                assertArrayEquals(new long[] {2, 3, side, side}, y.shape());
            }
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor y = decoder.forward(fpn.forward(Tensors.randn(1, 3, 64, 96)));
            assertArrayEquals(new long[] {1, 3, 64, 96}, y.shape());
        }
    }

    @Test
    void hasTheReleaseParameterNames() {
        CycleDecoder d = new CycleDecoder();
        Map<String, Tensor> p = d.namedParameters();
        assertEquals(List.of("smooth1.0.weight", "smooth1.0.bias", "smooth2.0.weight", "smooth2.0.bias", "final.weight", "final.bias"),
                List.copyOf(p.keySet()));
        assertArrayEquals(new long[] {128, 256, 3, 3}, p.get("smooth1.0.weight").shape());
        assertArrayEquals(new long[] {64, 128, 3, 3}, p.get("smooth2.0.weight").shape());
        assertArrayEquals(new long[] {3, 64, 3, 3}, p.get("final.weight").shape());
        assertArrayEquals(new long[] {3}, p.get("final.bias").shape());
        assertTrue(d.namedBuffers().isEmpty(), "non-affine InstanceNorm has no state");
        assertEquals(128 * 256 * 9 + 128 + 64 * 128 * 9 + 64 + 3 * 64 * 9 + 3, d.parameterCount());
    }

    @Test
    void fusionUpsamplesWithAlignedCorners() {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Map<String, Tensor> f = new LinkedHashMap<>();
            f.put("p2", Tensors.zeros(1, 1, 16, 16).add(org.unitpath.torch.F.scalar(0.5)));
            f.put("p3", Tensors.zeros(1, 1, 8, 8));
            f.put("p4", Tensors.zeros(1, 1, 4, 4));
            f.put("p5", Tensors.of(new float[] {0, 1, 2, 3}, 1, 1, 2, 2));
            float[] fused = Tensors.toFloats(new CycleDecoder(1, 2, 1).fuse(f));
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    // align_corners=True maps output i to input i * (2 - 1) / (16 - 1)
                    double expected = 0.5 + x / 15.0 + 2 * y / 15.0;
                    assertEquals(expected, fused[y * 16 + x], 1e-6, "(" + x + ", " + y + ")");
                }
            }
        }
    }

    @Test
    void outputHasNoActivation() {
        Torch.seed(2);
        CycleDecoder d = new CycleDecoder(64, 32, 3);
        Init.constant(d.namedParameters().get("final.bias"), 5.0);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor y = d.forward(randomPyramid(2, 64, 64));
            assertTrue(y.min().item_double() > 1.0, "a bias of 5 must pass through unsquashed, min " + y.min().item_double());
            Init.constant(d.namedParameters().get("final.bias"), -5.0);
            assertTrue(d.forward(randomPyramid(2, 64, 64)).max().item_double() < -1.0);
        }
    }

    @Test
    void gradientsReachTheBackbone() {
        Torch.seed(3);
        Fpn fpn = narrowFpn();
        CycleDecoder d = new CycleDecoder(64, 32, 3);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor image = Tensors.randn(2, 3, 64, 64);
            Tensor target = Tensors.randn(2, 3, 64, 64).tanh();
            torch.l1_loss(d.forward(fpn.forward(image)), target).backward();
            double largest = 0;
            for (Map.Entry<String, Tensor> e : fpn.namedParameters().entrySet()) {
                Tensor g = e.getValue().grad();
                assertNotNull(g, e.getKey());
                assertTrue(g.defined(), e.getKey() + " has no gradient");
                double max = g.abs().max().item_double();
                assertFalse(Double.isNaN(max), e.getKey());
                assertTrue(max > 0, e.getKey() + " gradient is all zero");
            }
            for (Map.Entry<String, Tensor> e : d.namedParameters().entrySet()) {
                largest = Math.max(largest, e.getValue().grad().abs().max().item_double());
            }
            for (String cancelled : new String[] {"smooth1.0.bias", "smooth2.0.bias"}) {
                double max = d.namedParameters().get(cancelled).grad().abs().max().item_double();
                assertTrue(max < 1e-5 * largest, cancelled + " feeds an InstanceNorm, its gradient should vanish: " + max);
            }
            assertTrue(d.namedParameters().get("final.bias").grad().abs().max().item_double() > 0);
        }
    }

    @Test
    void rejectsMisalignedLevels() {
        CycleDecoder d = new CycleDecoder(8, 4, 3);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Map<String, Tensor> f = randomPyramid(1, 8, 64);
            f.put("p4", Tensors.randn(1, 8, 3, 4));
            assertThrows(IllegalArgumentException.class, () -> d.forward(f));
            Map<String, Tensor> g = randomPyramid(1, 8, 64);
            g.remove("p3");
            assertThrows(IllegalArgumentException.class, () -> d.forward(g));
            assertThrows(IllegalArgumentException.class, () -> d.forward(randomPyramid(1, 16, 64)));
        }
    }

    /** p2..p5 of an image of side {@code side}. */
    static Map<String, Tensor> randomPyramid(int n, int channels, int side) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (int level = 2; level <= 5; level++) {
            f.put("p" + level, Tensors.randn(n, channels, side >> level, side >> level));
        }
        return f;
    }
}
