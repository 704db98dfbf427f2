package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/**
 * StyleGAN2's conv2d_resample for the two cases the networks use: a convolution followed by 2x
 * down-sampling, and a 2x up-sampling convolution (transposed convolution + FIR), both with the
 * [1, 3, 3, 1] filter and "same" padding of the kernel.
 */
final class Resample {
    private static final float[] FILTER = Upfirdn2d.BINOMIAL;

    private Resample() {}

    /** Low-pass then strided conv (plus bias, may be null); a 1x1 kernel down-samples first (cheaper, same result). */
    static Tensor conv2dDown(Tensor x, Tensor w, Tensor bias, int kernel) {
        int fw = FILTER.length;
        int pad = kernel / 2;
        int p0 = pad + (fw - 2 + 1) / 2;
        int p1 = pad + (fw - 2) / 2;
        if (kernel == 1) {
            return F.conv2d(Upfirdn2d.upfirdn2d(x, FILTER, 1, 2, p0, p1, p0, p1, false, 1), w, bias, 1, 0, 1, 1);
        }
        return F.conv2d(Upfirdn2d.upfirdn2d(x, FILTER, 1, 1, p0, p1, p0, p1, false, 1), w, bias, 2, 0, 1, 1);
    }

    /**
     * 2x up-sampling convolution of N x I x H x W with weight O x I x k x k (groups = 1): transposed
     * strided convolution, then the FIR filter with gain 4.
     */
    static Tensor conv2dUp(Tensor x, Tensor w, int kernel, int groups) {
        int fw = FILTER.length;
        int pad = kernel / 2;
        int px0 = pad + (fw + 2 - 1) / 2 - (kernel - 1);
        int px1 = pad + (fw - 2) / 2 - (kernel - 2);
        long out = w.size(0);
        long in = w.size(1);
        Tensor wt;
        if (groups == 1) {
            wt = w.transpose(0, 1);
        } else {
            wt = w.reshape(groups, out / groups, in, kernel, kernel).transpose(1, 2)
                    .reshape(groups * in, out / groups, kernel, kernel);
        }
        Tensor y = torch.conv_transpose2d(x, wt, F.opt(null), new long[] {2, 2}, new long[] {0, 0}, new long[] {0, 0},
                groups, 1, 1);
        return Upfirdn2d.upfirdn2d(y, FILTER, 1, 1, px0, px1, px0, px1, false, 4);
    }
}
