package org.unitpath.io.coco;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A COCO polygon segmentation: one or more rings of {x0, y0, x1, y1, ...} in pixel coordinates
 * (pixel centres at integer + 0.5 ... as COCO draws them). Rasterised exactly as pycocotools'
 * {@code frPyObjects} does: every ring through {@code rleFrPoly}, the rings' masks united.
 */
public record Polygons(List<double[]> rings) implements CocoSegmentation {
    private static final double SCALE = 5;

    public Polygons {
        rings = List.copyOf(rings);
        if (rings.isEmpty()) {
            throw new IllegalArgumentException("a polygon segmentation needs at least one polygon");
        }
        for (int i = 0; i < rings.size(); i++) {
            double[] r = rings.get(i);
            if (r.length % 2 != 0 || r.length < 6) {
                throw new IllegalArgumentException("polygon " + i + " has " + r.length
                        + " numbers; a polygon needs an even number of coordinates and at least 3 points");
            }
            for (double v : r) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("polygon " + i + " has a coordinate that is not a finite number");
                }
            }
        }
    }

    /** A box {x, y, w, h} as the 4-corner polygon pycocotools' {@code loadRes} gives box-only results. */
    public static Polygons ofBox(double[] box) {
        double x1 = box[0];
        double y1 = box[1];
        double x2 = box[0] + box[2];
        double y2 = box[1] + box[3];
        return new Polygons(List.of(new double[] {x1, y1, x1, y2, x2, y2, x2, y1}));
    }

    @Override
    public Rle toRle(int width, int height) {
        List<Rle> parts = new ArrayList<>(rings.size());
        for (double[] ring : rings) {
            parts.add(ring(ring, height, width));
        }
        return Rle.merge(parts, false);
    }

    /**
     * pycocotools' {@code rleFrPoly}: walk the outline on a 5x finer grid, keep the points where
     * it crosses a pixel-centre column, and turn those y-boundaries into column-major runs.
     */
    static Rle ring(double[] xy, int h, int w) {
        int k = xy.length / 2;
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            x[j] = (int) (SCALE * xy[2 * j] + .5);
            y[j] = (int) (SCALE * xy[2 * j + 1] + .5);
        }
        x[k] = x[0];
        y[k] = y[0];
        int m = 0;
        for (int j = 0; j < k; j++) {
            m += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
        }
        int[] u = new int[m];
        int[] v = new int[m];
        m = 0;
        for (int j = 0; j < k; j++) {
            int xs = x[j];
            int xe = x[j + 1];
            int ys = y[j];
            int ye = y[j + 1];
            int dx = Math.abs(xe - xs);
            int dy = Math.abs(ys - ye);
            boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) {
                int t = xs;
                xs = xe;
                xe = t;
                t = ys;
                ys = ye;
                ye = t;
            }
            double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
            if (dx >= dy) {
                for (int d = 0; d <= dx; d++) {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = (int) (ys + s * t + .5);
                    m++;
                }
            } else {
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = (int) (xs + s * t + .5);
                    m++;
                }
            }
        }
        long[] a = new long[m + 1];
        int n = 0;
        for (int j = 1; j < m; j++) {
            if (u[j] != u[j - 1]) {
                double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
                xd = (xd + .5) / SCALE - .5;
                if (Math.floor(xd) != xd || xd < 0 || xd > w - 1) {
                    continue;
                }
                double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
                yd = (yd + .5) / SCALE - .5;
                if (yd < 0) {
                    yd = 0;
                } else if (yd > h) {
                    yd = h;
                }
                yd = Math.ceil(yd);
                a[n++] = (long) xd * h + (long) yd;
            }
        }
        a[n++] = (long) h * w;
        Arrays.sort(a, 0, n);
        long p = 0;
        for (int j = 0; j < n; j++) {
            long t = a[j];
            a[j] -= p;
            p = t;
        }
        int[] b = new int[n];
        int j = 0;
        m = 0;
        b[m++] = (int) a[j++];
        while (j < n) {
            if (a[j] > 0) {
                b[m++] = (int) a[j++];
            } else {
                j++;
                if (j < n) {
                    b[m - 1] += (int) a[j++];
                }
            }
        }
        return new Rle(h, w, Arrays.copyOf(b, m));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Polygons p) || p.rings.size() != rings.size()) {
            return false;
        }
        for (int i = 0; i < rings.size(); i++) {
            if (!Arrays.equals(rings.get(i), p.rings.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (double[] r : rings) {
            h = 31 * h + Arrays.hashCode(r);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Polygons[");
        for (double[] r : rings) {
            s.append(Arrays.toString(r));
        }
        return s.append(']').toString();
    }
}
