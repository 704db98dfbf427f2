package org.unitpath.masks;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthesises pseudo nucleus mask canvases (docs/method.md 2.3). Each canvas depends only on the
 * seed and its index, so output is identical whatever the thread count.
 */
public final class MaskGenerator {
    private static final double COLUMNAR_SHARE = 0.85;
    private static final double SPINDLE_POINTINESS = 1.4;
    private static final double ARRANGED_OVERLAP = 0.25;
    private static final int MAX_GLANDS = 8;
    private static final int ATTEMPTS_PER_NUCLEUS = 40;

    private final MaskConfig cfg;
    private final long seed;

    public MaskGenerator(MaskConfig cfg, long seed) {
        this.cfg = cfg;
        this.seed = seed;
    }

    public MaskConfig config() {
        return cfg;
    }

    public MaskCanvas generate(long index) {
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 1);
        int size = cfg.canvas();
        MaskCanvas canvas = new MaskCanvas(size);
        int target = (int) Math.round(cfg.nucleiPerTile().draw(rng) * cfg.tilesPerCanvas());
        int arranged = (int) Math.round(target * cfg.arrangedShare().draw(rng));
        List<GlandCurve> glands = new ArrayList<>();
        int placed = cfg.distribution() == Distribution.COLON
                ? placeAlongGlands(canvas, arranged, glands, rng)
                : placeUniformly(canvas, arranged, true, glands, rng);
        placeUniformly(canvas, target - placed, false, glands, rng);
        canvas.finish();
        return canvas;
    }

    private int placeAlongGlands(MaskCanvas canvas, int wanted, List<GlandCurve> glands, SplittableRandom rng) {
        int[] placed = {0};
        for (int g = 0; g < MAX_GLANDS && placed[0] < wanted; g++) {
            GlandCurve curve = separatedGland(canvas.size, glands, rng);
            if (curve == null) {
                break;
            }
            glands.add(curve);
            curve.walk(rng.nextDouble() * 20, (x, y, tangent, normal) -> {
                if (placed[0] >= wanted) {
                    return -1;
                }
                double major = cfg.arrangedMajor().draw(rng);
                double minor = cfg.arrangedMinor().draw(rng);
                boolean columnar = rng.nextDouble() < COLUMNAR_SHARE;
                double jitter = 2 * (rng.nextDouble() - 0.5) * 2;
                double px = x + jitter * Math.cos(normal);
                double py = y + jitter * Math.sin(normal);
                NucleusShape s = new NucleusShape(px, py, major, minor, columnar ? normal : tangent, 2,
                        cfg.boundaryNoise(), rng);
                if (paint(canvas, s, MaskCanvas.ARRANGED, ARRANGED_OVERLAP, rng)) {
                    placed[0]++;
                }
                return (columnar ? minor : major) * (0.95 + 0.25 * rng.nextDouble());
            });
        }
        return placed[0];
    }

    /** A new gland curve that keeps clear of the existing ones, or null when none fits. */
    private GlandCurve separatedGland(int size, List<GlandCurve> glands, SplittableRandom rng) {
        double clearance = cfg.arrangedMajor().max() * 1.5;
        for (int attempt = 0; attempt < 20; attempt++) {
            GlandCurve c = GlandCurve.random(cfg, size, rng);
            boolean clear = true;
            for (GlandCurve other : glands) {
                if (c.closestApproach(other) < clearance || other.encloses(c.anyPoint()[0], c.anyPoint()[1])
                        || c.encloses(other.anyPoint()[0], other.anyPoint()[1])) {
                    clear = false;
                    break;
                }
            }
            if (clear) {
                return c;
            }
        }
        return null;
    }

    /** Places {@code wanted} nuclei at uniform positions outside gland lumens and epithelial bands. */
    private int placeUniformly(MaskCanvas canvas, int wanted, boolean arranged, List<GlandCurve> glands,
            SplittableRandom rng) {
        double band = cfg.arrangedMajor().max() / 2 + 4;
        int placed = 0;
        for (int attempt = 0; attempt < wanted * ATTEMPTS_PER_NUCLEUS && placed < wanted; attempt++) {
            double x = canvas.size * rng.nextDouble();
            double y = canvas.size * rng.nextDouble();
            if (canvas.occupied((int) x, (int) y) || inGland(glands, x, y, band)) {
                continue;
            }
            double theta = Math.PI * rng.nextDouble();
            NucleusShape s;
            if (arranged) {
                s = new NucleusShape(x, y, cfg.arrangedMajor().draw(rng), cfg.arrangedMinor().draw(rng), theta, 2,
                        cfg.boundaryNoise(), rng);
            } else if (rng.nextDouble() < cfg.spindleShare()) {
                s = new NucleusShape(x, y, cfg.spindleLength().draw(rng), cfg.spindleWidth().draw(rng), theta,
                        SPINDLE_POINTINESS, cfg.boundaryNoise(), rng);
            } else {
                double d = cfg.roundDiameter().draw(rng);
                s = new NucleusShape(x, y, d, d * (0.8 + 0.2 * rng.nextDouble()), theta, 2, cfg.boundaryNoise(), rng);
            }
            if (paint(canvas, s, arranged ? MaskCanvas.ARRANGED : MaskCanvas.SCATTERED, cfg.maxOverlap(), rng)) {
                placed++;
            }
        }
        return placed;
    }

    private static boolean inGland(List<GlandCurve> glands, double x, double y, double band) {
        for (GlandCurve g : glands) {
            if (g.encloses(x, y) || g.distance(x, y) < band) {
                return true;
            }
        }
        return false;
    }

    private boolean paint(MaskCanvas canvas, NucleusShape s, int cls, double maxOverlap, SplittableRandom rng) {
        int r = (int) Math.ceil(s.reach());
        int x0 = (int) Math.floor(s.cx) - r;
        int y0 = (int) Math.floor(s.cy) - r;
        Texture t = new Texture(x0, y0, 2 * r + 3, 2 * r + 3, cfg.texture(), rng);
        return canvas.paint(s, cls, t, maxOverlap);
    }
}
