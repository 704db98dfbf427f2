package org.unitpath.data;

import java.util.Locale;

/** {@code CYCLE.SEG_GUIDE_STRATEGY}: what supervision S gets on G's images. */
public enum SegGuide {
    /** Instance segmentation guidance: Mask R-CNN losses against the mask's nuclei. */
    ISG,
    /** Semantic segmentation guidance: a nucleus / background map. */
    SSG,
    /** No segmentation head. */
    NONE;

    public static SegGuide parse(String s) {
        String k = s.trim().toUpperCase(Locale.ROOT);
        return switch (k) {
            case "ISG" -> ISG;
            case "SSG" -> SSG;
            case "NONE", "" -> NONE;
            default -> throw new IllegalArgumentException("unknown segmentation guide '" + s + "': expected ISG, SSG or None");
        };
    }
}
