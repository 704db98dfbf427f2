package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unitpath.gan.GanAsserts.assertGradientsReachEveryParameter;
import static org.unitpath.gan.GanAsserts.assertShape;

import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

class PatchDiscriminatorTest {
    @Test
    void scoresOnePatchPerSixteenPixels() {
        Torch.seed(1);
        PatchDiscriminator d = new PatchDiscriminator(4);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            assertShape(d.forward(Tensors.randn(2, 3, 64, 64)), 2, 1, 4, 4);
            assertShape(d.forward(Tensors.randn(2, 3, 128, 128)), 2, 1, 8, 8);
            assertShape(d.forward(Tensors.randn(1, 3, 256, 256)), 1, 1, 16, 16);
        }
    }

    @Test
    void releaseSizeHasItsLayersAndParameterCount() {
        PatchDiscriminator d = new PatchDiscriminator();
        Map<String, Tensor> p = d.namedParameters();
        assertEquals(3 * 64 * 16 + 64 + 64 * 128 * 16 + 128 + 128 * 256 * 16 + 256 + 256 * 512 * 16 + 512 + 512 * 16 + 1,
                d.parameterCount());
        assertEquals(List.of("down.0.weight", "down.0.bias", "down.1.weight", "down.1.bias", "down.2.weight",
                "down.2.bias", "down.3.weight", "down.3.bias", "out_conv.weight", "out_conv.bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new long[] {64, 3, 4, 4}, p.get("down.0.weight").shape());
        assertArrayEquals(new long[] {512, 256, 4, 4}, p.get("down.3.weight").shape());
        assertArrayEquals(new long[] {1, 512, 4, 4}, p.get("out_conv.weight").shape());
        assertTrue(d.namedBuffers().isEmpty());
    }

    @Test
    void gradientsReachEveryParameter() {
        Torch.seed(2);
        PatchDiscriminator d = new PatchDiscriminator(4);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor scores = d.forward(Tensors.randn(2, 3, 64, 64));
            scores.mul(Tensors.randn(2, 1, 4, 4)).sum().backward();
            assertGradientsReachEveryParameter(d, n -> n.matches("down\\.[123]\\.bias"));
        }
    }

    @Test
    void rejectsImagesTooSmallOrWithOtherChannels() {
        PatchDiscriminator d = new PatchDiscriminator(4);
        PatchDiscriminator oneChannel = new PatchDiscriminator(1, 4);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            assertThrows(IllegalArgumentException.class, () -> d.forward(Tensors.zeros(1, 3, 16, 16)));
            assertThrows(IllegalArgumentException.class, () -> d.forward(Tensors.zeros(1, 1, 64, 64)));
            assertEquals(1, oneChannel.forward(Tensors.zeros(1, 1, 64, 64)).size(1));
        }
    }
}
