package org.unitpath.masks;

import java.util.SplittableRandom;

/**
 * A gland-like curve: a perturbed ellipse (closed loop around a lumen) or an arc of one (open),
 * sampled densely and walked by arc length.
 */
final class GlandCurve {
    private static final double STEP = 1.0;
    final boolean closed;
    private final double cx;
    private final double cy;
    private final double[] xs;
    private final double[] ys;

    private GlandCurve(boolean closed, double cx, double cy, double[] xs, double[] ys) {
        this.closed = closed;
        this.cx = cx;
        this.cy = cy;
        this.xs = xs;
        this.ys = ys;
    }

    static GlandCurve random(MaskConfig cfg, int canvas, SplittableRandom rng) {
        double rx = cfg.glandRadius().draw(rng);
        double ry = rx * (0.55 + 0.45 * rng.nextDouble());
        double cx = canvas * rng.nextDouble();
        double cy = canvas * rng.nextDouble();
        double rot = Math.PI * rng.nextDouble();
        double[] amp = new double[4];
        double[] phase = new double[4];
        for (int k = 0; k < amp.length; k++) {
            amp[k] = 0.12 * rng.nextGaussian() / (k + 1);
            phase[k] = 2 * Math.PI * rng.nextDouble();
        }
        boolean closed = rng.nextDouble() >= cfg.openGlandShare();
        double t0 = 2 * Math.PI * rng.nextDouble();
        double span = closed ? 2 * Math.PI : 2 * Math.PI * (0.3 + 0.4 * rng.nextDouble());
        int n = (int) Math.ceil(span * Math.max(rx, ry) / STEP) + 2;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            double t = t0 + span * i / (n - 1);
            double r = 1;
            for (int k = 0; k < amp.length; k++) {
                r += amp[k] * Math.cos((k + 2) * t + phase[k]);
            }
            double ex = rx * r * Math.cos(t);
            double ey = ry * r * Math.sin(t);
            xs[i] = cx + ex * Math.cos(rot) - ey * Math.sin(rot);
            ys[i] = cy + ex * Math.sin(rot) + ey * Math.cos(rot);
        }
        return new GlandCurve(closed, cx, cy, xs, ys);
    }

    /** Positions every {@code spacing.draw()} pixels of arc length: {x, y, tangent angle, outward normal angle}. */
    interface Visitor {
        /** Returns the arc length to advance to the next position, or a negative value to stop. */
        double visit(double x, double y, double tangent, double normal);
    }

    void walk(double start, Visitor visitor) {
        double along = 0;
        double next = start;
        for (int i = 1; i < xs.length; i++) {
            double dx = xs[i] - xs[i - 1];
            double dy = ys[i] - ys[i - 1];
            double seg = Math.hypot(dx, dy);
            while (seg > 0 && next <= along + seg) {
                double f = (next - along) / seg;
                double x = xs[i - 1] + f * dx;
                double y = ys[i - 1] + f * dy;
                double tangent = Math.atan2(dy, dx);
                double normal = tangent - Math.PI / 2;
                if (Math.cos(normal) * (x - cx) + Math.sin(normal) * (y - cy) < 0) {
                    normal += Math.PI;
                }
                double step = visitor.visit(x, y, tangent, normal);
                if (step < 0) {
                    return;
                }
                next += Math.max(step, 1e-3);
            }
            along += seg;
        }
    }

    /** Distance from (x, y) to the curve (sampled every few pixels: a slight overestimate is fine). */
    double distance(double x, double y) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < xs.length; i += 3) {
            double d = (xs[i] - x) * (xs[i] - x) + (ys[i] - y) * (ys[i] - y);
            best = Math.min(best, d);
        }
        return Math.sqrt(best);
    }

    /** Smallest distance between the two curves (sampled every few pixels). */
    double closestApproach(GlandCurve other) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < xs.length; i += 4) {
            best = Math.min(best, other.distance(xs[i], ys[i]));
        }
        return best;
    }

    double[] anyPoint() {
        return new double[] {xs[0], ys[0]};
    }

    /** Whether (x, y) lies inside a closed loop (its lumen side). Open arcs have no inside. */
    boolean encloses(double x, double y) {
        if (!closed) {
            return false;
        }
        boolean inside = false;
        for (int i = 0, j = xs.length - 1; i < xs.length; j = i++) {
            if ((ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]) {
                inside = !inside;
            }
        }
        return inside;
    }
}
