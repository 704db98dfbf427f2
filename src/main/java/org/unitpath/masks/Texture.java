package org.unitpath.masks;

import java.util.SplittableRandom;

/**
 * Smooth intra-nuclear texture: two octaves of bilinearly interpolated lattice noise (cells of
 * 4 and 2 px) around a per-nucleus base grey level, clipped to the configured range.
 */
final class Texture {
    private final int x0;
    private final int y0;
    private final double base;
    private final double amplitude;
    private final double[] coarse;
    private final double[] fine;
    private final int coarseW;
    private final int fineW;
    private final int lo;
    private final int hi;
    private static final int COARSE = 4;
    private static final int FINE = 2;

    /** Texture over the box [x0, x0 + w) x [y0, y0 + h), values in {@code range}. */
    Texture(int x0, int y0, int w, int h, Range range, SplittableRandom rng) {
        this.x0 = x0;
        this.y0 = y0;
        lo = (int) range.min();
        hi = (int) range.max();
        double span = range.max() - range.min();
        base = range.min() + span * (0.3 + 0.4 * rng.nextDouble());
        amplitude = span * (0.12 + 0.12 * rng.nextDouble());
        coarseW = w / COARSE + 2;
        fineW = w / FINE + 2;
        coarse = lattice(coarseW * (h / COARSE + 2), rng);
        fine = lattice(fineW * (h / FINE + 2), rng);
    }

    private static double[] lattice(int n, SplittableRandom rng) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    /** The grey level at canvas pixel (x, y), which must lie in the box. */
    int at(int x, int y) {
        double lx = x - x0;
        double ly = y - y0;
        double v = base + amplitude * (sample(coarse, coarseW, lx / COARSE, ly / COARSE)
                + 0.4 * sample(fine, fineW, lx / FINE, ly / FINE));
        return Math.max(lo, Math.min(hi, (int) Math.round(v)));
    }

    private static double sample(double[] grid, int gw, double gx, double gy) {
        int ix = (int) gx;
        int iy = (int) gy;
        double fx = gx - ix;
        double fy = gy - iy;
        int i = iy * gw + ix;
        return (grid[i] * (1 - fx) + grid[i + 1] * fx) * (1 - fy) + (grid[i + gw] * (1 - fx) + grid[i + gw + 1] * fx) * fy;
    }
}
