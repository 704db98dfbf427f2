package org.unitpath.nn;

/** Builds the normalisation layer named in a config, with Detectron2's names for the kinds. */
public final class Norms {
    public static final int GN_GROUPS = 32;

    private Norms() {}

    public static boolean isNone(String kind) {
        return kind == null || kind.isEmpty() || kind.equals("none");
    }

    /** {@code GN} (GroupNorm with 32 groups), {@code BN}, {@code FrozenBN}, or empty / {@code none} for no norm (null). */
    public static Layer create(String kind, int channels) {
        if (isNone(kind)) {
            return null;
        }
        return switch (kind) {
            case "GN" -> new GroupNorm(GN_GROUPS, channels);
            case "BN" -> new BatchNorm2d(channels);
            case "FrozenBN" -> new FrozenBatchNorm2d(channels);
            default -> throw new IllegalArgumentException("unknown norm '" + kind + "': expected GN, BN, FrozenBN or none");
        };
    }
}
