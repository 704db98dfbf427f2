package org.unitpath.seg;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.Tensors;

/** Synthetic tiling scenes: dark discs of distinct grey levels on white, never touching. */
final class Discs {
    record Disc(int cx, int cy, int r, float value) {
        boolean contains(int x, int y) {
            return (long) (x - cx) * (x - cx) + (long) (y - cy) * (y - cy) <= (long) r * r;
        }

        /** The tight box (x0, y0, x1, y1) of the disc's pixels. */
        float[] box() {
            return new float[] {cx - r, cy - r, cx + r + 1, cy + r + 1};
        }
    }

    final int width;
    final int height;
    final List<Disc> discs;

    private Discs(int width, int height, List<Disc> discs) {
        this.width = width;
        this.height = height;
        this.discs = List.copyOf(discs);
    }

    /**
     * Discs of radius 4..8 inside a width x height image: first on the {@code lines} (any x or y
     * listed, e.g. tile edges and core boundaries), then on a lattice of step 20; a candidate
     * closer than 3 px to an accepted disc is skipped.
     */
    static Discs scene(int width, int height, int... lines) {
        List<int[]> candidates = new ArrayList<>();
        for (int line : lines) {
            for (int t = 10; t < Math.max(width, height); t += 22) {
                candidates.add(new int[] {line, t});
                candidates.add(new int[] {t, line});
            }
        }
        for (int y = 10; y < height; y += 20) {
            for (int x = 10; x < width; x += 20) {
                candidates.add(new int[] {x, y});
            }
        }
        List<int[]> accepted = new ArrayList<>();
        for (int[] c : candidates) {
            int r = 4 + (c[0] * 7 + c[1] * 3) % 5;
            if (c[0] - r < 0 || c[1] - r < 0 || c[0] + r >= width || c[1] + r >= height) {
                continue;
            }
            boolean free = true;
            for (int[] a : accepted) {
                double d = Math.hypot(a[0] - c[0], a[1] - c[1]);
                free &= d > a[2] + r + 3;
            }
            if (free) {
                accepted.add(new int[] {c[0], c[1], r});
            }
        }
        List<Disc> discs = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            int[] a = accepted.get(i);
            discs.add(new Disc(a[0], a[1], a[2], -0.2f - 0.75f * i / accepted.size()));
        }
        return new Discs(width, height, discs);
    }

    /** The whole image, 3 x height x width in [-1, 1]. */
    Tensor image() {
        return region(0, 0, width, height);
    }

    /** The whole image's grey values, row-major. */
    float[] grey() {
        return grey(0, 0, width, height);
    }

    /** The rectangle (x, y, w, h) as 3 x h x w. */
    Tensor region(int x, int y, int w, int h) {
        float[] g = grey(x, y, w, h);
        float[] rgb = new float[3 * g.length];
        for (int c = 0; c < 3; c++) {
            System.arraycopy(g, 0, rgb, c * g.length, g.length);
        }
        return Tensors.of(rgb, 3, h, w);
    }

    /** Grey values of the rectangle, painted from the discs that reach into it only. */
    private float[] grey(int x, int y, int w, int h) {
        float[] g = new float[w * h];
        java.util.Arrays.fill(g, 1f);
        for (Disc d : discs) {
            for (int py = Math.max(y, d.cy() - d.r()); py <= Math.min(y + h - 1, d.cy() + d.r()); py++) {
                for (int px = Math.max(x, d.cx() - d.r()); px <= Math.min(x + w - 1, d.cx() + d.r()); px++) {
                    if (d.contains(px, py)) {
                        g[(py - y) * w + px - x] = d.value();
                    }
                }
            }
        }
        return g;
    }
}
