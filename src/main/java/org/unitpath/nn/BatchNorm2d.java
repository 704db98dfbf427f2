package org.unitpath.nn;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/** BatchNorm2d with PyTorch's parameters and buffers (running_mean, running_var, num_batches_tracked). */
public final class BatchNorm2d extends Module implements Layer {
    public final double eps;
    public final double momentum;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;

    public BatchNorm2d(int channels) {
        this(channels, 1e-5, 0.1);
    }

    public BatchNorm2d(int channels, double eps, double momentum) {
        this.eps = eps;
        this.momentum = momentum;
        weight = param("weight", Tensors.ones(channels));
        bias = param("bias", Tensors.zeros(channels));
        runningMean = buffer("running_mean", Tensors.zeros(channels));
        runningVar = buffer("running_var", Tensors.ones(channels));
        batchesTracked = buffer("num_batches_tracked",
                torch.zeros(new long[] {}, new TensorOptions(torch.ScalarType.Long)));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (isTraining()) {
            try (NoGrad ng = NoGrad.enter()) {
                batchesTracked.add_(F.scalar(1));
            }
        }
        return F.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps);
    }
}
