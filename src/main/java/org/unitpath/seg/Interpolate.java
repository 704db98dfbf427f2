package org.unitpath.seg;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/** Bilinear resizing of N x C x H x W maps, PyTorch's {@code interpolate(mode="bilinear")}. */
final class Interpolate {
    private Interpolate() {}

    /**
     * To an explicit size. For an integer factor this equals {@code scale_factor=factor}: with
     * align_corners=True the kernel maps by sizes anyway, and without it the implied scale
     * in/out is exactly 1/factor.
     */
    static Tensor bilinear(Tensor x, long height, long width, boolean alignCorners) {
        return torch.upsample_bilinear2d(x, new long[] {height, width}, alignCorners);
    }

    static Tensor bilinear(Tensor x, int factor, boolean alignCorners) {
        return bilinear(x, x.size(2) * factor, x.size(3) * factor, alignCorners);
    }
}
