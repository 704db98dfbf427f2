package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.InstanceNorm2d;
import org.unitpath.nn.Layer;
import org.unitpath.nn.Pad2d;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;

/**
 * CycleGAN residual block at constant width: x + IN(conv(pad(ReLU(IN(conv(pad(x))))))), with
 * reflection padding 1 and 3x3 convolutions {@code conv1}, {@code conv2} (with bias).
 */
public final class ResidualBlock extends Module implements Layer {
    private final Conv2d conv1;
    private final Conv2d conv2;

    public ResidualBlock(int channels) {
        conv1 = child("conv1", Conv2d.of(channels, channels, 3).bias(true).norm(new InstanceNorm2d(channels)).build());
        conv2 = child("conv2", Conv2d.of(channels, channels, 3).bias(true).norm(new InstanceNorm2d(channels)).build());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = F.relu_(conv1.forward(Pad2d.reflect(x, 1)));
        h = conv2.forward(Pad2d.reflect(h, 1));
        return x.add(h);
    }
}
