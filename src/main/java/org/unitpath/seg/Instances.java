package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.Torch;

/**
 * Detected instances of one image, Detectron2's {@code Instances} after
 * {@code detector_postprocess}: {@code boxes} K x 4 float (x0, y0, x1, y1 in pixels),
 * {@code scores} K float, {@code classes} K int64, {@code masks} K x H x W bool at the image's
 * resolution. The record never changes its tensors.
 */
public record Instances(Tensor boxes, Tensor scores, Tensor classes, Tensor masks) {
    public Instances {
        long k = boxes.dim() == 2 ? boxes.size(0) : -1;
        if (k < 0 || boxes.size(1) != 4) {
            throw new IllegalArgumentException("boxes must be K x 4, got " + Arrays.toString(boxes.shape()));
        }
        if (scores.dim() != 1 || scores.size(0) != k || classes.dim() != 1 || classes.size(0) != k) {
            throw new IllegalArgumentException("scores and classes must have K = " + k + " entries, got "
                    + Arrays.toString(scores.shape()) + " and " + Arrays.toString(classes.shape()));
        }
        if (masks.dim() != 3 || masks.size(0) != k) {
            throw new IllegalArgumentException("masks must be K x H x W with K = " + k + ", got " + Arrays.toString(masks.shape()));
        }
        if (masks.scalar_type().intern() != ScalarType.Bool || classes.scalar_type().intern() != ScalarType.Long) {
            throw new IllegalArgumentException("masks must be bool and classes int64, got " + masks.scalar_type() + " and "
                    + classes.scalar_type());
        }
    }

    /** No instances in an image of {@code height} x {@code width}. */
    public static Instances empty(long height, long width) {
        Torch.init();
        return new Instances(torch.zeros(new long[] {0, 4}, new TensorOptions(ScalarType.Float)),
                torch.zeros(new long[] {0}, new TensorOptions(ScalarType.Float)),
                torch.zeros(new long[] {0}, new TensorOptions(ScalarType.Long)),
                torch.zeros(new long[] {0, height, width}, new TensorOptions(ScalarType.Bool)));
    }

    public int size() {
        return (int) boxes.size(0);
    }

    public long imageHeight() {
        return masks.size(1);
    }

    public long imageWidth() {
        return masks.size(2);
    }
}
