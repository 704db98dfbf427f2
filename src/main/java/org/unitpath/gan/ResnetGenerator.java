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
 * The CycleGAN ResNet generator of the release (G of the baseline and ablations 1-2):
 * reflection-pad 3, 7x7 conv to ngf, two stride-2 3x3 convs (ngf -> 2 ngf -> 4 ngf), residual
 * blocks at 4 ngf, two (nearest x2 up-sampling, 3x3 conv) back to ngf, reflection-pad 3, 7x7
 * conv to the output channels, tanh. Every hidden conv is followed by non-affine InstanceNorm
 * and ReLU and has a bias. Input and output N x C x H x W in [-1, 1], H and W multiples of 4.
 *
 * <p>Parameters: {@code in_conv}, {@code down.0-1}, {@code blocks.i.conv1-2}, {@code up.0-1},
 * {@code out_conv}, each {@code .weight} and {@code .bias}. Initialised by {@link GanInit}.
 */
public final class ResnetGenerator extends Module implements Layer, Translator {
    public final int inChannels;
    public final int outChannels;
    public final int ngf;
    public final int numBlocks;
    private final Conv2d inConv;
    private final ModuleList<Conv2d> down;
    private final ModuleList<ResidualBlock> blocks;
    private final ModuleList<Conv2d> up;
    private final Conv2d outConv;

    /** The paper's generator: 3 -> 3 channels, ngf 64, 9 residual blocks. */
    public ResnetGenerator() {
        this(3, 3, 64, 9);
    }

    public ResnetGenerator(int ngf, int numBlocks) {
        this(3, 3, ngf, numBlocks);
    }

    public ResnetGenerator(int inChannels, int outChannels, int ngf, int numBlocks) {
        if (inChannels < 1 || outChannels < 1 || ngf < 1 || numBlocks < 0) {
            throw new IllegalArgumentException("bad ResnetGenerator(in " + inChannels + ", out " + outChannels
                    + ", ngf " + ngf + ", blocks " + numBlocks + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.ngf = ngf;
        this.numBlocks = numBlocks;
        inConv = child("in_conv", Conv2d.of(inChannels, ngf, 7).bias(true).norm(new InstanceNorm2d(ngf)).build());
        down = child("down", new ModuleList<>());
        for (int c = ngf; c < 4 * ngf; c *= 2) {
            down.add(Conv2d.of(c, 2 * c, 3).stride(2).padding(1).bias(true).norm(new InstanceNorm2d(2 * c)).build());
        }
        blocks = child("blocks", new ModuleList<>());
        for (int i = 0; i < numBlocks; i++) {
            blocks.add(new ResidualBlock(4 * ngf));
        }
        up = child("up", new ModuleList<>());
        for (int c = 4 * ngf; c > ngf; c /= 2) {
            up.add(Conv2d.of(c, c / 2, 3).padding(1).bias(true).norm(new InstanceNorm2d(c / 2)).build());
        }
        outConv = child("out_conv", Conv2d.of(ngf, outChannels, 7).build());
        GanInit.normal(this);
    }

    @Override
    public Tensor translate(Tensor mask, Tensor z) {
        return forward(mask);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4 || x.size(1) != inChannels || x.size(2) % 4 != 0 || x.size(3) % 4 != 0) {
            throw new IllegalArgumentException("ResnetGenerator expects N x " + inChannels
                    + " x H x W with H and W multiples of 4, got " + Arrays.toString(x.shape()));
        }
        Tensor h = F.relu_(inConv.forward(Pad2d.reflect(x, 3)));
        for (Conv2d conv : down) {
            h = F.relu_(conv.forward(h));
        }
        for (ResidualBlock block : blocks) {
            h = block.forward(h);
        }
        for (Conv2d conv : up) {
            h = F.relu_(conv.forward(F.upsampleNearest(h, 2)));
        }
        return torch.tanh(outConv.forward(Pad2d.reflect(h, 3)));
    }
}
