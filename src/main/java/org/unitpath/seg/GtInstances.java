package org.unitpath.seg;

import org.bytedeco.pytorch.Tensor;

/**
 * Ground truth of one image for Mask R-CNN: boxes K x 4 (x0, y0, x1, y1 float), classes K
 * (long, 0-based), masks K x H x W (uint8 0/1, at image resolution).
 */
public record GtInstances(Tensor boxes, Tensor classes, Tensor masks) {
    public long size() {
        return boxes.size(0);
    }
}
