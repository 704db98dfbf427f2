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
        return MemoryScope.scoped(() -> {
            Tensor w = weight.mul(F.scalar(weightGain));
            Tensor y = down ? Resample.conv2dDown(x, w, kernel) : F.conv2d(x, w, null, 1, kernel / 2, 1, 1);
            return activation.apply(y, bias, gain);
        });
    }
}
