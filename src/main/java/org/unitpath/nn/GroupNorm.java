package org.unitpath.nn;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/** GroupNorm with per-channel affine {@code weight} (1) and {@code bias} (0). */
public final class GroupNorm extends Module implements Layer {
    public final int groups;
    public final double eps;
    private final Tensor weight;
    private final Tensor bias;

    public GroupNorm(int groups, int channels) {
        this(groups, channels, 1e-5);
    }

    public GroupNorm(int groups, int channels, double eps) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException("GroupNorm: " + channels + " channels not divisible into " + groups + " groups");
        }
        this.groups = groups;
        this.eps = eps;
        weight = param("weight", Tensors.ones(channels));
        bias = param("bias", Tensors.zeros(channels));
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.groupNorm(x, groups, weight, bias, eps);
    }
}
