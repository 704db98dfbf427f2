package org.unitpath.seg;

/**
 * One detected instance in whole-image pixel coordinates, as {@link TiledInference} streams
 * them: box (x0, y0, x1, y1), score, class id and mask.
 */
public record ImageInstance(float x0, float y0, float x1, float y1, float score, long category, MaskPatch mask) {
    public double centreX() {
        return ((double) x0 + x1) / 2;
    }

    public double centreY() {
        return ((double) y0 + y1) / 2;
    }
}
