package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unitpath.gan.GanAsserts.assertGradientsReachEveryParameter;
import static org.unitpath.gan.GanAsserts.assertInTanhRange;
import static org.unitpath.gan.GanAsserts.assertShape;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

class ResnetGeneratorTest {
    @Test
    void keepsTheImageSizeAndTanhRange() {
        Torch.seed(1);
        ResnetGenerator g = new ResnetGenerator(4, 2);
        for (int side : new int[] {64, 128}) {
            try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                Tensor y = g.forward(Tensors.randn(2, 3, side, side));
                assertShape(y, 2, 3, side, side);
                assertInTanhRange(y);
            }
        }
    }

    @Test
    void paperSizeHasTheReleaseLayersAndParameterCount() {
        ResnetGenerator g = new ResnetGenerator();
        Map<String, Tensor> p = g.namedParameters();
        // pix2pix reports 11.378 M for resnet_9blocks with InstanceNorm; its transposed 3x3 convs
        // have as many weights as the release's up-sampling 3x3 convs
        assertEquals(11_378_179, g.parameterCount());
        assertEquals(2 + 2 * 2 + 9 * 4 + 2 * 2 + 2, p.size());
        assertArrayEquals(new long[] {64, 3, 7, 7}, p.get("in_conv.weight").shape());
        assertArrayEquals(new long[] {128, 64, 3, 3}, p.get("down.0.weight").shape());
        assertArrayEquals(new long[] {256, 128, 3, 3}, p.get("down.1.weight").shape());
        assertArrayEquals(new long[] {256, 256, 3, 3}, p.get("blocks.8.conv2.weight").shape());
        assertArrayEquals(new long[] {128, 256, 3, 3}, p.get("up.0.weight").shape());
        assertArrayEquals(new long[] {64, 128, 3, 3}, p.get("up.1.weight").shape());
        assertArrayEquals(new long[] {3, 64, 7, 7}, p.get("out_conv.weight").shape());
        assertTrue(p.containsKey("blocks.0.conv1.bias") && p.containsKey("out_conv.bias"));
        assertTrue(g.namedBuffers().isEmpty(), "InstanceNorm keeps no running statistics");
    }

    @Test
    void gradientsReachEveryParameter() {
        Torch.seed(2);
        ResnetGenerator g = new ResnetGenerator(4, 2);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor y = g.forward(Tensors.randn(2, 3, 64, 64));
            y.mul(Tensors.randn(2, 3, 64, 64)).sum().backward();
            assertGradientsReachEveryParameter(g, n -> n.endsWith(".bias") && !n.equals("out_conv.bias"));
        }
    }

    @Test
    void initialisationIsTheReleasesAndReproducible() {
        Torch.seed(3);
        ResnetGenerator a = new ResnetGenerator(16, 2);
        Torch.seed(3);
        ResnetGenerator b = new ResnetGenerator(16, 2);
        Torch.seed(4);
        ResnetGenerator c = new ResnetGenerator(16, 2);
        for (Map.Entry<String, Tensor> e : a.namedParameters().entrySet()) {
            try (MemoryScope s = MemoryScope.open()) {
                Tensor t = e.getValue();
                assertTrue(torch.equal(t, b.namedParameters().get(e.getKey())), e.getKey() + " differs under the same seed");
                if (e.getKey().endsWith(".bias")) {
                    assertEquals(0.0, t.abs().max().item_double(), e.getKey());
                } else {
                    assertEquals(0.02, t.std().item_double(), 0.002, e.getKey() + " std");
                    assertFalse(torch.equal(t, c.namedParameters().get(e.getKey())), e.getKey() + " same under another seed");
                }
            }
        }
    }

    @Test
    void rejectsSidesThatAreNotMultiplesOfFour() {
        ResnetGenerator g = new ResnetGenerator(4, 1);
        try (MemoryScope s = MemoryScope.open()) {
            for (Tensor bad : List.of(Tensors.zeros(1, 3, 66, 64), Tensors.zeros(1, 1, 64, 64), Tensors.zeros(3, 64, 64))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.forward(bad));
                assertTrue(e.getMessage().contains("multiples of 4"), e.getMessage());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ResnetGenerator(0, 2));
    }
}
