package org.unitpath.nn;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/**
 * Spatial padding of N x C x H x W tensors, as PyTorch's {@code ReflectionPad2d} and
 * {@code ZeroPad2d}; amounts in PyTorch's order (left, right, top, bottom). No parameters.
 */
public final class Pad2d implements Layer {
    private final boolean reflect;
    private final long[] amounts;

    private Pad2d(boolean reflect, int left, int right, int top, int bottom) {
        if (left < 0 || right < 0 || top < 0 || bottom < 0) {
            throw new IllegalArgumentException("negative padding " + Arrays.toString(new int[] {left, right, top, bottom}));
        }
        this.reflect = reflect;
        this.amounts = new long[] {left, right, top, bottom};
    }

    public static Pad2d reflect(int pad) {
        return new Pad2d(true, pad, pad, pad, pad);
    }

    public static Pad2d zeros(int left, int right, int top, int bottom) {
        return new Pad2d(false, left, right, top, bottom);
    }

    /** Reflection padding by {@code pad} on every side (the border pixel is not repeated); pad must be smaller than H and W. */
    public static Tensor reflect(Tensor x, int pad) {
        return reflect(pad).forward(x);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException("Pad2d expects N x C x H x W, got " + Arrays.toString(x.shape()));
        }
        if (reflect) {
            long h = x.size(2), w = x.size(3);
            if (Math.max(amounts[0], amounts[1]) >= w || Math.max(amounts[2], amounts[3]) >= h) {
                throw new IllegalArgumentException("reflection padding " + Arrays.toString(amounts)
                        + " must be smaller than the input side " + h + "x" + w);
            }
            return torch.reflection_pad2d(x, amounts);
        }
        return torch.constant_pad_nd(x, amounts, F.scalar(0.0));
    }
}
