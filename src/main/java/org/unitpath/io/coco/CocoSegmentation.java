package org.unitpath.io.coco;

/** The {@code segmentation} of a COCO annotation: run-length encoded or polygons. */
public sealed interface CocoSegmentation permits Rle, Polygons {
    /** The mask on an image of this size, as pycocotools' {@code annToRLE} builds it. */
    Rle toRle(int width, int height);

    /** The row-major 0/1 mask of the image size. */
    default byte[] rasterise(int width, int height) {
        return toRle(width, height).decode();
    }
}
