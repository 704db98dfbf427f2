package org.unitpath.gan;

import java.util.Arrays;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;

/**
 * Bilinear grid sampling with zero padding and {@code align_corners=False}, equal to PyTorch's
 * {@code grid_sample(input, grid, mode='bilinear', padding_mode='zeros', align_corners=False)},
 * written as gathers over the flattened pixels with fixed bilinear weights. libtorch's native
 * grid sampler has no double backward; this one is linear in the input through gather (whose
 * backward, scatter-add, is itself differentiable), so R1 can back-propagate through it.
 * The grid is treated as a constant: no gradient flows to it.
 */
public final class BilinearSampler {
    private BilinearSampler() {}

    /**
     * Samples {@code input} (N x C x H x W) at {@code grid} (N x Ho x Wo x 2, normalised x,y in
     * [-1, 1] at the outer pixel edges); points outside read zeros. Returns N x C x Ho x Wo.
     */
    public static Tensor sample(Tensor input, Tensor grid) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("grid sampling expects an N x C x H x W input, got shape "
                    + Arrays.toString(input.shape()));
        }
        if (grid.dim() != 4 || grid.size(3) != 2 || grid.size(0) != input.size(0)) {
            throw new IllegalArgumentException("grid sampling expects an N x Ho x Wo x 2 grid with N = "
                    + input.size(0) + ", got shape " + Arrays.toString(grid.shape()));
        }
        long n = input.size(0), c = input.size(1), h = input.size(2), w = input.size(3);
        long ho = grid.size(1), wo = grid.size(2), m = ho * wo;
        Tensor g = grid.detach().reshape(n, m, 2);
        Tensor ix = unnormalize(g.select(2, 0), w);
        Tensor iy = unnormalize(g.select(2, 1), h);
        Tensor x0 = ix.floor();
        Tensor y0 = iy.floor();
        Tensor x1 = x0.add(F.scalar(1.0));
        Tensor y1 = y0.add(F.scalar(1.0));
        Tensor wx1 = ix.sub(x0);
        Tensor wy1 = iy.sub(y0);
        Tensor wx0 = wx1.neg().add(F.scalar(1.0));
        Tensor wy0 = wy1.neg().add(F.scalar(1.0));
        Tensor flat = input.reshape(n, c, h * w);
        Tensor[][] corners = {{x0, y0, wx0, wy0}, {x1, y0, wx1, wy0}, {x0, y1, wx0, wy1}, {x1, y1, wx1, wy1}};
        Tensor out = null;
        // one gather per corner rather than one over all four keeps the peak memory at a quarter
        for (Tensor[] corner : corners) {
            Tensor cx = corner[0];
            Tensor cy = corner[1];
            Tensor inside = cx.ge(F.scalar(0.0)).logical_and(cx.le(F.scalar((double) (w - 1))))
                    .logical_and(cy.ge(F.scalar(0.0))).logical_and(cy.le(F.scalar((double) (h - 1))));
            Tensor weight = corner[2].mul(corner[3]).mul(inside.to(corner[2].scalar_type())).to(input.scalar_type());
            Tensor xi = clampTo(cx, w - 1).to(ScalarType.Long);
            Tensor yi = clampTo(cy, h - 1).to(ScalarType.Long);
            Tensor index = yi.mul(F.scalar(w)).add(xi).unsqueeze(1).expand(n, c, m);
            Tensor term = torch.gather(flat, 2, index).mul(weight.unsqueeze(1));
            out = out == null ? term : out.add(term);
        }
        return out.reshape(n, c, ho, wo);
    }

    /** PyTorch's unnormalisation for align_corners=False, in the same operation order. */
    private static Tensor unnormalize(Tensor coord, long size) {
        return coord.add(F.scalar(1.0)).mul(F.scalar((double) size)).sub(F.scalar(1.0)).div(F.scalar(2.0));
    }

    private static Tensor clampTo(Tensor t, long max) {
        return t.clamp(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar((double) max)));
    }
}
