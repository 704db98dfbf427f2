package org.unitpath.data;

/**
 * One nucleus of a training crop: its tight box in Detectron2's XYXY_ABS convention (x1, y1
 * exclusive: {@code [min x, min y, max x + 1, max y + 1]}) and its binary mask over the crop.
 */
public record Instance(int x0, int y0, int x1, int y1, byte[] mask) {}
