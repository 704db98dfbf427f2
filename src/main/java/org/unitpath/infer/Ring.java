package org.unitpath.infer;

import java.util.Arrays;

/**
 * A closed polygon ring in image pixel coordinates (x right, y down; pixel (i, j) covers
 * [i, i+1) x [j, j+1)), stored as x0, y0, x1, y1, ... with the first vertex repeated at the end,
 * as GeoJSON writes rings. Immutable.
 */
public final class Ring {
    private final double[] xy;

    /** {@code closedXy}: at least 4 positions, the last equal to the first; copied. */
    public Ring(double[] closedXy) {
        int n = closedXy.length;
        if (n % 2 != 0 || n < 8) {
            throw new IllegalArgumentException("a ring needs at least 4 positions (x, y pairs), got " + n + " values");
        }
        if (closedXy[0] != closedXy[n - 2] || closedXy[1] != closedXy[n - 1]) {
            throw new IllegalArgumentException("a ring must end at its first position");
        }
        this.xy = closedXy.clone();
    }

    /** Positions including the closing repeat. */
    public int size() {
        return xy.length / 2;
    }

    public double x(int i) {
        return xy[2 * i];
    }

    public double y(int i) {
        return xy[2 * i + 1];
    }

    /** A copy of the closed coordinate list x0, y0, ..., x0, y0. */
    public double[] coordinates() {
        return xy.clone();
    }

    /**
     * Shoelace area of the coordinates as written: positive when the ring turns counter-clockwise
     * with the y axis pointing up (RFC 7946's exterior-ring orientation; on a y-down image display
     * such a ring appears clockwise).
     */
    public double signedArea() {
        double twice = 0;
        for (int i = 0; i + 1 < size(); i++) {
            twice += x(i) * y(i + 1) - x(i + 1) * y(i);
        }
        return twice / 2;
    }

    public double perimeter() {
        double length = 0;
        for (int i = 0; i + 1 < size(); i++) {
            length += Math.hypot(x(i + 1) - x(i), y(i + 1) - y(i));
        }
        return length;
    }

    /** Even-odd point-in-polygon test, e.g. for a pixel centre (i + 0.5, j + 0.5). */
    public boolean contains(double px, double py) {
        boolean inside = false;
        for (int i = 0, j = size() - 2; i + 1 < size(); j = i++) {
            double xi = x(i);
            double yi = y(i);
            double xj = x(j);
            double yj = y(j);
            if ((yi > py) != (yj > py) && px < (xj - xi) * (py - yi) / (yj - yi) + xi) {
                inside = !inside;
            }
        }
        return inside;
    }

    /** The same ring traversed the other way. */
    public Ring reversed() {
        double[] out = new double[xy.length];
        for (int i = 0, n = size(); i < n; i++) {
            out[2 * i] = xy[2 * (n - 1 - i)];
            out[2 * i + 1] = xy[2 * (n - 1 - i) + 1];
        }
        return new Ring(out);
    }

    /** Area of the convex hull of the vertices (Andrew's monotone chain). */
    public double convexHullArea() {
        int n = size() - 1;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> x(a) != x(b) ? Double.compare(x(a), x(b)) : Double.compare(y(a), y(b)));
        int[] hull = new int[2 * n + 1];
        int k = 0;
        for (int pass = 0; pass < 2; pass++) {
            int floor = k;
            for (int idx = 0; idx < n; idx++) {
                int p = order[pass == 0 ? idx : n - 1 - idx];
                while (k >= floor + 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) {
                    k--;
                }
                hull[k++] = p;
            }
            k--;
        }
        double twice = 0;
        for (int i = 0; i < k; i++) {
            int a = hull[i];
            int b = hull[(i + 1) % k];
            twice += x(a) * y(b) - x(b) * y(a);
        }
        return Math.abs(twice) / 2;
    }

    private double cross(int o, int a, int b) {
        return (x(a) - x(o)) * (y(b) - y(o)) - (y(a) - y(o)) * (x(b) - x(o));
    }
}
