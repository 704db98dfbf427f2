package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/** ROIPooler: FPN level assignment, and values and gradients over four levels equal to per-level torchvision roi_align. */
class RoiPoolerTest {
    private static final double[] P2_P5 = {1.0 / 4, 1.0 / 8, 1.0 / 16, 1.0 / 32};

    @Test
    void poolsEachBoxFromItsLevelLikeTorchvision() {
        try (MemoryScope s = MemoryScope.open()) {
            List<Tensor> features = new ArrayList<>();
            for (int l = 2; l <= 5; l++) {
                features.add(DetectionFixtures.get("pooler.p" + l).clone().requires_grad_(true));
            }
            List<Tensor> boxes = List.of(DetectionFixtures.get("pooler.boxes0"), DetectionFixtures.get("pooler.boxes1"));
            RoiPooler pooler = new RoiPooler(7, P2_P5, 0, 16, 4);
            DetectionFixtures.assertSameLongs(DetectionFixtures.get("pooler.levels"), pooler.levels(torch.cat(new TensorVector(boxes.get(0), boxes.get(1)), 0)), "levels");
            Tensor out = pooler.pool(features, boxes);
            DetectionFixtures.assertClose(DetectionFixtures.get("pooler.out"), out, 1e-5, "pooled");
            TensorVector grads = torch.grad(new TensorVector(out.mul(DetectionFixtures.get("pooler.upstream")).sum()),
                    new TensorVector(features.toArray(new Tensor[0])), new TensorVector(), new BoolOptional(false), false, false);
            for (int l = 0; l < 4; l++) {
                DetectionFixtures.assertClose(DetectionFixtures.get("pooler.p" + (l + 2) + ".grad"), grads.get(l), 1e-4, "grad p" + (l + 2));
            }
        }
    }

    @Test
    void canonicalBoxesGoToLevelFourTinyToTwoHugeToFive() {
        try (MemoryScope s = MemoryScope.open()) {
            RoiPooler pooler = new RoiPooler(7, P2_P5, 0, 224, 4);
            Tensor boxes = Tensors.of(new float[] {
                10, 10, 234, 234,      // 224^2 -> P4
                0, 0, 2, 2,            // tiny -> P2
                0, 0, 2000, 2000,      // huge -> clamped to P5
                0, 0, 112, 112,        // half the canonical size -> P3
                0, 0, 111, 111,        // just below -> P2
                0, 0, 448, 448,        // twice -> P5
                0, 0, 0, 0}, 7, 4);    // empty -> P2
            assertArrayEquals(new long[] {2, 0, 3, 1, 0, 3, 0}, HostArrays.toLongs(pooler.levels(boxes)));
        }
    }

    @Test
    void imagesWithoutBoxesGiveAnEmptyOutput() {
        try (MemoryScope s = MemoryScope.open()) {
            RoiPooler pooler = new RoiPooler(7, P2_P5, 0, 224, 4);
            List<Tensor> features = List.of(Tensors.randn(2, 8, 16, 16), Tensors.randn(2, 8, 8, 8), Tensors.randn(2, 8, 4, 4),
                    Tensors.randn(2, 8, 2, 2));
            Tensor out = pooler.pool(features, List.of(Tensors.zeros(0, 4), Tensors.zeros(0, 4)));
            assertArrayEquals(new long[] {0, 8, 7, 7}, out.shape());
            Tensor one = pooler.pool(features, List.of(Tensors.zeros(0, 4), Tensors.of(new float[] {1, 1, 20, 20}, 1, 4)));
            assertArrayEquals(new long[] {1, 8, 7, 7}, one.shape());
            Tensor direct = RoiAlign.apply(features.get(0), Tensors.of(new float[] {1, 1, 1, 20, 20}, 1, 5), 7, 7, 0.25, 0, true);
            DetectionFixtures.assertClose(direct, one, 1e-6, "a lone small box on P2 of image 1");
        }
    }

    @Test
    void rejectsMismatchedInputs() {
        assertThrows(IllegalArgumentException.class, () -> new RoiPooler(7, new double[] {0.25, 0.1}, 0, 224, 4));
        assertThrows(IllegalArgumentException.class, () -> new RoiPooler(7, new double[] {0.25, 0.0625}, 0, 224, 4));
        RoiPooler pooler = new RoiPooler(7, P2_P5, 0, 224, 4);
        try (MemoryScope s = MemoryScope.open()) {
            List<Tensor> three = List.of(Tensors.zeros(1, 4, 8, 8), Tensors.zeros(1, 4, 4, 4), Tensors.zeros(1, 4, 2, 2));
            assertThrows(IllegalArgumentException.class, () -> pooler.pool(three, List.of(Tensors.zeros(1, 4))));
            List<Tensor> four = List.of(Tensors.zeros(1, 4, 8, 8), Tensors.zeros(1, 4, 4, 4), Tensors.zeros(1, 4, 2, 2),
                    Tensors.zeros(1, 4, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> pooler.pool(four, List.of(Tensors.zeros(1, 4), Tensors.zeros(1, 4))));
            assertThrows(IllegalArgumentException.class, () -> pooler.pool(four, List.of(Tensors.zeros(1, 5))));
        }
    }
}
