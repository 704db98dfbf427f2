package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/**
 * One modulated 3x3 convolution of the synthesis network: style from an affine layer (bias
 * initialised to 1), optional 2x up-sampling, per-pixel noise scaled by a learned strength
 * (initially 0), bias and leaky ReLU.
 */
public final class SynthesisLayer extends Module {
    /** Where the per-pixel noise comes from. */
    public enum Noise { RANDOM, CONST, NONE }

    private final FullyConnected affine;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor noiseConst;
    private final Tensor noiseStrength;
    private final boolean up;
    private final int resolution;

    public SynthesisLayer(int in, int out, int styleDim, int resolution, boolean up) {
        this.up = up;
        this.resolution = resolution;
        affine = child("affine", new FullyConnected(styleDim, in, Activation.LINEAR, 1, 1));
        weight = param("weight", Tensors.randn(out, in, 3, 3));
        noiseConst = buffer("noise_const", Tensors.randn(resolution, resolution));
        noiseStrength = param("noise_strength", Tensors.zeros());
        bias = param("bias", Tensors.zeros(out));
    }

    public Tensor forward(Tensor x, Tensor style, Noise noise, boolean fused, double gain) {
        return MemoryScope.scoped(() -> {
            Tensor s = affine.forward(style);
            Tensor y = ModulatedConv.apply(x, weight, s, true, up, fused);
            if (noise == Noise.RANDOM) {
                y = y.add_(Tensors.randnLike(x, x.size(0), 1, resolution, resolution).mul(noiseStrength));
            } else if (noise == Noise.CONST) {
                y = y.add_(noiseConst.mul(noiseStrength));
            }
            return Activation.LRELU.applyInPlace(y, bias, gain);
        });
    }
}
