package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;

/**
 * StyleGAN2's modulated convolution: each sample's weights are scaled per input channel by its
 * style and (optionally) demodulated to unit output variance. The fused form runs one grouped
 * convolution with per-sample weights; the unfused form scales the activations before and
 * after a shared convolution, which is mathematically the same and faster for training.
 */
public final class ModulatedConv {
    private ModulatedConv() {}

    /**
     * @param x       N x I x H x W
     * @param weight  O x I x k x k
     * @param styles  N x I
     * @param up      true for a 2x up-sampling convolution
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor styles, boolean demodulate, boolean up, boolean fused) {
        long n = x.size(0);
        long out = weight.size(0);
        long in = weight.size(1);
        int k = (int) weight.size(2);
        if (styles.size(0) != n || styles.size(1) != in || x.size(1) != in) {
            throw new IllegalArgumentException("modulated conv: x " + java.util.Arrays.toString(x.shape()) + ", weight "
                    + java.util.Arrays.toString(weight.shape()) + ", styles " + java.util.Arrays.toString(styles.shape()));
        }
        Tensor dcoefs = null;
        if (demodulate || fused) {
            Tensor w = weight.unsqueeze(0).mul(styles.reshape(n, 1, in, 1, 1));
            if (demodulate) {
                dcoefs = w.square().sum(new long[] {2, 3, 4}, false, new org.bytedeco.pytorch.ScalarTypeOptional())
                        .add(F.scalar(1e-8)).rsqrt();
            }
            if (fused) {
                if (demodulate) {
                    w = w.mul(dcoefs.reshape(n, out, 1, 1, 1));
                }
                Tensor grouped = x.reshape(1, n * in, x.size(2), x.size(3));
                Tensor wg = w.reshape(n * out, in, k, k);
                Tensor y = up ? Resample.conv2dUp(grouped, wg, k, (int) n)
                        : F.conv2d(grouped, wg, null, 1, k / 2, 1, (int) n);
                return y.reshape(n, out, y.size(2), y.size(3));
            }
        }
        Tensor y = x.mul(styles.reshape(n, in, 1, 1));
        y = up ? Resample.conv2dUp(y, weight, k, 1) : F.conv2d(y, weight, null, 1, k / 2, 1, 1);
        return demodulate ? y.mul(dcoefs.reshape(n, out, 1, 1)) : y;
    }
}
