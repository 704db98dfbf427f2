package org.unitpath.data;

import java.io.IOException;
import org.unitpath.io.RgbImage;
import org.unitpath.io.slide.Slide;

/**
 * Finds tissue on a slide from a low-resolution view and answers what fraction of any level-0
 * rectangle is tissue. The view is the coarsest pyramid level at most ~32x (up to 64x) coarser
 * than level 0, read every {@code step}-th pixel when that is still too fine, in bands; images of
 * up to ~1000 px a side are used at full resolution. Level 0 of a large slide is never read whole.
 *
 * <p>A pixel is background when it is near-black (HSV value below 40: black ink, scanner borders)
 * or near-white and grey (value at least 230 and saturation at most a threshold: glass); anything
 * else is tissue, so pale stroma, which is as grey as glass but darker, counts. The saturation
 * threshold, which decides for bright pixels, is Otsu's between glass and tissue, clamped to a
 * sane band; when the histogram has one mode (all tissue, or all glass) fixed thresholds take over.
 */
public final class TissueDetector {
    /** Saturations are on 0..255 (255 = fully saturated). */
    static final int MIN_THRESHOLD = 12;
    static final int MAX_THRESHOLD = 30;
    // a class of pixels whose mean saturation stays below this looks like bare glass
    static final int GLASS_SATURATION = 20;
    static final int BLACK = 40;
    static final int WHITE = 230;
    private static final int MASK_SIDE = 1024;
    private static final int MAX_SUBSAMPLE = 32;
    private static final long BAND_BYTES = 16L << 20;

    private final int width;
    private final int height;
    private final byte[] mask;
    private final double fx;
    private final double fy;
    private final int threshold;

    private TissueDetector(int width, int height, byte[] mask, double fx, double fy, int threshold) {
        this.width = width;
        this.height = height;
        this.mask = mask;
        this.fx = fx;
        this.fy = fy;
        this.threshold = threshold;
    }

    public static TissueDetector detect(Slide slide) throws IOException {
        long side = Math.max(slide.width(0), slide.height(0));
        double want = Math.min(MAX_SUBSAMPLE, Math.max(1.0, (double) side / MASK_SIDE));
        int level = 0;
        for (int l = 1; l < slide.levels(); l++) {
            if (slide.downsample(l) <= 2 * want * 1.01 && slide.downsample(l) > slide.downsample(level)) {
                level = l;
            }
        }
        int step = Math.max(1, (int) Math.floor(want / slide.downsample(level)));
        int lw = slide.width(level);
        int lh = slide.height(level);
        int mw = (lw + step - 1) / step;
        int mh = (lh + step - 1) / step;
        byte[] sat = new byte[Math.multiplyExact(mw, mh)];
        byte[] value = new byte[sat.length];
        long[] hist = new long[256];
        int bandRows = (int) Math.max(1, Math.min(mh, BAND_BYTES / (3L * mw)));
        for (int row = 0; row < mh; row += bandRows) {
            int rows = Math.min(bandRows, mh - row);
            RgbImage band = slide.read(level, 0, row * step, lw, (rows - 1) * step + 1, step);
            byte[] rgb = band.rgb();
            for (int i = 0, p = row * mw; i < rgb.length; i += 3, p++) {
                int r = rgb[i] & 0xff;
                int g = rgb[i + 1] & 0xff;
                int b = rgb[i + 2] & 0xff;
                int max = Math.max(r, Math.max(g, b));
                int s = max == 0 ? 0 : (max - Math.min(r, Math.min(g, b))) * 255 / max;
                sat[p] = (byte) s;
                value[p] = (byte) max;
                if (max >= BLACK) {
                    hist[s]++;
                }
            }
        }
        int t = threshold(hist);
        byte[] mask = new byte[sat.length];
        for (int p = 0; p < mask.length; p++) {
            mask[p] = (byte) (isTissue(sat[p] & 0xff, value[p] & 0xff, t) ? 1 : 0);
        }
        return new TissueDetector(mw, mh, mask, (double) slide.width(0) / mw, (double) slide.height(0) / mh, t);
    }

    /** The classification of one pixel from its HSV saturation and value (both 0..255). */
    static boolean isTissue(int saturation, int value, int threshold) {
        return value >= BLACK && (saturation > threshold || value < WHITE);
    }

    /**
     * Otsu's threshold on the saturation histogram, within [MIN, MAX]; with one mode (the low class
     * is already coloured: no glass; or the high class is still grey: no tissue) a fixed one.
     */
    static int threshold(long[] hist) {
        long n = 0;
        double sum = 0;
        for (int i = 0; i < 256; i++) {
            n += hist[i];
            sum += (double) i * hist[i];
        }
        if (n == 0) {
            return MAX_THRESHOLD;
        }
        long n0 = 0;
        double sum0 = 0;
        double best = -1;
        int t = 0;
        double m0 = 0;
        double m1 = 0;
        for (int i = 0; i < 255; i++) {
            n0 += hist[i];
            sum0 += (double) i * hist[i];
            long n1 = n - n0;
            if (n0 == 0 || n1 == 0) {
                continue;
            }
            double a = sum0 / n0;
            double b = (sum - sum0) / n1;
            double between = (double) n0 * n1 * (a - b) * (a - b);
            if (between > best) {
                best = between;
                t = i;
                m0 = a;
                m1 = b;
            }
        }
        if (best < 0 || m1 < GLASS_SATURATION) {
            return MAX_THRESHOLD;
        }
        if (m0 > GLASS_SATURATION) {
            return MIN_THRESHOLD;
        }
        return Math.max(MIN_THRESHOLD, Math.min(MAX_THRESHOLD, t));
    }

    /** Fraction of tissue in the level-0 rectangle (x, y, w, h): the mask pixels whose centres fall in it. */
    public double fraction(double x, double y, double w, double h) {
        int i0 = (int) Math.max(0, Math.ceil(x / fx - 0.5));
        int i1 = (int) Math.min(width, Math.ceil((x + w) / fx - 0.5));
        int j0 = (int) Math.max(0, Math.ceil(y / fy - 0.5));
        int j1 = (int) Math.min(height, Math.ceil((y + h) / fy - 0.5));
        if (i0 >= i1) {
            i0 = clamp((int) Math.floor((x + w / 2) / fx), width);
            i1 = i0 + 1;
        }
        if (j0 >= j1) {
            j0 = clamp((int) Math.floor((y + h / 2) / fy), height);
            j1 = j0 + 1;
        }
        long tissue = 0;
        for (int j = j0; j < j1; j++) {
            for (int i = i0, p = j * width + i0; i < i1; i++, p++) {
                tissue += mask[p];
            }
        }
        return (double) tissue / ((long) (i1 - i0) * (j1 - j0));
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    /** The saturation threshold used (0..255). */
    public int threshold() {
        return threshold;
    }

    /** Fraction of the whole slide that is tissue. */
    public double tissueFraction() {
        long n = 0;
        for (byte b : mask) {
            n += b;
        }
        return (double) n / mask.length;
    }

    /** Level-0 pixels per mask pixel, horizontally. */
    public double resolution() {
        return fx;
    }
}
