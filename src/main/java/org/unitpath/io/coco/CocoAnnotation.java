package org.unitpath.io.coco;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * One object of a COCO file: ground truth ({@code score} empty) or a detection. {@code bbox} is
 * {x, y, w, h} in pixels; {@code area} is the file's value (pycocotools uses it, not the mask's,
 * for the small/medium/large ranges of ground truth).
 */
public record CocoAnnotation(long id, long imageId, int categoryId, double[] bbox, double area,
        CocoSegmentation segmentation, boolean crowd, OptionalDouble score) {
    public CocoAnnotation {
        Objects.requireNonNull(segmentation, "segmentation");
        Objects.requireNonNull(score, "score");
        if (bbox == null || bbox.length != 4) {
            throw new IllegalArgumentException("bbox must have 4 numbers [x, y, width, height]");
        }
        bbox = bbox.clone();
    }

    /** A detection from a mask: box and area from the mask itself, as pycocotools' {@code loadRes} does. */
    public static CocoAnnotation detection(long id, long imageId, int categoryId, Rle mask, double score) {
        return new CocoAnnotation(id, imageId, categoryId, mask.bbox(), mask.area(), mask, false, OptionalDouble.of(score));
    }

    /** A ground-truth object from a mask: box and area from the mask. */
    public static CocoAnnotation truth(long id, long imageId, int categoryId, Rle mask) {
        return new CocoAnnotation(id, imageId, categoryId, mask.bbox(), mask.area(), mask, false, OptionalDouble.empty());
    }

    @Override
    public double[] bbox() {
        return bbox.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CocoAnnotation a && a.id == id && a.imageId == imageId && a.categoryId == categoryId
                && Arrays.equals(a.bbox, bbox) && Double.compare(a.area, area) == 0
                && a.segmentation.equals(segmentation) && a.crowd == crowd && a.score.equals(score);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, imageId, categoryId, Arrays.hashCode(bbox), area, segmentation, crowd, score);
    }

    @Override
    public String toString() {
        return "CocoAnnotation[id=" + id + ", image=" + imageId + ", category=" + categoryId + ", bbox="
                + Arrays.toString(bbox) + ", area=" + area + ", crowd=" + crowd + ", score=" + score + ", " + segmentation + "]";
    }
}
