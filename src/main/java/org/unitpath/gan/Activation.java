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

    /** y = act(x + b) * defaultGain * gain, with b broadcast over dimension 1 (null = no bias). */
    public Tensor apply(Tensor x, Tensor bias, double gain) {
        if (bias != null) {
            long[] shape = new long[(int) x.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[1] = -1;
            x = x.add(bias.reshape(shape));
        }
        if (this == LRELU) {
            x = torch.leaky_relu(x, F.scalar(0.2));
        }
        double g = defaultGain * gain;
        return g == 1 ? x : x.mul(F.scalar(g));
    }
}
