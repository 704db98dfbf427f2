package org.unitpath.gan;

import java.util.function.DoubleUnaryOperator;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * StyleGAN2's path-length regularisation of G (StyleGAN2-ADA {@code loss.py}, phase {@code Gpl}):
 * the length of J_w^T y for a random image-space direction y, y ~ N(0, I) / sqrt(H W), should
 * stay near its running mean {@code pl_mean} (decay 0.01). The penalty is
 * (length - pl_mean)^2 * weight, batch mean, times the lazy interval (the phase's gain).
 */
public final class PathLengthRegularizer extends Module {
    public static final double DECAY = 0.01;
    /** SG2ADA's {@code pl_batch_shrink}: the phase runs on half the batch. */
    public static final int BATCH_SHRINK = 2;
    private final Tensor plMean = buffer("pl_mean", Tensors.zeros());
    private final double weight;

    public PathLengthRegularizer(double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("path-length weight must be finite and >= 0, got " + weight);
        }
        this.weight = weight;
    }

    public double weight() {
        return weight;
    }

    /** The running mean of path lengths (0 before the first step). */
    public double mean() {
        return plMean.item_double();
    }

    /** Continues from a {@link #mean()} saved by an earlier run. */
    public void restore(double mean) {
        try (NoGrad ng = NoGrad.enter()) {
            plMean.fill_(F.scalar(mean));
        }
    }

    /** One process's penalty: see {@link #loss(Tensor, Tensor, int, DoubleUnaryOperator)}. */
    public Tensor loss(Tensor img, Tensor ws, int interval) {
        return loss(img, ws, interval, DoubleUnaryOperator.identity());
    }

    /**
     * The penalty for images {@code img} synthesised from {@code ws} (part of the graph that made
     * {@code img}). {@code meanOverProcesses} maps this process's mean length to the mean over all
     * processes, so that every rank keeps the same {@code pl_mean} (SG2ADA keeps one per process;
     * one shared value lets rank 0's checkpoint resume every rank exactly). The gradient still
     * flows through this process's lengths only, which after gradient averaging is the gradient
     * of the penalty over the whole batch.
     */
    public Tensor loss(Tensor img, Tensor ws, int interval, DoubleUnaryOperator meanOverProcesses) {
        Tensor noise = Tensors.randnLike(img, img.shape()).div(F.scalar(Math.sqrt(img.size(2) * img.size(3))));
        TensorVector grads = torch.grad(new TensorVector(img.mul(noise).sum()), new TensorVector(ws), new TensorVector(),
                new BoolOptional(true), true, false);
        ScalarTypeOptional none = new ScalarTypeOptional();
        Tensor lengths = grads.get(0).square().sum(new long[] {2}, false, none).mean(new long[] {1}, false, none).sqrt();
        Tensor local = lengths.mean();
        double localValue = local.item_double();
        double global = meanOverProcesses.applyAsDouble(localValue);
        Tensor batchMean = global == localValue ? local : local.add(F.scalar(global - localValue));
        Tensor mean = plMean.lerp(batchMean, F.scalar(DECAY));
        try (NoGrad ng = NoGrad.enter()) {
            plMean.copy_(mean.detach());
        }
        Tensor penalty = lengths.sub(mean).square().mul(F.scalar(weight));
        // SG2ADA adds gen_img[:, 0, 0, 0] * 0: every parameter behind the image gets a defined (zero) gradient
        Tensor zero = img.select(1, 0).select(1, 0).select(1, 0).mul(F.scalar(0.0));
        return zero.add(penalty).mean().mul(F.scalar((double) interval));
    }
}
