package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/**
 * Pad, up-sample, FIR-filter and down-sample a batch of images with a separable filter, with
 * the semantics of StyleGAN2-ADA's {@code upfirdn2d} (reference implementation): per channel,
 * insert {@code up - 1} zeros after every pixel, zero-pad (negative padding crops), convolve with
 * the filter (shrinking so every output's footprint lies inside), keep every {@code down}-th
 * pixel. Built from differentiable tensor ops only, so gradients of any order flow to the input.
 * Filters are 1-D taps applied along x and y ({@code f ⊗ f}), each axis scaled by √gain.
 */
public final class Upfirdn2d {
    /** The [1, 3, 3, 1] binomial low-pass filter of StyleGAN2, normalised to unit DC gain. */
    public static final float[] BINOMIAL = normalized(1, 3, 3, 1);

    private Upfirdn2d() {}

    /** The taps divided by their sum, so a constant image keeps its value (StyleGAN2-ADA's {@code setup_filter}). */
    public static float[] normalized(double... taps) {
        if (taps.length == 0) {
            throw new IllegalArgumentException("a filter needs at least one tap");
        }
        double sum = 0;
        for (double t : taps) {
            sum += t;
        }
        if (sum == 0) {
            throw new IllegalArgumentException("cannot normalise a filter whose taps sum to zero");
        }
        float[] out = new float[taps.length];
        for (int i = 0; i < taps.length; i++) {
            out[i] = (float) (taps[i] / sum);
        }
        return out;
    }

    /**
     * The general operation on N x C x H x W. Padding is counted in up-sampled pixels;
     * {@code flipFilter = false} is a true convolution, {@code true} a correlation.
     */
    public static Tensor upfirdn2d(Tensor x, float[] taps, int up, int down, int padX0, int padX1, int padY0, int padY1,
            boolean flipFilter, double gain) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("upfirdn2d expects N x C x H x W, got a " + x.dim() + "-d tensor");
        }
        if (taps == null || taps.length == 0) {
            throw new IllegalArgumentException("upfirdn2d needs a filter with at least one tap");
        }
        if (up < 1 || down < 1) {
            throw new IllegalArgumentException("up and down factors must be >= 1, got up=" + up + " down=" + down);
        }
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        int k = taps.length;
        long paddedW = w * up + padX0 + padX1;
        long paddedH = h * up + padY0 + padY1;
        if (paddedW < k || paddedH < k) {
            throw new IllegalArgumentException("upfirdn2d: the " + h + "x" + w + " input up-sampled by " + up
                    + " and padded (x " + padX0 + "," + padX1 + "; y " + padY0 + "," + padY1 + ") is "
                    + paddedH + "x" + paddedW + ", smaller than the " + k + "-tap filter");
        }
        Tensor y = x;
        if (up > 1) {
            y = torch.constant_pad_nd(y.reshape(n, c, h, 1, w, 1), new long[] {0, up - 1, 0, 0, 0, up - 1}, F.scalar(0.0))
                    .reshape(n, c, h * up, w * up);
        }
        if (padX0 != 0 || padX1 != 0 || padY0 != 0 || padY1 != 0) {
            y = torch.constant_pad_nd(y, new long[] {padX0, padX1, padY0, padY1}, F.scalar(0.0));
        }
        double axisGain = Math.sqrt(gain);
        double[] f = new double[k];
        for (int i = 0; i < k; i++) {
            // conv2d correlates, so a true convolution needs the reversed filter
            f[i] = taps[flipFilter ? i : k - 1 - i] * axisGain;
        }
        Tensor fx = TensorData.like(y, f, 1, 1, 1, k).expand(c, 1, 1, k).contiguous();
        Tensor fy = TensorData.like(y, f, 1, 1, k, 1).expand(c, 1, k, 1).contiguous();
        y = torch.conv2d(y, fx, new TensorOptional(), new long[] {1, down}, new long[] {0, 0}, new long[] {1, 1}, c);
        return torch.conv2d(y, fy, new TensorOptional(), new long[] {down, 1}, new long[] {0, 0}, new long[] {1, 1}, c);
    }

    /** Up-sampling by {@code up} to an output {@code up} times larger (plus {@code padding} on each side). */
    public static Tensor upsample2d(Tensor x, float[] taps, int up, int padding, boolean flipFilter, double gain) {
        int k = taps.length;
        int p0 = padding + (k + up - 1) / 2;
        int p1 = padding + (k - up) / 2;
        return upfirdn2d(x, taps, up, 1, p0, p1, p0, p1, flipFilter, gain * up * up);
    }

    /** Down-sampling by {@code down} to an output {@code down} times smaller; {@code padding} is in input pixels. */
    public static Tensor downsample2d(Tensor x, float[] taps, int down, int padding, boolean flipFilter, double gain) {
        int k = taps.length;
        int p0 = padding + (k - down + 1) / 2;
        int p1 = padding + (k - down) / 2;
        return upfirdn2d(x, taps, 1, down, p0, p1, p0, p1, flipFilter, gain);
    }

    /** Filtering that keeps the size (plus {@code padding} on each side). */
    public static Tensor filter2d(Tensor x, float[] taps, int padding, boolean flipFilter, double gain) {
        int k = taps.length;
        return upfirdn2d(x, taps, 1, 1, padding + k / 2, padding + (k - 1) / 2, padding + k / 2, padding + (k - 1) / 2,
                flipFilter, gain);
    }
}
