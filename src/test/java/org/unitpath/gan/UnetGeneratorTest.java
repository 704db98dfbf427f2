package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unitpath.gan.GanAsserts.assertGradientsReachEveryParameter;
import static org.unitpath.gan.GanAsserts.assertInTanhRange;
import static org.unitpath.gan.GanAsserts.assertShape;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

class UnetGeneratorTest {
    @Test
    void keepsTheImageSizeAndTanhRange() {
        Torch.seed(1);
        UnetGenerator g = new UnetGenerator(6, 4);
        for (int side : new int[] {64, 128}) {
            try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                Tensor y = g.forward(Tensors.randn(2, 3, side, side));
                assertShape(y, 2, 3, side, side);
                assertInTanhRange(y);
            }
        }
    }

    @Test
    void unet256HasPix2pixLayersAndParameterCount() {
        UnetGenerator g = new UnetGenerator();
        Map<String, Tensor> p = g.namedParameters();
        // pix2pix reports 54.414 M parameters for unet_256 with BatchNorm
        assertEquals(54_413_955, g.parameterCount());
        assertArrayEquals(new long[] {64, 3, 4, 4}, p.get("down.0.weight").shape());
        assertArrayEquals(new long[] {512, 256, 4, 4}, p.get("down.3.weight").shape());
        assertArrayEquals(new long[] {512, 512, 4, 4}, p.get("down.7.weight").shape());
        assertArrayEquals(new long[] {512, 512, 4, 4}, p.get("up.7.weight").shape(), "innermost: no skip input");
        assertArrayEquals(new long[] {1024, 256, 4, 4}, p.get("up.3.weight").shape());
        assertArrayEquals(new long[] {128, 3, 4, 4}, p.get("up.0.weight").shape());
        assertTrue(p.containsKey("up.0.bias"), "the outermost transposed conv has a bias");
        assertEquals(1, p.keySet().stream().filter(n -> n.endsWith("bias") && !n.contains("norm")).count(),
                "convs before a BatchNorm have no bias");
        assertFalse(p.containsKey("down.0.norm.weight") || p.containsKey("down.7.norm.weight")
                || p.containsKey("up.0.norm.weight"));
        assertTrue(g.namedBuffers().containsKey("down.1.norm.running_mean"));
        assertTrue(g.namedBuffers().containsKey("up.7.norm.running_var"));
    }

    @Test
    void gradientsReachEveryParameter() {
        Torch.seed(2);
        UnetGenerator g = new UnetGenerator(6, 4);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor y = g.forward(Tensors.randn(2, 3, 64, 64));
            y.mul(Tensors.randn(2, 3, 64, 64)).sum().backward();
            assertGradientsReachEveryParameter(g, n -> false);
        }
    }

    @Test
    void batchNormWeightsFollowPix2pixInit() {
        Torch.seed(3);
        UnetGenerator g = new UnetGenerator(5, 32);
        g.namedParameters().forEach((name, t) -> {
            try (MemoryScope s = MemoryScope.open()) {
                if (name.endsWith("norm.weight") && t.numel() >= 128) {
                    assertEquals(1.0, t.mean().item_double(), 0.01, name);
                    assertEquals(0.02, t.std().item_double(), 0.005, name);
                } else if (name.endsWith("bias")) {
                    assertEquals(0.0, t.abs().max().item_double(), name);
                } else if (!name.endsWith("norm.weight")) {
                    assertEquals(0.02, t.std().item_double(), 0.002, name);
                }
            }
        });
    }

    @Test
    void dropoutIsOffByDefaultAndOnlyInTraining() {
        Torch.seed(4);
        Tensor x = Tensors.randn(2, 3, 64, 64);
        UnetGenerator plain = new UnetGenerator(6, 4);
        UnetGenerator dropping = new UnetGenerator(3, 3, 6, 4, true);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            assertTrue(torch.equal(plain.forward(x), plain.forward(x)), "no dropout by default");
            assertFalse(torch.equal(dropping.forward(x), dropping.forward(x)), "dropout draws in training");
            dropping.eval();
            assertTrue(torch.equal(dropping.forward(x), dropping.forward(x)), "no dropout in eval mode");
        }
    }

    @Test
    void rejectsSidesNotDivisibleByTheBottleneckStride() {
        UnetGenerator g = new UnetGenerator(7, 2);
        try (MemoryScope s = MemoryScope.open()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.forward(Tensors.zeros(1, 3, 64, 64)));
            assertTrue(e.getMessage().contains("multiples of 128"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new UnetGenerator(4, 8));
    }
}
