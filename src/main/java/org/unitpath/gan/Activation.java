package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/** StyleGAN2's bias_act: add a per-channel bias, apply the activation, multiply by its gain. */
public enum Activation {
    LINEAR(1.0),
    /** Leaky ReLU with slope 0.2 and gain sqrt(2), which keeps activations at unit variance. */
    LRELU(Math.sqrt(2.0));

    public final double defaultGain;

    Activation(double defaultGain) {
        this.defaultGain = defaultGain;
    }

    /** The factor applied after the activation: {@code defaultGain * gain}; gain must be positive. */
    public double totalGain(double gain) {
        if (!(gain > 0) || Double.isInfinite(gain)) {
            throw new IllegalArgumentException("activation gain must be finite and > 0, got " + gain);
        }
        return defaultGain * gain;
    }

    /**
     * y = act(x + b) * defaultGain * gain, b broadcast over dimension 1 (null = no bias), computed
     * in place on x, which must be a fresh result (of a convolution, linear layer or product) that
     * no autograd node saved. The gain goes first, as act(v) * g == act(v * g) for g > 0, so the
     * only saved tensor is the activation's own output: no full-size temporaries.
     */
    public Tensor applyInPlace(Tensor x, Tensor bias, double gain) {
        if (bias != null) {
            long[] shape = new long[(int) x.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[1] = -1;
            x = x.add_(bias.reshape(shape));
        }
        double g = totalGain(gain);
        if (g != 1) {
            x = x.mul_(F.scalar(g));
        }
        return activateInPlace(x);
    }

    /** The activation alone, in place on a fresh result (see {@link #applyInPlace}). */
    public Tensor activateInPlace(Tensor x) {
        return this == LRELU ? torch.leaky_relu_(x, F.scalar(0.2)) : x;
    }
}
