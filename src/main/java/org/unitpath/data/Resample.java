package org.unitpath.data;

import org.unitpath.io.RgbImage;

/** Crop-and-resize of RGB images and label maps, with PIL's pixel-centre conventions. */
public final class Resample {
    private Resample() {}

    /** Nearest neighbour: output pixel d takes source pixel floor((d + 0.5) * in / out). */
    public static RgbImage nearest(RgbImage src, int x, int y, int w, int h, int outW, int outH) {
        byte[] out = new byte[3 * outW * outH];
        int[] sx = nearestIndex(x, w, outW);
        int[] sy = nearestIndex(y, h, outH);
        byte[] in = src.rgb();
        for (int oy = 0; oy < outH; oy++) {
            int row = sy[oy] * src.width();
            for (int ox = 0; ox < outW; ox++) {
                int s = 3 * (row + sx[ox]);
                int d = 3 * (oy * outW + ox);
                out[d] = in[s];
                out[d + 1] = in[s + 1];
                out[d + 2] = in[s + 2];
            }
        }
        return new RgbImage(outW, outH, out);
    }

    /** Nearest-neighbour crop-and-resize of a row-major int map of width {@code mapW}. */
    public static int[] nearest(int[] map, int mapW, int x, int y, int w, int h, int outW, int outH) {
        int[] out = new int[outW * outH];
        int[] sx = nearestIndex(x, w, outW);
        int[] sy = nearestIndex(y, h, outH);
        for (int oy = 0; oy < outH; oy++) {
            int row = sy[oy] * mapW;
            for (int ox = 0; ox < outW; ox++) {
                out[oy * outW + ox] = map[row + sx[ox]];
            }
        }
        return out;
    }

    private static int[] nearestIndex(int start, int len, int outLen) {
        int[] idx = new int[outLen];
        for (int o = 0; o < outLen; o++) {
            idx[o] = start + Math.min(len - 1, (int) ((o + 0.5) * len / outLen));
        }
        return idx;
    }

    /**
     * Bilinear with half-pixel centres; when shrinking by 2x or more the source is first
     * box-averaged by the integer factor, so that fine texture does not alias.
     */
    public static RgbImage bilinear(RgbImage src, int x, int y, int w, int h, int outW, int outH) {
        int f = Math.max(1, Math.min(w / outW, h / outH));
        if (f > 1) {
            src = boxShrink(src, x, y, w - w % f, h - h % f, f);
            x = 0;
            y = 0;
            w = src.width();
            h = src.height();
        }
        byte[] in = src.rgb();
        int sw = src.width();
        byte[] out = new byte[3 * outW * outH];
        for (int oy = 0; oy < outH; oy++) {
            double fy = Math.max(0, Math.min(h - 1, (oy + 0.5) * h / outH - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double wy = fy - y0;
            for (int ox = 0; ox < outW; ox++) {
                double fx = Math.max(0, Math.min(w - 1, (ox + 0.5) * w / outW - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double wx = fx - x0;
                int a = 3 * ((y + y0) * sw + x + x0);
                int b = 3 * ((y + y0) * sw + x + x1);
                int c = 3 * ((y + y1) * sw + x + x0);
                int d = 3 * ((y + y1) * sw + x + x1);
                int o = 3 * (oy * outW + ox);
                for (int ch = 0; ch < 3; ch++) {
                    double top = (in[a + ch] & 0xff) * (1 - wx) + (in[b + ch] & 0xff) * wx;
                    double bottom = (in[c + ch] & 0xff) * (1 - wx) + (in[d + ch] & 0xff) * wx;
                    out[o + ch] = (byte) Math.round(top * (1 - wy) + bottom * wy);
                }
            }
        }
        return new RgbImage(outW, outH, out);
    }

    private static RgbImage boxShrink(RgbImage src, int x, int y, int w, int h, int f) {
        int ow = w / f;
        int oh = h / f;
        byte[] out = new byte[3 * ow * oh];
        int area = f * f;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int ch = 0; ch < 3; ch++) {
                    int sum = 0;
                    for (int dy = 0; dy < f; dy++) {
                        for (int dx = 0; dx < f; dx++) {
                            sum += src.get(x + ox * f + dx, y + oy * f + dy, ch);
                        }
                    }
                    out[3 * (oy * ow + ox) + ch] = (byte) ((sum + area / 2) / area);
                }
            }
        }
        return new RgbImage(ow, oh, out);
    }

    /** Mirrors an RGB image left-right in place. */
    public static void flipHorizontal(RgbImage img) {
        byte[] p = img.rgb();
        int w = img.width();
        for (int y = 0; y < img.height(); y++) {
            for (int l = y * w, r = l + w - 1; l < r; l++, r--) {
                for (int ch = 0; ch < 3; ch++) {
                    byte t = p[3 * l + ch];
                    p[3 * l + ch] = p[3 * r + ch];
                    p[3 * r + ch] = t;
                }
            }
        }
    }

    /** Mirrors a row-major int map left-right in place. */
    public static void flipHorizontal(int[] map, int w) {
        for (int y = 0; y < map.length / w; y++) {
            for (int l = y * w, r = l + w - 1; l < r; l++, r--) {
                int t = map[l];
                map[l] = map[r];
                map[r] = t;
            }
        }
    }
}
