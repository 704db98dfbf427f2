package org.unitpath.masks;

/** How nuclei are arranged on a canvas (docs/method.md 2.3). */
public enum Distribution {
    /** Epithelial nuclei side by side along gland-like curves around empty lumens, stromal nuclei scattered elsewhere. */
    COLON,
    /** The same nuclei, all placed uniformly at random (the paper's "random" ablation). */
    RANDOM;

    public static Distribution parse(String s) {
        for (Distribution d : values()) {
            if (d.name().equalsIgnoreCase(s.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown distribution '" + s + "': expected colon or random");
    }
}
