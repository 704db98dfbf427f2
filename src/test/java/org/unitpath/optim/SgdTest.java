package org.unitpath.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.nn.GroupNorm;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

class SgdTest {
    /** Three steps of torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.01) on f(p) = sum(p^2), by hand. */
    @Test
    void matchesPyTorchsUpdateRule() {
        Tensor p = MemoryScope.keep(Tensors.of(new float[] {1f, -2f}, 2).requires_grad_(true));
        Sgd sgd = new Sgd(0.9, new Sgd.Group(List.of(p), 0.1, 0.01));
        double[] x = {1, -2};
        double[] buf = null;
        for (int t = 1; t <= 3; t++) {
            try (MemoryScope s = MemoryScope.open()) {
                sgd.zeroGrad();
                p.square().sum().backward();
                sgd.step();
            }
            double[] g = {2 * x[0] + 0.01 * x[0], 2 * x[1] + 0.01 * x[1]};
            buf = buf == null ? g : new double[] {0.9 * buf[0] + g[0], 0.9 * buf[1] + g[1]};
            x[0] -= 0.1 * buf[0];
            x[1] -= 0.1 * buf[1];
        }
        float[] got = Tensors.toFloats(p);
        assertEquals(x[0], got[0], 1e-6);
        assertEquals(x[1], got[1], 1e-6);
    }

    @Test
    void normParametersFormTheirOwnGroupAndResumeRestoresMomentum() {
        ResNet net = new ResNet(ResNetConfig.resnet50GN().narrowed(2));
        Sgd sgd = Sgd.detectron2(net, 0.01, 0.9, 1e-4, 0.0);
        long norms = countGroupNorms(net);
        assertEquals(2 * norms, sgd.groups().get(1).params.size(), "weight and bias of every GroupNorm");
        assertEquals(net.trainableParameters().size(), sgd.groups().get(0).params.size() + sgd.groups().get(1).params.size());
        assertEquals(0.0, sgd.groups().get(1).weightDecay);
        Tensor p = MemoryScope.keep(Tensors.of(new float[] {3f}, 1).requires_grad_(true));
        Sgd a = new Sgd(0.9, new Sgd.Group(List.of(p), 0.1, 0));
        try (MemoryScope s = MemoryScope.open()) {
            p.square().sum().backward();
            a.step();
        }
        Sgd b = new Sgd(0.9, new Sgd.Group(List.of(p), 0.5, 0));
        b.loadStateDict(a.stateDict());
        assertEquals(0.1, b.groups().get(0).lr);
        assertTrue(b.stateDict().containsKey("0.0.momentum_buffer"));
        assertEquals(6f, Tensors.toFloats((Tensor) b.stateDict().get("0.0.momentum_buffer"))[0], 1e-6);
    }

    private static long countGroupNorms(org.unitpath.torch.Module m) {
        long n = m instanceof GroupNorm ? 1 : 0;
        for (org.unitpath.torch.Module c : m.children().values()) {
            n += countGroupNorms(c);
        }
        return n;
    }
}
