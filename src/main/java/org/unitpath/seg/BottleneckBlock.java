package org.unitpath.seg;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.Layer;
import org.unitpath.nn.Norms;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * Bottleneck residual block (1x1 reduce, 3x3, 1x1 expand) with Detectron2's names
 * ({@code shortcut}, {@code conv1..3}, each with {@code .norm}). The stride sits in the 3x3
 * conv unless {@code strideInOneByOne} (the MSRA original).
 */
public final class BottleneckBlock extends Module implements Layer {
    private final Conv2d shortcut;
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Conv2d conv3;

    public BottleneckBlock(int in, int out, int bottleneck, int stride, int groups, String norm, boolean strideInOneByOne) {
        shortcut = in == out ? null
                : child("shortcut", Conv2d.of(in, out, 1).stride(stride).bias(false).norm(Norms.create(norm, out)).build());
        int stride1x1 = strideInOneByOne ? stride : 1;
        int stride3x3 = strideInOneByOne ? 1 : stride;
        conv1 = child("conv1", Conv2d.of(in, bottleneck, 1).stride(stride1x1).bias(false)
                .norm(Norms.create(norm, bottleneck)).build());
        conv2 = child("conv2", Conv2d.of(bottleneck, bottleneck, 3).stride(stride3x3).padding(1).groups(groups)
                .bias(false).norm(Norms.create(norm, bottleneck)).build());
        conv3 = child("conv3", Conv2d.of(bottleneck, out, 1).bias(false).norm(Norms.create(norm, out)).build());
        for (Conv2d c : new Conv2d[] {shortcut, conv1, conv2, conv3}) {
            if (c != null) {
                Init.msraFill(c.weight());
            }
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        return MemoryScope.scoped(() -> {
            Tensor out = F.relu_(conv1.forward(x));
            out = F.relu_(conv2.forward(out));
            out = conv3.forward(out);
            out = out.add_(shortcut == null ? x : shortcut.forward(x));
            return F.relu_(out);
        });
    }
}
