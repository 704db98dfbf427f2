package org.unitpath.infer;

import org.unitpath.seg.MaskPatch;

/**
 * One segmented nucleus: its id (1, 2, ... in the order the slide is processed; the value it
 * has in the label image), class index, score, solid region, outline and measurements.
 */
public record Nucleus(long id, int category, float score, MaskPatch region, Ring outline, NucleusMeasurements measurements) {
    /** Whether the region reaches below row {@code y} (exclusive end greater than y). */
    public boolean extendsBelow(int y) {
        return region.y + region.height > y;
    }
}
