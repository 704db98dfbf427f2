package org.unitpath.transfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.data.ImageFolderInput;
import org.unitpath.io.NpyFloat;
import org.unitpath.io.RgbImage;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.seg.WeightNames;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.pt.PtFile;

class FeaturesTest {
    @TempDir
    Path dir;

    @Test
    void bothNamingsGiveTheSameTrunkAndItsPooledFeatures() throws IOException {
        ResNet trunk = TransferFixtures.narrowTrunk(3);
        TrunkWeights.Loaded d2 = TrunkWeights.load(TransferFixtures.saveDetectron2(trunk, dir.resolve("S.pt")));
        TrunkWeights.Loaded tv = TrunkWeights.load(TransferFixtures.saveTorchvision(trunk, dir.resolve("tv.pt")));
        assertEquals(WeightNames.Naming.DETECTRON2, d2.naming());
        assertEquals(WeightNames.Naming.TORCHVISION, tv.naming());
        assertEquals("ResNet-50, GN, 1024 features, torchvision names", tv.describe());
        assertEquals(new ResNetConfig(50, "GN", 0, false, List.of("res5"), 32, 128, 32, 1), d2.trunk().config,
                "architecture read back from the tensors");

        List<RgbImage> tiles = TransferFixtures.ihcTiles(dir, 160).subList(0, 5);
        NpyFloat.Matrix a = TransferFixtures.features(d2.trunk(), tiles);
        NpyFloat.Matrix b = TransferFixtures.features(tv.trunk(), tiles);
        assertEquals(5, a.rows());
        assertEquals(1024, a.cols());
        assertArrayEquals(a.data(), b.data(), "identical features from either naming");

        float[] pixels = new float[5 * 3 * 64 * 64];
        for (int i = 0; i < 5; i++) {
            System.arraycopy(ImageFolderInput.normalised(tiles.get(i), 64), 0, pixels, i * 3 * 64 * 64, 3 * 64 * 64);
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            trunk.eval();
            float[] direct = Tensors.toFloats(trunk.pooled(Tensors.of(pixels, 5, 3, 64, 64)));
            assertArrayEquals(direct, a.data(), 1e-5f, "the features are ResNet.pooled of the normalised tiles");
        }
        float[] p = ImageFolderInput.normalised(tiles.get(0), 64);
        assertEquals(((tiles.get(0).get(0, 0, 0)) - 127.5f) / 127.5f, p[0], 1e-6f, "mean = std = 0.5");
        assertEquals(((tiles.get(0).get(3, 2, 2)) - 127.5f) / 127.5f, p[2 * 64 * 64 + 2 * 64 + 3], 1e-6f, "CHW, RGB");
    }

    @Test
    void batchNormTrunksAreRecognised() throws IOException {
        ResNet bn = new ResNet(ResNetConfig.resnet50("BN").narrowed(2));
        TrunkWeights.Loaded l = TrunkWeights.load(TransferFixtures.saveTorchvision(bn, dir.resolve("bn.pt")));
        assertEquals("BN", l.trunk().config.norm());
        Map<String, Tensor> frozen = new LinkedHashMap<>(bn.stateDict());
        frozen.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        PtFile.write(dir.resolve("frozen.pt"), frozen);
        assertEquals("FrozenBN", TrunkWeights.load(dir.resolve("frozen.pt")).trunk().config.norm());
    }

    @Test
    void weightsThatDoNotFitAreRejectedByName() throws IOException {
        ResNet trunk = TransferFixtures.narrowTrunk(4);
        Map<String, Tensor> tv = new LinkedHashMap<>(WeightNames.toTorchvision(trunk.stateDict(), 0));
        tv.remove("layer3.2.bn2.weight");
        Path missing = dir.resolve("missing.pt");
        PtFile.write(missing, tv);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrunkWeights.load(missing));
        assertTrue(e.getMessage().startsWith(missing + ": the weights do not fit"), e.getMessage());
        assertTrue(e.getMessage().contains("missing in checkpoint: res4.2.conv2.norm.weight"), e.getMessage());

        tv = new LinkedHashMap<>(WeightNames.toTorchvision(trunk.stateDict(), 0));
        tv.put("layer5.0.conv1.weight", Tensors.zeros(1));
        Path extra = dir.resolve("extra.pt");
        PtFile.write(extra, tv);
        e = assertThrows(IllegalArgumentException.class, () -> TrunkWeights.load(extra));
        assertTrue(e.getMessage().contains("not part of a torchvision ResNet: [layer5.0.conv1.weight]"), e.getMessage());

        Map<String, Tensor> d2 = new LinkedHashMap<>();
        trunk.stateDict().forEach((k, v) -> d2.put(k.startsWith("res5") ? "x" + k : k, v));
        Path noRes5 = dir.resolve("nores5.pt");
        PtFile.write(noRes5, d2);
        e = assertThrows(IllegalArgumentException.class, () -> TrunkWeights.load(noRes5));
        assertTrue(e.getMessage().contains("blocks per stage res2..res5 are [3, 4, 6, 0]"), e.getMessage());

        Path other = dir.resolve("other.pt");
        PtFile.write(other, Map.of("encoder.weight", Tensors.zeros(2)));
        e = assertThrows(IllegalArgumentException.class, () -> TrunkWeights.load(other));
        assertTrue(e.getMessage().contains("no ResNet trunk found"), e.getMessage());
    }
}
