package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;
import org.unitpath.torch.Tensors;

/**
 * StyleGAN2's upfirdn2d with a separable FIR filter: insert up-1 zeros after each pixel, pad
 * (negative = crop), convolve with the filter, keep every down-th pixel. Built from plain tensor
 * ops, so it supports gradients of any order.
 */
public final class Upfirdn2d {
    /** The [1, 3, 3, 1] binomial low-pass filter of StyleGAN2, normalised to unit DC gain. */
    public static final float[] BINOMIAL = normalised(new float[] {1, 3, 3, 1});

    private Upfirdn2d() {}

    public static float[] normalised(float[] taps) {
        float sum = 0;
        for (float t : taps) {
            sum += t;
        }
        float[] out = new float[taps.length];
        for (int i = 0; i < taps.length; i++) {
            out[i] = taps[i] / sum;
        }
        return out;
    }

    /** Padding x0, x1, y0, y1 is with respect to the up-sampled image; gain scales the output. */
    public static Tensor apply(Tensor x, float[] taps, int up, int down, int px0, int px1, int py0, int py1,
            boolean flipFilter, double gain) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        if (up > 1) {
            x = torch.constant_pad_nd(x.reshape(n, c, h, 1, w, 1), new long[] {0, up - 1, 0, 0, 0, up - 1}, F.scalar(0.0))
                    .reshape(n, c, h * up, w * up);
        }
        if (px0 != 0 || px1 != 0 || py0 != 0 || py1 != 0) {
            x = torch.constant_pad_nd(x, new long[] {px0, px1, py0, py1}, F.scalar(0.0));
        }
        int k = taps.length;
        float[] f = new float[k];
        double g = Math.sqrt(gain);
        for (int i = 0; i < k; i++) {
            f[i] = (float) (g * (flipFilter ? taps[i] : taps[k - 1 - i]));
        }
        Tensor filter = Tensors.of(f, 1, 1, 1, k).to(x.device(), x.scalar_type());
        Tensor horizontal = filter.expand(new long[] {c, 1, 1, k}).contiguous();
        Tensor vertical = filter.reshape(1, 1, k, 1).expand(new long[] {c, 1, k, 1}).contiguous();
        x = F.conv2d(x, horizontal, null, 1, 0, 1, (int) c);
        x = F.conv2d(x, vertical, null, 1, 0, 1, (int) c);
        if (down > 1) {
            x = x.slice(2, new org.bytedeco.pytorch.LongOptional(0), new org.bytedeco.pytorch.LongOptional(x.size(2)), down)
                    .slice(3, new org.bytedeco.pytorch.LongOptional(0), new org.bytedeco.pytorch.LongOptional(x.size(3)), down);
        }
        return x;
    }

    /** 2x up-sampling whose output is exactly twice the input size (upfirdn2d.upsample2d). */
    public static Tensor upsample2d(Tensor x, float[] taps) {
        int fw = taps.length;
        int p0 = (fw + 2 - 1) / 2;
        int p1 = (fw - 2) / 2;
        return apply(x, taps, 2, 1, p0, p1, p0, p1, false, 4);
    }

    /** 2x down-sampling whose output is exactly half the input size (upfirdn2d.downsample2d). */
    public static Tensor downsample2d(Tensor x, float[] taps) {
        int fw = taps.length;
        int p0 = (fw - 2 + 1) / 2;
        int p1 = (fw - 2) / 2;
        return apply(x, taps, 1, 2, p0, p1, p0, p1, false, 1);
    }
}
