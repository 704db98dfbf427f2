package org.unitpath.eval;

import java.util.Map;

/**
 * The metrics of one image (see {@link NucleusMetrics} for the definitions and the empty-image
 * conventions), with the strict PQ counts (class-agnostic and per class) that dataset-level
 * aggregates sum.
 */
public record ImageScores(String name, int truthInstances, int predInstances,
        double dice1, double dice, double dice2, double aji, double ajiPlus,
        double dq, double sq, double pq, double dqInclusive, double sqInclusive, double pqInclusive,
        PqCounts counts, double mpq, Map<Integer, PqCounts> perClass) {
    public ImageScores {
        perClass = Map.copyOf(perClass);
    }

    /** The value of a per-image metric; NaN where it is undefined for this image. */
    public double value(Metric m) {
        return switch (m) {
            case DICE1 -> dice1;
            case DICE -> dice;
            case DICE2 -> dice2;
            case AJI -> aji;
            case AJI_PLUS -> ajiPlus;
            case DQ -> dq;
            case SQ -> sq;
            case PQ -> pq;
            case DQ_INCLUSIVE -> dqInclusive;
            case SQ_INCLUSIVE -> sqInclusive;
            case PQ_INCLUSIVE -> pqInclusive;
            case PRECISION -> counts.precision();
            case RECALL -> counts.recall();
            case F1 -> counts.f1();
            case MPQ -> mpq;
            default -> throw new IllegalArgumentException(m.key() + " is not a per-image metric");
        };
    }
}
