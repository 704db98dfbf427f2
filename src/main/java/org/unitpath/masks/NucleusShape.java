package org.unitpath.masks;

import java.util.SplittableRandom;

/**
 * A perturbed ellipse: semi-axes {@code a} (long) and {@code b}, rotation {@code theta}, and a
 * radial boundary r(phi) = 1 + sum_k c_k cos(k phi + p_k) over harmonics k = 2..4, which gives
 * the irregular, convex-ish outlines of real nuclei. A {@code pointiness} below 2 tapers the long
 * ends (spindle nuclei): the shape is |u|^p + v^2 <= r^2 in the rotated, axis-scaled frame.
 */
final class NucleusShape {
    final double cx;
    final double cy;
    final double a;
    final double b;
    private final double pointiness;
    private final double cos;
    private final double sin;
    private final double[] amp;
    private final double[] phaseCos;
    private final double[] phaseSin;
    private final double reach;

    NucleusShape(double cx, double cy, double length, double width, double theta, double pointiness, double noise,
            SplittableRandom rng) {
        this.cx = cx;
        this.cy = cy;
        this.a = length / 2;
        this.b = width / 2;
        this.pointiness = pointiness;
        this.cos = Math.cos(theta);
        this.sin = Math.sin(theta);
        int n = 3;
        amp = new double[n];
        phaseCos = new double[n];
        phaseSin = new double[n];
        double total = 1;
        for (int i = 0; i < n; i++) {
            amp[i] = noise * rng.nextGaussian() / (i + 1);
            double p = 2 * Math.PI * rng.nextDouble();
            phaseCos[i] = Math.cos(p);
            phaseSin[i] = Math.sin(p);
            total += Math.abs(amp[i]);
        }
        reach = Math.max(a, b) * total + 1;
    }

    /** Largest possible distance of the outline from the centre, for bounding boxes. */
    double reach() {
        return reach;
    }

    /** Whether the point (px, py) lies inside. */
    boolean contains(double px, double py) {
        double dx = px - cx;
        double dy = py - cy;
        double u = (dx * cos + dy * sin) / a;
        double v = (-dx * sin + dy * cos) / b;
        double rho2 = u * u + v * v;
        if (rho2 == 0) {
            return true;
        }
        double rho = Math.sqrt(rho2);
        double r = radius(u / rho, v / rho);
        double lhs = pointiness == 2 ? rho2 : Math.pow(Math.abs(u), pointiness) + v * v;
        return lhs <= r * r;
    }

    /** r(phi) from cos(phi), sin(phi); cos(k phi), sin(k phi) come from the angle-addition recurrence. */
    private double radius(double cos1, double sin1) {
        double ck = cos1;
        double sk = sin1;
        double r = 1;
        for (int i = 0; i < amp.length; i++) {
            double c = ck * cos1 - sk * sin1;
            sk = sk * cos1 + ck * sin1;
            ck = c;
            r += amp[i] * (ck * phaseCos[i] - sk * phaseSin[i]);
        }
        return r;
    }
}
