package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;

/** Mask R-CNN's mask conversions: training targets from full-image masks, and predicted masks back into the image. */
public final class MaskOps {
    private static final long BILINEAR = 0;
    private static final long ZEROS = 0;

    private MaskOps() {}

    /**
     * Detectron2's {@code BitMasks.crop_and_resize} before its 0.5 threshold: mask i (K x H x W,
     * any numeric dtype, read as float) cropped to box i and resized to size x size by aligned
     * RoIAlign with adaptive sampling. Returns float32 K x size x size.
     */
    public static Tensor cropAndResize(Tensor masks, Tensor boxes, int size) {
        if (masks.dim() != 3) {
            throw new IllegalArgumentException("masks must be K x H x W, got shape " + Arrays.toString(masks.shape()));
        }
        Boxes.check(boxes, "mask boxes");
        if (boxes.size(0) != masks.size(0)) {
            throw new IllegalArgumentException("crop and resize needs one box per mask, got " + masks.size(0) + " masks and "
                    + boxes.size(0) + " boxes");
        }
        if (size <= 0) {
            throw new IllegalArgumentException("mask size must be positive, got " + size);
        }
        long k = masks.size(0);
        if (k == 0) {
            return torch.zeros(new long[] {0, size, size}, masks.options().dtype(new ScalarTypeOptional(ScalarType.Float)));
        }
        Tensor index = torch.arange(F.scalar(k), boxes.options().dtype(new ScalarTypeOptional(ScalarType.Float)));
        Tensor rois = torch.cat(new TensorVector(index.unsqueeze(1), boxes.to(ScalarType.Float)), 1);
        return RoiAlign.apply(masks.to(ScalarType.Float).unsqueeze(1), rois, size, size, 1.0, 0, true).squeeze(1);
    }

    /**
     * Detectron2's {@code paste_masks_in_image} (CPU path): mask i (K x M x M probabilities) is
     * resized bilinearly onto box i of a height x width image and thresholded ({@code >=}).
     * As in Detectron2, each mask is sampled only over its box's pixel bounds widened by one
     * pixel, which matters for boxes more than a few times larger than the mask.
     */
    public static Tensor paste(Tensor masks, Tensor boxes, long height, long width, double threshold) {
        if (masks.dim() != 3 || masks.size(1) != masks.size(2)) {
            throw new IllegalArgumentException("masks must be K x M x M (square), got shape " + Arrays.toString(masks.shape()));
        }
        Boxes.check(boxes, "mask boxes");
        if (boxes.size(0) != masks.size(0)) {
            throw new IllegalArgumentException("paste needs one box per mask, got " + masks.size(0) + " masks and "
                    + boxes.size(0) + " boxes");
        }
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("image size must be >= 0, got " + height + " x " + width);
        }
        int k = (int) masks.size(0);
        Tensor out = torch.zeros(new long[] {k, height, width}, masks.options().dtype(new ScalarTypeOptional(ScalarType.Bool)));
        float[] b = HostArrays.toFloats(boxes);
        try (NoGrad ng = NoGrad.enter()) {
            Tensor probs = masks.to(ScalarType.Float);
            for (int i = 0; i < k; i++) {
                try (MemoryScope s = MemoryScope.open()) {
                    pasteOne(probs.narrow(0, i, 1).unsqueeze(1), b, i, height, width, threshold, out.select(0, i));
                }
            }
        }
        return out;
    }

    private static void pasteOne(Tensor mask, float[] b, int i, long height, long width, double threshold, Tensor target) {
        float x0 = b[4 * i];
        float y0 = b[4 * i + 1];
        float x1 = b[4 * i + 2];
        float y1 = b[4 * i + 3];
        int xStart = (int) Math.max(Math.floor(x0) - 1, 0);
        int yStart = (int) Math.max(Math.floor(y0) - 1, 0);
        int xEnd = (int) Math.min(Math.ceil(x1) + 1, width);
        int yEnd = (int) Math.min(Math.ceil(y1) + 1, height);
        int w = xEnd - xStart;
        int h = yEnd - yStart;
        if (w <= 0 || h <= 0) {
            return;
        }
        float[] grid = new float[h * w * 2];
        float boxW = x1 - x0;
        float boxH = y1 - y0;
        for (int r = 0; r < h; r++) {
            float gy = ((yStart + r) + 0.5f - y0) / boxH * 2f - 1f;
            for (int c = 0; c < w; c++) {
                grid[2 * (r * w + c)] = ((xStart + c) + 0.5f - x0) / boxW * 2f - 1f;
                grid[2 * (r * w + c) + 1] = gy;
            }
        }
        Tensor g = HostArrays.floats(grid, grid.length, mask).view(1, h, w, 2);
        Tensor sampled = torch.grid_sampler(mask, g, BILINEAR, ZEROS, false).view(h, w);
        target.narrow(0, yStart, h).narrow(1, xStart, w).copy_(sampled.ge(F.scalar(threshold)));
    }
}
