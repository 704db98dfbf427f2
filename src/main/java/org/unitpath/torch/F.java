package org.unitpath.torch;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/**
 * Functional operations with PyTorch's names and argument order ({@code torch.nn.functional}),
 * hiding libtorch's optional wrappers. A {@code null} tensor argument means "absent".
 */
public final class F {
    private F() {}

    public static TensorOptional opt(Tensor t) {
        return t == null ? new TensorOptional() : new TensorOptional(t);
    }

    public static Scalar scalar(double v) {
        return new Scalar(v);
    }

    /** An integer scalar: keeps integer tensors integer (a double scalar would promote them to float). */
    public static Scalar scalar(long v) {
        return new Scalar(v);
    }

    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return torch.conv2d(x, weight, opt(bias), new long[] {stride, stride}, new long[] {padding, padding},
                new long[] {dilation, dilation}, groups);
    }

    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return torch.linear(x, weight, opt(bias));
    }

    public static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        return torch.group_norm(x, groups, opt(weight), opt(bias), eps, true);
    }

    /** Batch normalisation; in training mode it updates the running statistics in place. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        return torch.batch_norm(x, opt(weight), opt(bias), opt(runningMean), opt(runningVar), training, momentum, eps, true);
    }

    public static Tensor relu(Tensor x) {
        return torch.relu(x);
    }

    /** In-place ReLU, for activations whose input autograd does not need. */
    public static Tensor relu_(Tensor x) {
        return torch.relu_(x);
    }

    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return torch.max_pool2d(x, new long[] {kernel, kernel}, new long[] {stride, stride},
                new long[] {padding, padding}, new long[] {1, 1}, false);
    }

    /**
     * Nearest-neighbour up-sampling of N x C x H x W by an integer factor, equal to PyTorch's
     * {@code interpolate(scale_factor=factor, mode="nearest")}. Written as a broadcast view
     * because libtorch 2.10's upsample_nearest2d kernel is several times slower on CPU.
     */
    public static Tensor upsampleNearest(Tensor x, int factor) {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        return x.reshape(n, c, h, 1, w, 1).expand(new long[] {n, c, h, factor, w, factor})
                .reshape(n, c, h * factor, w * factor);
    }

    /** Global average pooling N x C x H x W to N x C. */
    public static Tensor globalAvgPool(Tensor x) {
        return x.mean(new long[] {2, 3}, false, new org.bytedeco.pytorch.ScalarTypeOptional());
    }
}
