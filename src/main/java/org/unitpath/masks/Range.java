package org.unitpath.masks;

import java.util.SplittableRandom;

/** A closed interval [min, max] of a statistic, drawn uniformly. */
public record Range(double min, double max) {
    public Range {
        if (!(min <= max) || Double.isNaN(min)) {
            throw new IllegalArgumentException("bad range " + min + ":" + max + " (min must not exceed max)");
        }
    }

    /** Parses {@code "7:18"} or a single value {@code "12"}. */
    public static Range parse(String text) {
        String[] parts = text.trim().split(":");
        try {
            if (parts.length == 1) {
                double v = Double.parseDouble(parts[0]);
                return new Range(v, v);
            }
            if (parts.length == 2) {
                return new Range(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
            }
        } catch (NumberFormatException e) {
            // fall through to the common message
        }
        throw new IllegalArgumentException("bad range '" + text + "': expected MIN:MAX, e.g. 7:18");
    }

    public double draw(SplittableRandom rng) {
        return min == max ? min : min + (max - min) * rng.nextDouble();
    }

    public double mid() {
        return (min + max) / 2;
    }

    @Override
    public String toString() {
        return min == max ? fmt(min) : fmt(min) + ":" + fmt(max);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
