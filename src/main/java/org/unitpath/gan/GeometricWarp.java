package org.unitpath.gan;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Executes per-sample inverse affine transforms on images the way StyleGAN2-ADA does: reflect
 * padding wide enough for the transformed corners plus the filter margin, 2x up-sampling with
 * the sym6 wavelet, bilinear resampling, 2x down-sampling with the flipped filter and cropping
 * back to the input size. The orthogonal wavelet makes the up/down round trip (nearly) exact, so
 * pixel-aligned transforms (flips, 90° rotations, integer shifts) move pixels without blurring.
 */
final class GeometricWarp {
    /** Daubechies' symlet-6 low-pass decomposition filter. */
    static final float[] SYM6 = Upfirdn2d.normalized(0.015404109327027373, 0.0034907120842174702, -0.11799011114819057,
            -0.048311742585633, 0.4910559419267466, 0.787641141030194, 0.3379294217276218, -0.07263752278646252,
            -0.021060292512300564, 0.04472490177066578, 0.0017677118642428036, -0.007800708325034148);
    private static final int FILTER_PAD = SYM6.length / 4;

    private GeometricWarp() {}

    /**
     * Warps N x C x H x W images; {@code gInv[i]} (3 x 3) maps an output pixel's centred
     * coordinates (x right, y down, origin at the image centre) to the input's.
     */
    static Tensor warp(Tensor images, double[][][] gInv) {
        long n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
        if (gInv.length != n) {
            throw new IllegalArgumentException("need one 3x3 transform per image: " + n + " images, " + gInv.length + " transforms");
        }
        int[] margin = margins(gInv, h, w);
        int mx0 = margin[0], my0 = margin[1], mx1 = margin[2], my1 = margin[3];
        Tensor x = images;
        if (mx0 != 0 || mx1 != 0 || my0 != 0 || my1 != 0) {
            x = torch.reflection_pad2d(x, mx0, mx1, my0, my1);
        }
        x = Upfirdn2d.upsample2d(x, SYM6, 2, 0, false, 1);
        long outH = (h + FILTER_PAD * 2) * 2;
        long outW = (w + FILTER_PAD * 2) * 2;
        double[] theta = new double[(int) n * 6];
        for (int i = 0; i < n; i++) {
            double[][] g = Homogeneous.mul(Homogeneous.translate2d((mx0 - mx1) / 2.0, (my0 - my1) / 2.0), gInv[i]);
            g = Homogeneous.mul(Homogeneous.mul(Homogeneous.scale2d(2, 2), g), Homogeneous.scale2d(0.5, 0.5));
            g = Homogeneous.mul(Homogeneous.mul(Homogeneous.translate2d(-0.5, -0.5), g), Homogeneous.translate2d(0.5, 0.5));
            g = Homogeneous.mul(Homogeneous.mul(Homogeneous.scale2d(2.0 / x.size(3), 2.0 / x.size(2)), g),
                    Homogeneous.scale2d(outW / 2.0, outH / 2.0));
            for (int r = 0; r < 2; r++) {
                System.arraycopy(g[r], 0, theta, i * 6 + r * 3, 3);
            }
        }
        Tensor grid = torch.affine_grid_generator(TensorData.like(images, theta, n, 2, 3), new long[] {n, c, outH, outW}, false);
        x = BilinearSampler.sample(x, grid);
        return Upfirdn2d.downsample2d(x, SYM6, 2, -FILTER_PAD * 2, true, 1);
    }

    /** Reflect padding [x0, y0, x1, y1] that covers every transformed corner plus the filter margin. */
    static int[] margins(double[][][] gInv, long h, long w) {
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        double[][] corners = {{-cx, -cy}, {cx, -cy}, {cx, cy}, {-cx, cy}};
        double[] m = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[][] g : gInv) {
            if (g.length != 3 || g[0].length != 3 || g[1].length != 3) {
                throw new IllegalArgumentException("geometric transforms must be 3x3, got " + Arrays.deepToString(g));
            }
            for (double[] p : corners) {
                double px = g[0][0] * p[0] + g[0][1] * p[1] + g[0][2];
                double py = g[1][0] * p[0] + g[1][1] * p[1] + g[1][2];
                m[0] = Math.max(m[0], -px);
                m[1] = Math.max(m[1], -py);
                m[2] = Math.max(m[2], px);
                m[3] = Math.max(m[3], py);
            }
        }
        int[] out = new int[4];
        for (int k = 0; k < 4; k++) {
            boolean isX = k % 2 == 0;
            double v = m[k] + FILTER_PAD * 2 - (isX ? cx : cy);
            v = Math.min(Math.max(v, 0), isX ? w - 1 : h - 1);
            out[k] = (int) Math.ceil(v);
        }
        return out;
    }
}
