package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Layer;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/**
 * Fully connected layer with equalised learning rate: weights stored as N(0, 1) / lrMultiplier
 * and scaled by lrMultiplier / sqrt(in) at run time, so Adam's per-parameter steps are
 * balanced across layers (StyleGAN2's FullyConnectedLayer).
 */
public final class FullyConnected extends Module implements Layer {
    private final Tensor weight;
    private final Tensor bias;
    private final double weightGain;
    private final double biasGain;
    private final Activation activation;

    public FullyConnected(int in, int out, Activation activation, double lrMultiplier, double biasInit) {
        this.activation = activation;
        weight = param("weight", Tensors.randn(out, in).div(F.scalar(lrMultiplier)));
        bias = param("bias", Tensors.zeros(out).add(F.scalar(biasInit)));
        weightGain = lrMultiplier / Math.sqrt(in);
        biasGain = lrMultiplier;
    }

    public FullyConnected(int in, int out, Activation activation) {
        this(in, out, activation, 1, 0);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor w = weight.mul(F.scalar(weightGain));
        Tensor b = biasGain == 1 ? bias : bias.mul(F.scalar(biasGain));
        if (activation == Activation.LINEAR) {
            return F.linear(x, w, b);
        }
        return activation.applyInPlace(F.linear(x, w, null), b, 1);
    }
}
