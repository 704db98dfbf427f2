package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/**
 * Box geometry on K x 4 tensors in Detectron2's XYXY_ABS convention: (x0, y0, x1, y1) in
 * absolute pixels, width = x1 - x0 (no "+1"). Equal to Detectron2's {@code Boxes.area},
 * {@code clip}, {@code nonempty} and {@code pairwise_iou}.
 */
public final class Boxes {
    private Boxes() {}

    /** Areas (x1 - x0) * (y1 - y0), K. */
    public static Tensor area(Tensor boxes) {
        check(boxes, "boxes");
        return boxes.select(1, 2).sub(boxes.select(1, 0)).mul(boxes.select(1, 3).sub(boxes.select(1, 1)));
    }

    /** Intersection over union of every pair, Ka x Kb; 0 where the boxes do not overlap (also for empty boxes). */
    public static Tensor pairwiseIou(Tensor a, Tensor b) {
        check(a, "first boxes");
        check(b, "second boxes");
        Tensor areaA = area(a);
        Tensor areaB = area(b);
        Tensor lowerRight = torch.min(a.unsqueeze(1).narrow(2, 2, 2), b.narrow(1, 2, 2));
        Tensor upperLeft = torch.max(a.unsqueeze(1).narrow(2, 0, 2), b.narrow(1, 0, 2));
        Tensor wh = lowerRight.sub(upperLeft).clamp_min(F.scalar(0.0));
        Tensor inter = wh.select(2, 0).mul(wh.select(2, 1));
        Tensor union = areaA.unsqueeze(1).add(areaB).sub(inter);
        return torch.where(inter.gt(F.scalar(0.0)), inter.div(union), torch.zeros_like(inter));
    }

    /** A copy with x clamped to [0, width] and y to [0, height]. */
    public static Tensor clip(Tensor boxes, long height, long width) {
        check(boxes, "boxes");
        if (height < 0 || width < 0) {
            throw new IllegalArgumentException("clip size must be >= 0, got " + height + " x " + width);
        }
        long[] limits = {width, height, width, height};
        TensorVector columns = new TensorVector();
        for (int i = 0; i < 4; i++) {
            columns.push_back(boxes.select(1, i).clamp(new ScalarOptional(new Scalar(0.0)),
                    new ScalarOptional(new Scalar((double) limits[i]))));
        }
        return torch.stack(columns, 1);
    }

    /** True where both sides are longer than {@code threshold}. */
    public static Tensor nonEmpty(Tensor boxes, double threshold) {
        check(boxes, "boxes");
        Tensor widths = boxes.select(1, 2).sub(boxes.select(1, 0));
        Tensor heights = boxes.select(1, 3).sub(boxes.select(1, 1));
        return widths.gt(F.scalar(threshold)).logical_and(heights.gt(F.scalar(threshold)));
    }

    static void check(Tensor boxes, String what) {
        if (boxes.dim() != 2 || boxes.size(1) != 4) {
            throw new IllegalArgumentException(what + " must be K x 4 (x0, y0, x1, y1), got shape "
                    + Arrays.toString(boxes.shape()));
        }
    }
}
