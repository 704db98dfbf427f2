package org.unitpath.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.nn.BatchNorm2d;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.GroupNorm;

class ModuleTest {
    /** A two-level tree: block.conv (with GN) and block.bn. */
    static final class Block extends Module {
        final Conv2d conv = child("conv", Conv2d.of(3, 32, 3).padding(1).norm(new GroupNorm(8, 32)).build());
        final BatchNorm2d bn = child("bn", new BatchNorm2d(32));
    }

    static final class Net extends Module {
        final Tensor scale = param("scale", Tensors.ones(1));
        final Block block = child("block", new Block());
    }

    @Test
    void namesAreDottedPathsInPyTorchOrder() {
        Net net = new Net();
        assertEquals(List.of("scale", "block.conv.weight", "block.conv.norm.weight", "block.conv.norm.bias",
                "block.bn.weight", "block.bn.bias"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(List.of("block.bn.running_mean", "block.bn.running_var", "block.bn.num_batches_tracked"),
                List.copyOf(net.namedBuffers().keySet()));
        assertEquals(List.of("scale", "block.conv.weight", "block.conv.norm.weight", "block.conv.norm.bias",
                "block.bn.weight", "block.bn.bias", "block.bn.running_mean", "block.bn.running_var",
                "block.bn.num_batches_tracked"), List.copyOf(net.stateDict().keySet()));
        assertEquals(1 + 32 * 27 + 32 * 4, net.parameterCount());
        assertTrue(net.namedParameters().values().stream().allMatch(Tensor::requires_grad));
    }

    @Test
    void rejectsDottedAndDuplicateNames() {
        class Bad extends Module {
            Bad(String a, String b) {
                param(a, Tensors.zeros(1));
                param(b, Tensors.zeros(1));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Bad("a.b", "c"));
        assertThrows(IllegalArgumentException.class, () -> new Bad("a", "a"));
    }

    @Test
    void loadStateDictCopiesValuesAndKeepsTensorIdentity() {
        Net a = new Net();
        Net b = new Net();
        Tensor weightBefore = b.block.conv.weight();
        LoadReport report = b.loadStateDict(a.stateDict(), true);
        assertTrue(report.isClean());
        assertSame(weightBefore, b.namedParameters().get("block.conv.weight"));
        assertTrue(torch.equal(a.block.conv.weight(), b.block.conv.weight()));
        assertTrue(b.block.conv.weight().requires_grad(), "loading keeps parameters trainable");
    }

    @Test
    void strictLoadReportsEveryKindOfProblemAndChangesNothing() {
        Net net = new Net();
        Map<String, Tensor> sd = new LinkedHashMap<>(new Net().stateDict());
        sd.remove("block.bn.running_var");
        sd.put("block.extra", Tensors.zeros(2));
        sd.put("block.conv.weight", Tensors.zeros(32, 3, 5, 5));
        Tensor scaleBefore = net.scale.clone();
        sd.put("scale", Tensors.ones(1).mul(F.scalar(7.0)));
        StateDictException e = assertThrows(StateDictException.class, () -> net.loadStateDict(sd, true));
        assertEquals(List.of("block.bn.running_var"), e.report().missing());
        assertEquals(List.of("block.extra"), e.report().unexpected());
        assertEquals(1, e.report().mismatched().size());
        assertTrue(e.getMessage().contains("block.conv.weight: checkpoint [32, 3, 5, 5], model [32, 3, 3, 3]"), e.getMessage());
        assertTrue(torch.equal(scaleBefore, net.scale), "a failed strict load copies nothing");

        LoadReport lenient = net.loadStateDict(sd, false);
        assertFalse(lenient.isClean());
        assertEquals(7.0, net.scale.item_double(), "non-strict load copies what matches");
    }

    @Test
    void trainEvalAndFreezingReachTheWholeTree() {
        Net net = new Net();
        net.eval();
        assertFalse(net.block.bn.isTraining());
        net.train(true);
        assertTrue(net.block.conv.isTraining());
        net.block.requiresGrad(false);
        assertEquals(List.of(net.scale), net.trainableParameters());
    }

    @Test
    void toCpuKeepsIdentityAndBatchNormCountsBatches() {
        Net net = new Net();
        Tensor w = net.block.conv.weight();
        net.to(Device.CPU);
        assertSame(w, net.block.conv.weight());
        try (MemoryScope s = MemoryScope.open()) {
            net.block.bn.forward(net.block.conv.forward(Tensors.randn(2, 3, 8, 8)));
        }
        assertEquals(1, net.stateDict().get("block.bn.num_batches_tracked").item_double());
    }
}
