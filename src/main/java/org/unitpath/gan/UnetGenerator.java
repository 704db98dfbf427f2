package org.unitpath.gan;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.nn.BatchNorm2d;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.ConvTranspose2d;
import org.unitpath.nn.Layer;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;

/**
 * The pix2pix U-Net generator ({@code UnetGenerator} with BatchNorm; the release's UNet
 * ablation). Level i = 0 (outermost) .. numDowns - 1 (innermost) halves the side with a 4x4
 * stride-2 conv {@code down.i} and restores it with a 4x4 stride-2 transposed conv {@code up.i};
 * widths ngf, 2 ngf, 4 ngf, 8 ngf, then 8 ngf down to the 1x1 bottleneck (for a side of
 * 2^numDowns). Down path LeakyReLU(0.2) before each conv but the first, BatchNorm after each
 * but the first and the innermost; up path ReLU, transposed conv, BatchNorm (none on the
 * outermost, which has a bias and ends in tanh); convs before a BatchNorm have no bias. Each
 * level but the outermost returns its up output concatenated after its skip input.
 *
 * <p>Parameters: {@code down.i.weight}, {@code down.i.norm.*}, {@code up.i.weight},
 * {@code up.i.norm.*}, {@code up.0.bias}. Initialised by {@link GanInit}.
 */
public final class UnetGenerator extends Module implements Layer, Translator {
    private static final double SLOPE = 0.2;
    private static final double DROPOUT = 0.5;
    public final int inChannels;
    public final int outChannels;
    public final int numDowns;
    public final int ngf;
    public final boolean dropout;
    private final ModuleList<Conv2d> down;
    private final ModuleList<ConvTranspose2d> up;

    /** pix2pix {@code unet_256}: 3 -> 3 channels, 8 down-samplings, ngf 64, no dropout. */
    public UnetGenerator() {
        this(3, 3, 8, 64, false);
    }

    public UnetGenerator(int numDowns, int ngf) {
        this(3, 3, numDowns, ngf, false);
    }

    /** {@code dropout}: dropout 0.5 after the up path of the 8 ngf levels between level 4 and the innermost, as pix2pix. */
    public UnetGenerator(int inChannels, int outChannels, int numDowns, int ngf, boolean dropout) {
        if (numDowns < 5 || numDowns > 30) {
            throw new IllegalArgumentException("UnetGenerator needs 5 to 30 down-samplings, got " + numDowns);
        }
        if (inChannels < 1 || outChannels < 1 || ngf < 1) {
            throw new IllegalArgumentException("bad UnetGenerator(in " + inChannels + ", out " + outChannels + ", ngf " + ngf + ")");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.numDowns = numDowns;
        this.ngf = ngf;
        this.dropout = dropout;
        down = child("down", new ModuleList<>());
        up = child("up", new ModuleList<>());
        for (int i = 0; i < numDowns; i++) {
            boolean outermost = i == 0;
            boolean innermost = i == numDowns - 1;
            int outer = outermost ? outChannels : width(i - 1);
            int input = outermost ? inChannels : width(i - 1);
            int inner = width(i);
            down.add(Conv2d.of(input, inner, 4).stride(2).padding(1).bias(false)
                    .norm(outermost || innermost ? null : new BatchNorm2d(inner)).build());
            up.add(ConvTranspose2d.of(innermost ? inner : 2 * inner, outer, 4).stride(2).padding(1)
                    .bias(outermost).norm(outermost ? null : new BatchNorm2d(outer)).build());
        }
        GanInit.normal(this);
    }

    private int width(int level) {
        return ngf << Math.min(level, 3);
    }

    @Override
    public Tensor translate(Tensor mask, Tensor z) {
        return forward(mask);
    }

    @Override
    public Tensor forward(Tensor x) {
        long side = 1L << numDowns;
        if (x.dim() != 4 || x.size(1) != inChannels || x.size(2) % side != 0 || x.size(3) % side != 0) {
            throw new IllegalArgumentException("UnetGenerator with " + numDowns + " down-samplings expects N x "
                    + inChannels + " x H x W with H and W multiples of " + side + ", got " + Arrays.toString(x.shape()));
        }
        Tensor h = level(1, down.get(0).forward(x));
        return torch.tanh(up.get(0).forward(F.relu_(h)));
    }

    /**
     * pix2pix's in-place LeakyReLU turns its skip into LeakyReLU(x); the ReLU that next reads
     * the concatenation makes that identical to concatenating x, in value and gradient.
     */
    private Tensor level(int i, Tensor x) {
        Tensor h = down.get(i).forward(torch.leaky_relu(x, F.scalar(SLOPE)));
        if (i < numDowns - 1) {
            h = level(i + 1, h);
        }
        h = up.get(i).forward(F.relu_(h));
        if (dropout && i >= 4 && i < numDowns - 1) {
            h = torch.dropout(h, DROPOUT, isTraining());
        }
        return torch.cat(new TensorVector(x, h), 1);
    }
}
