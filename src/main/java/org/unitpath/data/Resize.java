package org.unitpath.data;

import org.unitpath.io.RgbImage;

/**
 * Resamples a square window of an image to {@code side x side} pixels, separably: area averaging
 * (each output pixel is the exact mean of the source area it covers, partial pixels weighted) when
 * shrinking, bilinear interpolation when enlarging. Source positions outside the image repeat the
 * edge pixels.
 */
final class Resize {
    private Resize() {}

    /**
     * Output pixel (i, j) covers the source area [x + i*scale, x + (i+1)*scale) x [y + j*scale,
     * y + (j+1)*scale), in source pixels (fractional positions allowed).
     */
    static RgbImage window(RgbImage src, double x, double y, double scale, int side) {
        Axis ax = new Axis(x, scale, side, src.width());
        Axis ay = new Axis(y, scale, side, src.height());
        float[] rows = new float[src.height() * side * 3];
        byte[] in = src.rgb();
        for (int r = 0; r < src.height(); r++) {
            int rowIn = 3 * r * src.width();
            int rowOut = 3 * r * side;
            for (int i = 0; i < side; i++) {
                float cr = 0;
                float cg = 0;
                float cb = 0;
                for (int k = ax.start[i]; k < ax.start[i + 1]; k++) {
                    int p = rowIn + 3 * ax.index[k];
                    float w = ax.weight[k];
                    cr += w * (in[p] & 0xff);
                    cg += w * (in[p + 1] & 0xff);
                    cb += w * (in[p + 2] & 0xff);
                }
                rows[rowOut + 3 * i] = cr;
                rows[rowOut + 3 * i + 1] = cg;
                rows[rowOut + 3 * i + 2] = cb;
            }
        }
        byte[] out = new byte[3 * side * side];
        for (int j = 0; j < side; j++) {
            for (int c = 0; c < 3 * side; c++) {
                float v = 0;
                for (int k = ay.start[j]; k < ay.start[j + 1]; k++) {
                    v += ay.weight[k] * rows[3 * side * ay.index[k] + c];
                }
                out[3 * side * j + c] = (byte) Math.max(0, Math.min(255, (int) (v + 0.5f)));
            }
        }
        return new RgbImage(side, side, out);
    }

    /** The source pixels and weights of each output pixel along one axis (compressed rows). */
    private static final class Axis {
        final int[] start;
        final int[] index;
        final float[] weight;

        Axis(double origin, double scale, int n, int size) {
            int taps = (int) Math.ceil(Math.max(scale, 1)) + 2;
            start = new int[n + 1];
            index = new int[n * taps];
            weight = new float[n * taps];
            int k = 0;
            for (int i = 0; i < n; i++) {
                start[i] = k;
                if (scale >= 1) {
                    double a = origin + i * scale;
                    double b = a + scale;
                    for (int p = (int) Math.floor(a); p < b; p++) {
                        double w = Math.min(b, p + 1) - Math.max(a, p);
                        if (w > 1e-9) {
                            index[k] = clamp(p, size);
                            weight[k++] = (float) (w / scale);
                        }
                    }
                } else {
                    double c = origin + (i + 0.5) * scale - 0.5;
                    int p = (int) Math.floor(c);
                    double f = c - p;
                    index[k] = clamp(p, size);
                    weight[k++] = (float) (1 - f);
                    index[k] = clamp(p + 1, size);
                    weight[k++] = (float) f;
                }
            }
            start[n] = k;
        }

        private static int clamp(int p, int size) {
            return Math.max(0, Math.min(size - 1, p));
        }
    }
}
