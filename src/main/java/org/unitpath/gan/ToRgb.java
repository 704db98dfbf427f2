package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/** 1x1 modulated convolution to RGB without demodulation (weight gain 1/sqrt(in)), plus bias. */
public final class ToRgb extends Module {
    private final FullyConnected affine;
    private final Tensor weight;
    private final Tensor bias;
    private final double weightGain;

    public ToRgb(int in, int channels, int styleDim) {
        affine = child("affine", new FullyConnected(styleDim, in, Activation.LINEAR, 1, 1));
        weight = param("weight", Tensors.randn(channels, in, 1, 1));
        bias = param("bias", Tensors.zeros(channels));
        weightGain = 1 / Math.sqrt(in);
    }

    public Tensor forward(Tensor x, Tensor style, boolean fused) {
        return MemoryScope.scoped(() -> {
            Tensor s = affine.forward(style).mul(F.scalar(weightGain));
            return Activation.LINEAR.applyInPlace(ModulatedConv.apply(x, weight, s, false, false, fused), bias, 1);
        });
    }
}
