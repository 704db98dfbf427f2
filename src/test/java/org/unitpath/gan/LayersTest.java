package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.unitpath.gan.GanAsserts.assertShape;

import java.util.List;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.nn.ConvTranspose2d;
import org.unitpath.nn.InstanceNorm2d;
import org.unitpath.nn.Pad2d;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** The layers the GAN networks add to org.unitpath.nn: InstanceNorm2d, ConvTranspose2d, Pad2d. */
class LayersTest {
    @Test
    void instanceNormNormalisesEachSampleAndChannelOnItsOwn() {
        Torch.seed(1);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor x = Tensors.randn(2, 3, 8, 8).mul(F.scalar(3.0)).add(Tensors.randn(2, 3, 1, 1).mul(F.scalar(5.0)));
            InstanceNorm2d plain = new InstanceNorm2d(3);
            assertTrue(plain.namedParameters().isEmpty() && plain.namedBuffers().isEmpty(), "no parameters, no statistics");
            Tensor y = plain.forward(x);
            Tensor mean = y.mean(new long[] {2, 3}, false, new ScalarTypeOptional());
            Tensor var = y.square().mean(new long[] {2, 3}, false, new ScalarTypeOptional());
            assertEquals(0.0, mean.abs().max().item_double(), 1e-5);
            assertEquals(1.0, var.max().item_double(), 1e-3);
            assertEquals(1.0, var.min().item_double(), 1e-3);

            InstanceNorm2d affine = new InstanceNorm2d(3, true, 1e-5);
            assertEquals(List.of("weight", "bias"), List.copyOf(affine.namedParameters().keySet()));
            affine.namedParameters().get("weight").fill_(F.scalar(2.0));
            affine.namedParameters().get("bias").fill_(F.scalar(1.0));
            assertTrue(Tensors.maxAbsDiff(affine.forward(x), y.mul(F.scalar(2.0)).add(F.scalar(1.0))) < 1e-5);
            assertThrows(IllegalArgumentException.class, () -> plain.forward(Tensors.zeros(1, 4, 8, 8)));
        }
    }

    @Test
    void transposedConvolutionIsTheAdjointOfConvolution() {
        Torch.seed(2);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            ConvTranspose2d up = ConvTranspose2d.of(4, 6, 4).stride(2).padding(1).bias(false).build();
            assertArrayEquals(new long[] {4, 6, 4, 4}, up.weight().shape());
            Tensor x = Tensors.randn(2, 4, 5, 5);
            Tensor y = Tensors.randn(2, 6, 10, 10);
            Tensor upX = up.forward(x);
            assertShape(upX, 2, 6, 10, 10);
            // <convT(x), y> = <x, conv(y)> with the same weight: the defining property of the transpose
            double lhs = upX.mul(y).sum().item_double();
            double rhs = x.mul(F.conv2d(y, up.weight(), null, 2, 1, 1, 1)).sum().item_double();
            assertEquals(lhs, rhs, 1e-3 * Math.abs(lhs) + 1e-3);

            ConvTranspose2d biased = ConvTranspose2d.of(4, 6, 4).stride(2).padding(1).build();
            biased.weight().copy_(up.weight());
            Tensor diff = biased.forward(x).sub(upX).sub(biased.bias().reshape(1, 6, 1, 1));
            assertEquals(0.0, diff.abs().max().item_double(), 1e-5);
        }
    }

    @Test
    void transposedConvolutionShapesFollowPyTorch() {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor x = Tensors.randn(1, 4, 7, 7);
            assertShape(ConvTranspose2d.of(4, 2, 3).stride(2).padding(1).outputPadding(1).build().forward(x), 1, 2, 14, 14);
            assertShape(ConvTranspose2d.of(4, 2, 3).stride(2).padding(1).build().forward(x), 1, 2, 13, 13);
            assertShape(ConvTranspose2d.of(4, 2, 2).stride(2).build().forward(x), 1, 2, 14, 14);
            ConvTranspose2d grouped = ConvTranspose2d.of(4, 6, 3).groups(2).padding(1).build();
            assertArrayEquals(new long[] {4, 3, 3, 3}, grouped.weight().shape());
            assertShape(grouped.forward(x), 1, 6, 7, 7);
            assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.of(4, 2, 3).stride(2).outputPadding(2).build());
            assertThrows(IllegalArgumentException.class, () -> ConvTranspose2d.of(4, 3, 3).groups(2).build());
        }
    }

    @Test
    void reflectionAndZeroPaddingMatchPyTorch() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = torch.arange(F.scalar(9.0)).reshape(1, 1, 3, 3);
            Tensor r = Pad2d.reflect(x, 1);
            assertShape(r, 1, 1, 5, 5);
            assertArrayEquals(new float[] {4, 3, 4, 5, 4}, Tensors.toFloats(r.select(2, 0)));
            assertArrayEquals(new float[] {4, 3, 4, 5, 4}, Tensors.toFloats(r.select(2, 2)));
            assertArrayEquals(new float[] {1, 0, 1, 2, 1}, Tensors.toFloats(r.select(2, 1)));
            Tensor z = Pad2d.zeros(1, 0, 1, 0).forward(x);
            assertShape(z, 1, 1, 4, 4);
            assertArrayEquals(new float[] {0, 0, 0, 0}, Tensors.toFloats(z.select(2, 0)));
            assertArrayEquals(new float[] {0, 3, 4, 5}, Tensors.toFloats(z.select(2, 2)));
            assertThrows(IllegalArgumentException.class, () -> Pad2d.reflect(x, 3));
            assertThrows(IllegalArgumentException.class, () -> Pad2d.zeros(-1, 0, 0, 0));
        }
    }
}
