package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;

/**
 * The R-CNN box transform, Detectron2's {@code Box2BoxTransform}: deltas (dx, dy, dw, dh) shift
 * a box's centre by (dx * width, dy * height) and scale its size by (exp(dw), exp(dh)), each
 * delta multiplied by its weight when encoding. dw and dh are clamped at log(1000 / 16) when
 * decoding, so a 16-px box grows to at most 1000 px.
 */
public final class BoxCoder {
    public static final double SCALE_CLAMP = Math.log(1000.0 / 16);

    private final double wx;
    private final double wy;
    private final double ww;
    private final double wh;

    public BoxCoder(double wx, double wy, double ww, double wh) {
        for (double w : new double[] {wx, wy, ww, wh}) {
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("box transform weights must be positive and finite, got "
                        + Arrays.toString(new double[] {wx, wy, ww, wh}));
            }
        }
        this.wx = wx;
        this.wy = wy;
        this.ww = ww;
        this.wh = wh;
    }

    /** Deltas (K x 4) that turn each source box into its target box. Source boxes must have positive width. */
    public Tensor encode(Tensor sources, Tensor targets) {
        Boxes.check(sources, "source boxes");
        Boxes.check(targets, "target boxes");
        if (sources.size(0) != targets.size(0)) {
            throw new IllegalArgumentException("encode needs as many targets as sources, got " + sources.size(0)
                    + " sources and " + targets.size(0) + " targets");
        }
        Tensor srcW = sources.select(1, 2).sub(sources.select(1, 0));
        Tensor srcH = sources.select(1, 3).sub(sources.select(1, 1));
        if (srcW.numel() > 0 && !srcW.gt(F.scalar(0.0)).all().item_bool()) {
            throw new IllegalArgumentException("source boxes of a box transform must have positive width");
        }
        Tensor srcX = sources.select(1, 0).add(srcW.mul(F.scalar(0.5)));
        Tensor srcY = sources.select(1, 1).add(srcH.mul(F.scalar(0.5)));
        Tensor dstW = targets.select(1, 2).sub(targets.select(1, 0));
        Tensor dstH = targets.select(1, 3).sub(targets.select(1, 1));
        Tensor dstX = targets.select(1, 0).add(dstW.mul(F.scalar(0.5)));
        Tensor dstY = targets.select(1, 1).add(dstH.mul(F.scalar(0.5)));
        Tensor dx = dstX.sub(srcX).mul(F.scalar(wx)).div(srcW);
        Tensor dy = dstY.sub(srcY).mul(F.scalar(wy)).div(srcH);
        Tensor dw = dstW.div(srcW).log().mul(F.scalar(ww));
        Tensor dh = dstH.div(srcH).log().mul(F.scalar(wh));
        return torch.stack(new TensorVector(dx, dy, dw, dh), 1);
    }

    /** Applies K x (4k) deltas (k class-specific transforms per box) to K x 4 boxes; float32 K x (4k). */
    public Tensor decode(Tensor deltas, Tensor boxes) {
        Boxes.check(boxes, "boxes");
        if (deltas.dim() != 2 || deltas.size(1) % 4 != 0 || deltas.size(1) == 0 || deltas.size(0) != boxes.size(0)) {
            throw new IllegalArgumentException("deltas must be K x 4k for K = " + boxes.size(0) + " boxes, got shape "
                    + Arrays.toString(deltas.shape()));
        }
        Tensor d = deltas.to(ScalarType.Float);
        Tensor b = boxes.to(ScalarType.Float);
        Tensor widths = b.select(1, 2).sub(b.select(1, 0));
        Tensor heights = b.select(1, 3).sub(b.select(1, 1));
        Tensor ctrX = b.select(1, 0).add(widths.mul(F.scalar(0.5))).unsqueeze(1);
        Tensor ctrY = b.select(1, 1).add(heights.mul(F.scalar(0.5))).unsqueeze(1);
        widths = widths.unsqueeze(1);
        heights = heights.unsqueeze(1);
        Tensor dx = every4(d, 0).div(F.scalar(wx));
        Tensor dy = every4(d, 1).div(F.scalar(wy));
        Tensor dw = every4(d, 2).div(F.scalar(ww)).clamp_max(F.scalar(SCALE_CLAMP));
        Tensor dh = every4(d, 3).div(F.scalar(wh)).clamp_max(F.scalar(SCALE_CLAMP));
        Tensor predX = dx.mul(widths).add(ctrX);
        Tensor predY = dy.mul(heights).add(ctrY);
        Tensor predW = dw.exp().mul(widths);
        Tensor predH = dh.exp().mul(heights);
        Tensor x0 = predX.sub(predW.mul(F.scalar(0.5)));
        Tensor y0 = predY.sub(predH.mul(F.scalar(0.5)));
        Tensor x1 = predX.add(predW.mul(F.scalar(0.5)));
        Tensor y1 = predY.add(predH.mul(F.scalar(0.5)));
        return torch.stack(new TensorVector(x0, y0, x1, y1), -1).reshape(d.size(0), d.size(1));
    }

    private static Tensor every4(Tensor t, long start) {
        return t.slice(1, new LongOptional(start), new LongOptional(t.size(1)), 4);
    }
}
