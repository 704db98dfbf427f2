package org.unitpath.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.report.ProcessMemory;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;

/** Native memory stays flat over many training steps when each runs in a MemoryScope. */
class MemoryScopeTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void twoHundredForwardBackwardStepsDoNotGrowNativeMemory() {
        Torch.seed(0);
        ResNet net = new ResNet(ResNetConfig.resnet50GN().narrowed(2));
        Tensor x = Tensors.randn(2, 3, 64, 64);
        Runnable step = () -> {
            try (MemoryScope s = MemoryScope.open()) {
                net.pooled(x).square().sum().backward();
                for (Tensor p : net.parameters()) {
                    p.grad().zero_();
                }
            }
        };
        for (int i = 0; i < 20; i++) {
            step.run();
        }
        long before = ProcessMemory.rss();
        for (int i = 0; i < 200; i++) {
            step.run();
        }
        long growth = ProcessMemory.rss() - before;
        assertTrue(growth < 40 * MIB, "RSS grew by " + growth / MIB + " MiB over 200 steps");
    }

    @Test
    void movedOutTensorsLiveUntilTheOuterScopeCloses() {
        try (MemoryScope outer = MemoryScope.open()) {
            Tensor moved;
            Tensor inner;
            try (MemoryScope s = MemoryScope.open()) {
                inner = Tensors.ones(2);
                moved = s.moveOut(inner.mul(F.scalar(3.0)));
            }
            assertTrue(inner.isNull(), "tensors left in the inner scope are freed");
            assertEquals(6.0, moved.sum().item_double());
        }
        try (MemoryScope lone = MemoryScope.open()) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> lone.moveOut(Tensors.ones(1)));
        }
    }

    @Test
    void keptTensorsSurviveTheScope() {
        Tensor kept;
        try (MemoryScope s = MemoryScope.open()) {
            kept = MemoryScope.keep(Tensors.ones(3).mul(F.scalar(2.0)));
        }
        assertEquals(6.0, kept.sum().item_double());
    }

    @Test
    void scopedLayersFreeTheirIntermediatesAndKeepWhatBackwardNeeds() {
        try (MemoryScope step = MemoryScope.open()) {
            Tensor x = Tensors.of(new float[] {0.5f, -1f}, 2).requires_grad_(true);
            Tensor[] temp = new Tensor[1];
            Tensor y = MemoryScope.scoped(() -> {
                temp[0] = x.mul(x);
                return temp[0].exp();
            });
            assertTrue(temp[0].isNull(), "the layer's temporary is released at its end");
            y.sum().backward();
            float[] grad = Tensors.toFloats(x.grad());
            assertEquals(2 * 0.5 * Math.exp(0.25), grad[0], 1e-6, "d/dx exp(x^2), through the released x^2");
            assertEquals(-2 * Math.exp(1), grad[1], 1e-5);
        }
    }

    @Test
    void chainsReleaseEachOutputOnceTheNextLayerHasIt() {
        try (MemoryScope step = MemoryScope.open()) {
            Tensor x = Tensors.ones(3);
            java.util.List<Tensor> outputs = new java.util.ArrayList<>();
            java.util.function.UnaryOperator<Tensor> addOne = t -> {
                Tensor y = t.add(F.scalar(1.0));
                outputs.add(y);
                return y;
            };
            Tensor out = MemoryScope.chain(x, java.util.List.of(addOne, addOne, addOne));
            assertEquals(12.0, out.sum().item_double());
            assertTrue(outputs.get(0).isNull() && outputs.get(1).isNull(), "intermediate outputs released");
            assertEquals(3.0, x.sum().item_double(), "the input is left to its owner");
            java.util.Map<String, Tensor> levels = MemoryScope.scopedMap(() -> java.util.Map.of("a", x.mul(F.scalar(2.0))));
            assertEquals(6.0, levels.get("a").sum().item_double());
        }
    }
}
