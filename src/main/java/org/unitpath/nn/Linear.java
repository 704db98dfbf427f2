package org.unitpath.nn;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/** Fully connected layer {@code y = x W^T + b} with PyTorch's default initialisation. */
public final class Linear extends Module implements Layer {
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int in, int out) {
        this(in, out, true);
    }

    public Linear(int in, int out, boolean withBias) {
        weight = param("weight", Tensors.empty(out, in));
        double bound = 1.0 / Math.sqrt(in);
        Init.uniform(weight, -bound, bound);
        bias = withBias ? Init.uniform(param("bias", Tensors.empty(out)), -bound, bound) : null;
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.linear(x, weight, bias);
    }
}
