package org.unitpath.gan;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.InstanceNorm2d;
import org.unitpath.nn.Layer;
import org.unitpath.nn.Pad2d;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;

/**
 * The release's PatchGAN discriminator (D_S on the mask domain, and D_G in the non-StyleGAN
 * ablations): four 4x4 stride-2 convs {@code down.0-3} (width, 2, 4, 8 x width) with
 * LeakyReLU(0.2), non-affine InstanceNorm after all but the first; zero-pad left 1 and top 1;
 * a 4x4 conv {@code out_conv} (padding 1) to one channel. Output: N x 1 x H/16 x W/16 raw
 * scores (a 16x16 map for 256x256 input); every conv has a bias. Initialised by {@link GanInit}.
 */
public final class PatchDiscriminator extends Module implements Layer {
    private static final double SLOPE = 0.2;
    public final int inChannels;
    public final int width;
    private final ModuleList<Conv2d> down;
    private final Conv2d outConv;
    private final Pad2d pad = Pad2d.zeros(1, 0, 1, 0);

    /** The release's discriminator: 3 input channels, width 64. */
    public PatchDiscriminator() {
        this(3, 64);
    }

    public PatchDiscriminator(int width) {
        this(3, width);
    }

    public PatchDiscriminator(int inChannels, int width) {
        if (inChannels < 1 || width < 1) {
            throw new IllegalArgumentException("bad PatchDiscriminator(in " + inChannels + ", width " + width + ")");
        }
        this.inChannels = inChannels;
        this.width = width;
        down = child("down", new ModuleList<>());
        int in = inChannels;
        for (int i = 0; i < 4; i++) {
            int out = width << i;
            down.add(Conv2d.of(in, out, 4).stride(2).padding(1).bias(true)
                    .norm(i == 0 ? null : new InstanceNorm2d(out)).build());
            in = out;
        }
        outConv = child("out_conv", Conv2d.of(in, 1, 4).padding(1).build());
        GanInit.normal(this);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != inChannels || x.size(2) < 32 || x.size(3) < 32) {
            throw new IllegalArgumentException("PatchDiscriminator expects N x " + inChannels
                    + " x H x W with H, W >= 32, got " + Arrays.toString(x.shape()));
        }
        Tensor h = x;
        for (Conv2d conv : down) {
            h = torch.leaky_relu_(conv.forward(h), F.scalar(SLOPE));
        }
        return outConv.forward(pad.forward(h));
    }
}
