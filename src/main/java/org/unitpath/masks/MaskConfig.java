package org.unitpath.masks;

/**
 * Statistics of the pseudo nucleus masks. Lengths are pixels at 40x (about 0.25 µm/px).
 * Defaults follow the paper's framework figure (7–18 nuclei per 256-px tile, 10–25 % nuclear
 * pixels, stromal nuclei 18–28 px across, epithelial nuclei larger and elongated).
 *
 * @param nucleiPerTile    nuclei per tile-sized area, drawn per canvas
 * @param arrangedShare    share of nuclei that are epithelial ("arranged", blue channel)
 * @param roundDiameter    diameter of round scattered nuclei
 * @param spindleLength    long axis of spindle-shaped scattered nuclei
 * @param spindleWidth     short axis of spindle nuclei
 * @param spindleShare     share of scattered nuclei that are spindles
 * @param arrangedMajor    long axis of epithelial nuclei
 * @param arrangedMinor    short axis of epithelial nuclei
 * @param boundaryNoise    amplitude of the low-frequency radial boundary perturbation (relative)
 * @param glandRadius      radius of gland-like curves
 * @param openGlandShare   share of gland curves that are open arcs rather than closed loops
 * @param texture          grey-level range of the textured fill
 * @param maxOverlap       fraction of a new scattered nucleus that may cover earlier ones
 */
public record MaskConfig(int canvas, int tile, Distribution distribution, Range nucleiPerTile, Range arrangedShare,
        Range roundDiameter, Range spindleLength, Range spindleWidth, double spindleShare, Range arrangedMajor,
        Range arrangedMinor, double boundaryNoise, Range glandRadius, double openGlandShare, Range texture,
        double maxOverlap) {

    public MaskConfig {
        if (tile <= 0 || canvas < tile || canvas % tile != 0) {
            throw new IllegalArgumentException("canvas (" + canvas + ") must be a positive multiple of the tile size (" + tile + ")");
        }
        requireWithin("arranged share", arrangedShare.min(), arrangedShare.max(), 0, 1);
        requireWithin("spindle share", spindleShare, spindleShare, 0, 1);
        requireWithin("open gland share", openGlandShare, openGlandShare, 0, 1);
        requireWithin("boundary noise", boundaryNoise, boundaryNoise, 0, 0.5);
        requireWithin("max overlap", maxOverlap, maxOverlap, 0, 1);
        requireWithin("texture", texture.min(), texture.max(), 1, 255);
        requireWithin("nuclei per tile", nucleiPerTile.min(), nucleiPerTile.max(), 0, 1000);
        for (Range r : new Range[] {roundDiameter, spindleLength, spindleWidth, arrangedMajor, arrangedMinor}) {
            requireWithin("nucleus sizes", r.min(), r.max(), 2, canvas);
        }
        requireWithin("gland radius", glandRadius.min(), glandRadius.max(), 2, 100_000);
    }

    private static void requireWithin(String what, double lo, double hi, double min, double max) {
        if (lo < min || hi > max) {
            throw new IllegalArgumentException(what + " must lie in [" + min + ", " + max + "], got " + lo + ":" + hi);
        }
    }

    public static MaskConfig defaults() {
        return new MaskConfig(1024, 256, Distribution.COLON, new Range(7, 18), new Range(0.35, 0.65),
                new Range(20, 32), new Range(30, 56), new Range(9, 14), 0.3, new Range(36, 60),
                new Range(18, 30), 0.12, new Range(80, 300), 0.3, new Range(60, 170), 0.05);
    }

    public int tilesPerCanvas() {
        int n = canvas / tile;
        return n * n;
    }

    public MaskConfig withCanvas(int c, int t) {
        return new MaskConfig(c, t, distribution, nucleiPerTile, arrangedShare, roundDiameter, spindleLength, spindleWidth,
                spindleShare, arrangedMajor, arrangedMinor, boundaryNoise, glandRadius, openGlandShare, texture, maxOverlap);
    }

    public MaskConfig withDistribution(Distribution d) {
        return new MaskConfig(canvas, tile, d, nucleiPerTile, arrangedShare, roundDiameter, spindleLength, spindleWidth,
                spindleShare, arrangedMajor, arrangedMinor, boundaryNoise, glandRadius, openGlandShare, texture, maxOverlap);
    }

    public MaskConfig withNucleiPerTile(Range r) {
        return new MaskConfig(canvas, tile, distribution, r, arrangedShare, roundDiameter, spindleLength, spindleWidth,
                spindleShare, arrangedMajor, arrangedMinor, boundaryNoise, glandRadius, openGlandShare, texture, maxOverlap);
    }
}
