package org.unitpath.seg;

/**
 * An instance mask stored only over its bounding rectangle (x, y, width, height) in image
 * pixels, so a slide's nuclei cost their own area rather than the image's. Immutable.
 */
public final class MaskPatch {
    public final int x;
    public final int y;
    public final int width;
    public final int height;
    private final boolean[] bits;

    /** {@code bits}: row-major, width x height, copied. */
    public MaskPatch(int x, int y, int width, int height, boolean[] bits) {
        if (width < 0 || height < 0 || bits.length != (long) width * height) {
            throw new IllegalArgumentException("mask patch " + width + "x" + height + " cannot hold " + bits.length + " values");
        }
        this.x = x;
        this.y = y;
        this.width = width;
        this.height = height;
        this.bits = bits.clone();
    }

    /** Whether image pixel (px, py) belongs to the mask (false outside the patch). */
    public boolean contains(int px, int py) {
        int cx = px - x;
        int cy = py - y;
        return cx >= 0 && cy >= 0 && cx < width && cy < height && bits[cy * width + cx];
    }

    public long area() {
        long n = 0;
        for (boolean b : bits) {
            if (b) {
                n++;
            }
        }
        return n;
    }

    /** A copy of the patch's values, row-major. */
    public boolean[] toArray() {
        return bits.clone();
    }
}
