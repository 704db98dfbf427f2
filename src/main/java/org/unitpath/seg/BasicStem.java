package org.unitpath.seg;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.Layer;
import org.unitpath.nn.Norms;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/** ResNet stem: 7x7 stride-2 conv + norm + ReLU, then 3x3 stride-2 max-pool (stride 4 overall). */
public final class BasicStem extends Module implements Layer {
    private final Conv2d conv1;

    public BasicStem(int in, int out, String norm) {
        conv1 = child("conv1", Conv2d.of(in, out, 7).stride(2).padding(3).bias(false).norm(Norms.create(norm, out)).build());
        Init.msraFill(conv1.weight());
    }

    @Override
    public Tensor forward(Tensor x) {
        return MemoryScope.scoped(() -> F.maxPool2d(F.relu_(conv1.forward(x)), 3, 2, 1));
    }
}
