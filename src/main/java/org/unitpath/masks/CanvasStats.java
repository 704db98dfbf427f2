package org.unitpath.masks;

/**
 * Measured statistics of one canvas: per tile the number of nuclei whose centre lies in it and
 * the nuclear pixel fraction; per nucleus the
 * area, the aspect ratio (from second moments), the class and the distance to the nearest
 * other nucleus centre.
 */
public record CanvasStats(int[] nucleiPerTile, double[] nuclearFraction, int[] area, double[] aspect, int[] classes,
        double[] nearestDistance) {
    public static CanvasStats of(MaskCanvas c, int tile) {
        int size = c.size();
        int k = c.count();
        int[] labels = c.labels();
        int grid = size / tile;
        long[] nuclearPixels = new long[grid * grid];
        double[] n = new double[k + 1];
        double[] sx = new double[k + 1];
        double[] sy = new double[k + 1];
        double[] sxx = new double[k + 1];
        double[] syy = new double[k + 1];
        double[] sxy = new double[k + 1];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int l = labels[y * size + x];
                if (l == 0) {
                    continue;
                }
                nuclearPixels[(y / tile) * grid + x / tile]++;
                n[l]++;
                sx[l] += x;
                sy[l] += y;
                sxx[l] += (double) x * x;
                syy[l] += (double) y * y;
                sxy[l] += (double) x * y;
            }
        }
        int[] perTile = new int[grid * grid];
        double[] fraction = new double[grid * grid];
        for (int t = 0; t < perTile.length; t++) {
            fraction[t] = nuclearPixels[t] / (double) (tile * tile);
        }
        int[] area = new int[k];
        double[] aspect = new double[k];
        int[] classes = new int[k];
        double[] cx = new double[k];
        double[] cy = new double[k];
        for (int l = 1; l <= k; l++) {
            area[l - 1] = (int) n[l];
            cx[l - 1] = sx[l] / n[l];
            cy[l - 1] = sy[l] / n[l];
            double vxx = sxx[l] / n[l] - cx[l - 1] * cx[l - 1];
            double vyy = syy[l] / n[l] - cy[l - 1] * cy[l - 1];
            double vxy = sxy[l] / n[l] - cx[l - 1] * cy[l - 1];
            double mean = (vxx + vyy) / 2;
            double dev = Math.sqrt(Math.max(0, (vxx - vyy) * (vxx - vyy) / 4 + vxy * vxy));
            aspect[l - 1] = Math.sqrt((mean + dev) / Math.max(mean - dev, 1e-6));
            classes[l - 1] = c.classOf(l);
            int tx = Math.min(grid - 1, (int) (cx[l - 1] / tile));
            int ty = Math.min(grid - 1, (int) (cy[l - 1] / tile));
            perTile[ty * grid + tx]++;
        }
        double[] nearest = new double[k];
        for (int i = 0; i < k; i++) {
            double best = Double.MAX_VALUE;
            for (int j = 0; j < k; j++) {
                if (j != i) {
                    best = Math.min(best, (cx[i] - cx[j]) * (cx[i] - cx[j]) + (cy[i] - cy[j]) * (cy[i] - cy[j]));
                }
            }
            nearest[i] = Math.sqrt(best);
        }
        return new CanvasStats(perTile, fraction, area, aspect, classes, nearest);
    }
}
