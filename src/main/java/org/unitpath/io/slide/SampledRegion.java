package org.unitpath.io.slide;

import java.util.Arrays;
import org.unitpath.io.RgbImage;

/**
 * The output of one slide read: a white image of every {@code step}-th pixel of the requested
 * rectangle, filled piece by piece by the decoders.
 */
final class SampledRegion {
    final int x;
    final int y;
    final int step;
    final int width;
    final int height;
    final byte[] rgb;

    SampledRegion(int x, int y, int w, int h, int step) {
        if (w <= 0 || h <= 0 || step <= 0) {
            throw new IllegalArgumentException("read of " + w + "x" + h + " with step " + step);
        }
        this.x = x;
        this.y = y;
        this.step = step;
        this.width = (w + step - 1) / step;
        this.height = (h + step - 1) / step;
        this.rgb = new byte[Math.multiplyExact(3, Math.multiplyExact(width, height))];
        Arrays.fill(rgb, (byte) 255);
    }

    /** The first sampled coordinate at or after {@code from} on the axis starting at {@code origin}. */
    int firstSample(long from, int origin) {
        long k = (from - origin + step - 1) / step;
        return (int) (origin + k * step);
    }

    /** Byte offset of the sampled source pixel (sx, sy) in {@code rgb}. */
    int offset(int sx, int sy) {
        return 3 * (((sy - y) / step) * width + (sx - x) / step);
    }

    RgbImage image() {
        return new RgbImage(width, height, rgb);
    }
}
