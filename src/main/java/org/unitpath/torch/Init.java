package org.unitpath.torch;

import org.bytedeco.pytorch.Tensor;

/** In-place weight initialisers with PyTorch's / Detectron2's conventions; they draw from libtorch's seeded generator. */
public final class Init {
    private Init() {}

    /** fan_in of a weight: all dimensions but the first (out channels / out features). */
    public static long fanIn(Tensor w) {
        return w.numel() / w.size(0);
    }

    /** fan_out of a weight: all dimensions but the second. */
    public static long fanOut(Tensor w) {
        return w.numel() / w.size(1);
    }

    /** Detectron2's c2_msra_fill: kaiming_normal_(mode="fan_out", nonlinearity="relu"). */
    public static Tensor msraFill(Tensor w) {
        return normal(w, Math.sqrt(2.0 / fanOut(w)));
    }

    /** Detectron2's c2_xavier_fill: kaiming_uniform_(a=1), i.e. U(-b, b) with b = sqrt(3 / fan_in). */
    public static Tensor xavierFill(Tensor w) {
        double bound = Math.sqrt(3.0 / fanIn(w));
        return uniform(w, -bound, bound);
    }

    public static Tensor normal(Tensor w, double std) {
        try (NoGrad ng = NoGrad.enter()) {
            w.normal_(0.0, std, new org.bytedeco.pytorch.GeneratorOptional());
        }
        return w;
    }

    public static Tensor uniform(Tensor w, double low, double high) {
        try (NoGrad ng = NoGrad.enter()) {
            w.uniform_(low, high, new org.bytedeco.pytorch.GeneratorOptional());
        }
        return w;
    }

    public static Tensor constant(Tensor w, double value) {
        try (NoGrad ng = NoGrad.enter()) {
            w.fill_(F.scalar(value));
        }
        return w;
    }
}
