package org.unitpath.gan;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * StyleGAN2's residual discriminator D_G for H&E images: fromRGB at full resolution, residual
 * blocks (3x3 conv, 3x3 conv with 2x down-sampling, 1x1 down-sampled skip, both branches x
 * sqrt(0.5)) down to 4x4, then minibatch standard deviation, 3x3 conv, FC and a scalar logit.
 */
public final class StyleGanDiscriminator extends Module {
    private static final double HALF = Math.sqrt(0.5);
    private final StyleGanConfig cfg;
    private final EqConv2d fromRgb;
    private final List<EqConv2d[]> blocks = new ArrayList<>();
    private final EqConv2d conv4;
    private final FullyConnected fc;
    private final FullyConnected out;

    public StyleGanDiscriminator(StyleGanConfig cfg) {
        this.cfg = cfg;
        int r = cfg.resolution();
        fromRgb = child("fromrgb", new EqConv2d(cfg.imageChannels(), cfg.channels(r), 1, true, Activation.LRELU, false));
        for (int res = r; res > 4; res /= 2) {
            int c = cfg.channels(res);
            int next = cfg.channels(res / 2);
            EqConv2d conv0 = child("b" + res + "_conv0", new EqConv2d(c, c, 3, true, Activation.LRELU, false));
            EqConv2d conv1 = child("b" + res + "_conv1", new EqConv2d(c, next, 3, true, Activation.LRELU, true));
            EqConv2d skip = child("b" + res + "_skip", new EqConv2d(c, next, 1, false, Activation.LINEAR, true));
            blocks.add(new EqConv2d[] {conv0, conv1, skip});
        }
        int c4 = cfg.channels(4);
        conv4 = child("b4_conv", new EqConv2d(c4 + 1, c4, 3, true, Activation.LRELU, false));
        fc = child("b4_fc", new FullyConnected(c4 * 16, c4, Activation.LRELU));
        out = child("b4_out", new FullyConnected(c4, 1, Activation.LINEAR));
    }

    /** N x 3 x R x R images to N x 1 logits. */
    public Tensor forward(Tensor img) {
        if (img.dim() != 4 || img.size(2) != cfg.resolution() || img.size(3) != cfg.resolution()) {
            throw new IllegalArgumentException("discriminator input must be N x " + cfg.imageChannels() + " x "
                    + cfg.resolution() + " x " + cfg.resolution() + ", got " + java.util.Arrays.toString(img.shape()));
        }
        Tensor x = fromRgb.forward(img);
        x = MemoryScope.chain(x, blocks.stream().<UnaryOperator<Tensor>>map(b -> in -> b[1].forward(b[0].forward(in), HALF)
                .add(b[2].forward(in, HALF))).toList());
        Tensor last = x;
        x = MemoryScope.scoped(() -> conv4.forward(minibatchStd(last, cfg.mbstdGroup())));
        return out.forward(fc.forward(x.flatten(1, -1)));
    }

    /** Appends the std of each feature over groups of up to {@code group} samples, averaged to one channel. */
    static Tensor minibatchStd(Tensor x, int group) {
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        long g = Math.min(group, n);
        if (n % g != 0) {
            throw new IllegalArgumentException("minibatch std: batch " + n + " is not a multiple of the group size " + g);
        }
        var noType = new org.bytedeco.pytorch.ScalarTypeOptional();
        Tensor y = x.reshape(g, -1, 1, c, h, w);
        y = y.sub(y.mean(new long[] {0}, false, noType));
        y = y.square().mean(new long[] {0}, false, noType).add(F.scalar(1e-8)).sqrt();
        y = y.mean(new long[] {2, 3, 4}, false, noType).reshape(-1, 1, 1, 1);
        y = y.repeat(g, 1, h, w);
        return torch.cat(new TensorVector(x, y), 1);
    }
}
