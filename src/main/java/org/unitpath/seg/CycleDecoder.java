package org.unitpath.seg;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.InstanceNorm2d;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * S's 'cycle' head (the release's {@code GeneralizedRCNN_Simplified}): decodes FPN levels
 * p2..p5 into a mask image of the input's size. p5, p4, p3 are up-sampled bilinearly with
 * align_corners=True to p2's size and summed with p2, then conv 3x3 + non-affine InstanceNorm
 * + ReLU ({@code smooth1}), nearest x2, the same at half the width ({@code smooth2}), nearest
 * x2, and a 3x3 conv ({@code final}) with no output activation: the release compares the raw
 * output with the [-1, 1] mask image by L1.
 *
 * <p>Parameters as the release's state dict: {@code smooth1.0.weight/bias} and
 * {@code smooth2.0.weight/bias} (the release wraps conv, norm and ReLU in an
 * {@code nn.Sequential}), {@code final.weight/bias}; PyTorch's default initialisation, which
 * the release keeps.
 */
public final class CycleDecoder extends Module {
    public static final int DEFAULT_FPN_CHANNELS = 256;
    public static final int DEFAULT_NUM_FILTERS = 128;
    public static final int DEFAULT_OUT_CHANNELS = 3;
    public final int fpnChannels;
    public final int numFilters;
    public final int outChannels;
    private final Smooth smooth1;
    private final Smooth smooth2;
    private final Conv2d finalConv;

    /** {@code nn.Sequential(Conv2d 3x3, InstanceNorm2d, ReLU)}: the conv is child "0". */
    private static final class Smooth extends Module {
        private final Conv2d conv;

        Smooth(int in, int out) {
            conv = child("0", Conv2d.of(in, out, 3).padding(1).bias(true).norm(new InstanceNorm2d(out)).build());
        }

        Tensor forward(Tensor x) {
            return F.relu_(conv.forward(x));
        }
    }

    /** The release's head: MODEL.GBA.NUM_FILTER_FPN 256, NUM_FILTER 128, OUT_CHANNEL 3. */
    public CycleDecoder() {
        this(DEFAULT_FPN_CHANNELS, DEFAULT_NUM_FILTERS, DEFAULT_OUT_CHANNELS);
    }

    /** {@code smooth1} maps fpnChannels to numFilters, {@code smooth2} to numFilters / 2, {@code final} to outChannels. */
    public CycleDecoder(int fpnChannels, int numFilters, int outChannels) {
        if (fpnChannels < 1 || numFilters < 2 || outChannels < 1) {
            throw new IllegalArgumentException("bad CycleDecoder(fpn " + fpnChannels + ", filters " + numFilters
                    + ", out " + outChannels + ")");
        }
        this.fpnChannels = fpnChannels;
        this.numFilters = numFilters;
        this.outChannels = outChannels;
        smooth1 = child("smooth1", new Smooth(fpnChannels, numFilters));
        smooth2 = child("smooth2", new Smooth(numFilters, numFilters / 2));
        finalConv = child("final", Conv2d.of(numFilters / 2, outChannels, 3).padding(1).bias(true).build());
    }

    /** The mask image, N x outChannels x 4 H2 x 4 W2 for p2 of size H2 x W2 (the input image's size). */
    public Tensor forward(Map<String, Tensor> features) {
        return MemoryScope.chain(MemoryScope.scoped(() -> fuse(features)), List.of(smooth1::forward,
                x -> smooth2.forward(F.upsampleNearest(x, 2)), x -> finalConv.forward(F.upsampleNearest(x, 2))));
    }

    /** p5, p4, p3 resized to p2 (bilinear, align_corners=True) and summed with p2, in the release's order. */
    Tensor fuse(Map<String, Tensor> features) {
        Tensor p2 = level(features, "p2");
        long h = p2.size(2);
        long w = p2.size(3);
        Tensor sum = null;
        for (int level = 5; level >= 3; level--) {
            Tensor p = level(features, "p" + level);
            long factor = 1L << (level - 2);
            if (p.size(0) != p2.size(0) || p.size(2) * factor != h || p.size(3) * factor != w) {
                throw new IllegalArgumentException("p" + level + " " + Arrays.toString(p.shape()) + " is not p2 "
                        + Arrays.toString(p2.shape()) + " divided by " + factor);
            }
            Tensor up = Interpolate.bilinear(p, h, w, true);
            sum = sum == null ? up : sum.add(up);
        }
        return sum.add(p2);
    }

    private Tensor level(Map<String, Tensor> features, String name) {
        Tensor t = features.get(name);
        if (t == null) {
            throw new IllegalArgumentException("CycleDecoder needs FPN level " + name + ", got " + features.keySet());
        }
        if (t.dim() != 4 || t.size(1) != fpnChannels) {
            throw new IllegalArgumentException(name + " must be N x " + fpnChannels + " x H x W, got " + Arrays.toString(t.shape()));
        }
        return t;
    }
}
