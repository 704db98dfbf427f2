package org.unitpath.nn;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/**
 * BatchNorm with fixed statistics and affine transform, all buffers (Detectron2's
 * {@code FrozenBatchNorm2d}): {@code y = (x - mean) / sqrt(var + eps) * weight + bias}.
 */
public final class FrozenBatchNorm2d extends Module implements Layer {
    public final double eps;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;

    public FrozenBatchNorm2d(int channels) {
        this(channels, 1e-5);
    }

    public FrozenBatchNorm2d(int channels, double eps) {
        this.eps = eps;
        weight = buffer("weight", Tensors.ones(channels));
        bias = buffer("bias", Tensors.zeros(channels));
        runningMean = buffer("running_mean", Tensors.zeros(channels));
        runningVar = buffer("running_var", Tensors.ones(channels));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor scale = weight.mul(runningVar.add(F.scalar(eps)).rsqrt());
        Tensor shift = bias.sub(runningMean.mul(scale));
        return x.mul(scale.reshape(1, -1, 1, 1)).add(shift.reshape(1, -1, 1, 1));
    }
}
