package org.unitpath.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.unitpath.io.RgbImage;

/**
 * H&E-like test scenes: dark purple elliptical nuclei (semi-axes 6-11 px, random orientation)
 * with a little noise on a pink background, never touching, with their instance map.
 */
public final class SyntheticNuclei {
    /** An image, its instance map (row-major, 0 = background, 1..count) and the number of nuclei. */
    public record Scene(RgbImage image, int[] labels, int count) {
        /** The image as 3 x H x W floats in [-1, 1] (S's input normalisation). */
        public float[] chw() {
            int n = image.width() * image.height();
            float[] out = new float[3 * n];
            for (int p = 0; p < n; p++) {
                for (int c = 0; c < 3; c++) {
                    out[c * n + p] = ((image.rgb()[3 * p + c] & 0xff) - 127.5f) / 127.5f;
                }
            }
            return out;
        }
    }

    private SyntheticNuclei() {}

    /** About one nucleus per 900 px², placed by rejection sampling with a 4-px gap. */
    public static Scene scene(int width, int height, long seed) {
        Random rnd = new Random(seed);
        int[] labels = new int[width * height];
        List<double[]> placed = new ArrayList<>();
        int target = width * height / 900;
        for (int tries = 0; tries < 40 * target && placed.size() < target; tries++) {
            double a = 6 + rnd.nextDouble() * 5;
            double b = 6 + rnd.nextDouble() * (a - 6);
            double cx = a + 1 + rnd.nextDouble() * (width - 2 * a - 2);
            double cy = a + 1 + rnd.nextDouble() * (height - 2 * a - 2);
            boolean free = placed.stream().noneMatch(p -> Math.hypot(p[0] - cx, p[1] - cy) < p[2] + a + 4);
            if (free) {
                placed.add(new double[] {cx, cy, a, b, rnd.nextDouble() * Math.PI});
            }
        }
        RgbImage img = RgbImage.blank(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int id = 0;
                for (int k = 0; k < placed.size() && id == 0; k++) {
                    double[] p = placed.get(k);
                    double dx = x + 0.5 - p[0];
                    double dy = y + 0.5 - p[1];
                    double u = (dx * Math.cos(p[4]) + dy * Math.sin(p[4])) / p[2];
                    double v = (-dx * Math.sin(p[4]) + dy * Math.cos(p[4])) / p[3];
                    id = u * u + v * v <= 1 ? k + 1 : 0;
                }
                labels[y * width + x] = id;
                int[] base = id > 0 ? new int[] {90, 50, 140} : new int[] {235, 175, 205};
                for (int c = 0; c < 3; c++) {
                    img.set(x, y, c, Math.max(0, Math.min(255, base[c] + (int) Math.round(rnd.nextGaussian() * 8))));
                }
            }
        }
        return new Scene(img, labels, placed.size());
    }
}
