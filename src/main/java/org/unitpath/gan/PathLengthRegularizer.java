package org.unitpath.gan;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * StyleGAN2's optional path-length regularisation of G: the norm of J_w^T y for random image-space
 * directions y should stay near its running mean (decay 0.01); weight 2, applied lazily.
 */
public final class PathLengthRegularizer extends Module {
    private static final double DECAY = 0.01;
    private final Tensor plMean = buffer("pl_mean", Tensors.zeros());
    private final double weight;

    public PathLengthRegularizer(double weight) {
        this.weight = weight;
    }

    /** The penalty for images {@code img} synthesised from {@code ws} (which must require grad). */
    public Tensor loss(Tensor img, Tensor ws, int interval) {
        Tensor noise = Tensors.randnLike(img, img.shape()).div(F.scalar(Math.sqrt(img.size(2) * img.size(3))));
        TensorVector grads = org.bytedeco.pytorch.global.torch.grad(new TensorVector(img.mul(noise).sum()),
                new TensorVector(ws), new TensorVector(), new BoolOptional(true), true, false);
        var none = new org.bytedeco.pytorch.ScalarTypeOptional();
        Tensor lengths = grads.get(0).square().sum(new long[] {2}, false, none).mean(new long[] {1}, false, none).sqrt();
        Tensor mean = plMean.lerp(lengths.mean(), F.scalar(DECAY));
        try (NoGrad ng = NoGrad.enter()) {
            plMean.copy_(mean.detach());
        }
        return lengths.sub(mean).square().mean().mul(F.scalar(weight * interval));
    }
}
