package org.unitpath.nn;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/**
 * InstanceNorm2d as PyTorch's default: each sample's channel normalised over its own H x W,
 * no running statistics, and no parameters unless {@code affine} ({@code weight} 1,
 * {@code bias} 0).
 */
public final class InstanceNorm2d extends Module implements Layer {
    public final int channels;
    public final boolean affine;
    public final double eps;
    private final Tensor weight;
    private final Tensor bias;

    public InstanceNorm2d(int channels) {
        this(channels, false, 1e-5);
    }

    public InstanceNorm2d(int channels, boolean affine, double eps) {
        this.channels = channels;
        this.affine = affine;
        this.eps = eps;
        weight = affine ? param("weight", Tensors.ones(channels)) : null;
        bias = affine ? param("bias", Tensors.zeros(channels)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != channels) {
            throw new IllegalArgumentException("InstanceNorm2d(" + channels + ") expects N x " + channels
                    + " x H x W, got " + Arrays.toString(x.shape()));
        }
        return torch.instance_norm(x, F.opt(weight), F.opt(bias), F.opt(null), F.opt(null), true, 0.1, eps, true);
    }
}
