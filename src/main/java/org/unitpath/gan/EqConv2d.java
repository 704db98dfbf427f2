package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Layer;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/**
 * Convolution with equalised learning rate and optional 2x FIR down-sampling (StyleGAN2's
 * Conv2dLayer as used by the discriminator and the condition encoder).
 */
public final class EqConv2d extends Module implements Layer {
    private final Tensor weight;
    private final Tensor bias;
    private final double weightGain;
    private final Activation activation;
    private final int kernel;
    private final boolean down;

    public EqConv2d(int in, int out, int kernel, boolean bias, Activation activation, boolean down) {
        this.kernel = kernel;
        this.down = down;
        this.activation = activation;
        weight = param("weight", Tensors.randn(out, in, kernel, kernel));
        this.bias = bias ? param("bias", Tensors.zeros(out)) : null;
        weightGain = 1 / Math.sqrt((double) in * kernel * kernel);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, 1);
    }

    /** {@code gain} multiplies the activation (the residual blocks use sqrt(0.5)). */
    public Tensor forward(Tensor x, double gain) {
        double g = activation.totalGain(gain);
        return MemoryScope.scoped(() -> {
            // act(conv(x, w) + b) * g == act(conv(x, w * g) + b * g) for g > 0: the gain and bias ride on
            // the small weights, and the activation runs in place on the convolution's output
            Tensor w = weight.mul(F.scalar(weightGain * g));
            Tensor b = bias == null ? null : bias.mul(F.scalar(g));
            Tensor y = down ? Resample.conv2dDown(x, w, b, kernel) : F.conv2d(x, w, b, 1, kernel / 2, 1, 1);
            return activation.activateInPlace(y);
        });
    }
}
