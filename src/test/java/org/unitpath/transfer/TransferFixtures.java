package org.unitpath.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.io.NpyFloat;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.seg.WeightNames;
import org.unitpath.testing.TestImages;
import org.unitpath.torch.Device;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;

/** Small trunks, weight files and two trivially separable classes of tiles cut from the demo image. */
final class TransferFixtures {
    static final int SIDE = 64;

    private TransferFixtures() {}

    /** A randomly initialised ResNet-50-GN with half the channels (1024 features). */
    static ResNet narrowTrunk(long seed) {
        return narrowTrunk("GN", seed);
    }

    /**
     * A random narrow trunk with the given norm. The probe tests use BN (identity statistics in
     * evaluation mode): measured on a random GN trunk, even tissue vs synthetic patterns gave a
     * kNN accuracy of only 0.78, and colour inversion or blur changed the class means no more
     * than sampling noise; a random BN trunk gives 1.0 (linear) and 0.97 (kNN) on tissue vs patterns.
     */
    static ResNet narrowTrunk(String norm, long seed) {
        Torch.seed(seed);
        return new ResNet(ResNetConfig.resnet50(norm).narrowed(2));
    }

    /** The trunk as S would save it: Detectron2 names under backbone.bottom_up., plus an FPN entry that is not used. */
    static Path saveDetectron2(ResNet trunk, Path file) throws IOException {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        trunk.stateDict().forEach((k, v) -> sd.put(WeightNames.TRUNK_PREFIX + k, v));
        sd.put("backbone.fpn_lateral2.weight", Tensors.zeros(4, 4, 1, 1));
        PtFile.write(file, sd);
        return file;
    }

    /** The trunk with torchvision names and a 1000-class fc, as backbone_torchvision.pt. */
    static Path saveTorchvision(ResNet trunk, Path file) throws IOException {
        PtFile.write(file, new LinkedHashMap<>(WeightNames.toTorchvision(trunk.stateDict(), 1000)));
        return file;
    }

    /** SIDE x SIDE tiles of the demo image at the given stride. */
    static List<RgbImage> ihcTiles(Path scratch, int stride) {
        RgbImage ihc = TestImages.ihc(scratch);
        List<RgbImage> out = new ArrayList<>();
        for (int y = 0; y + SIDE <= ihc.height(); y += stride) {
            for (int x = 0; x + SIDE <= ihc.width(); x += stride) {
                out.add(ihc.crop(x, y, SIDE, SIDE));
            }
        }
        return out;
    }

    /** A synthetic SIDE x SIDE tile: colour gradients and noise, nothing like tissue. */
    static RgbImage pattern(int seed) {
        return TestImages.pattern(SIDE, SIDE, 1000 + seed);
    }

    static ImageSource source(List<RgbImage> images) {
        return new ImageSource() {
            @Override
            public int size() {
                return images.size();
            }

            @Override
            public RgbImage read(int i) {
                return images.get(i);
            }
        };
    }

    static NpyFloat.Matrix features(ResNet trunk, List<RgbImage> images) throws IOException {
        return new FeatureExtractor(trunk, Device.CPU, SIDE, 16, 2).all(source(images), "test tiles");
    }

    /**
     * An image-folder dataset: root/ihc/*.png (tiles of the demo image) and root/pattern/*.png
     * (synthetic patterns), {@code perClass} of each; {@code offset} picks other tiles.
     */
    static Path twoClassFolder(Path root, Path scratch, int perClass, int offset) throws IOException {
        List<RgbImage> tiles = ihcTiles(scratch, 32);
        for (int i = 0; i < perClass; i++) {
            Png.write(root.resolve("ihc").resolve(String.format("t%03d.png", i)), tiles.get((offset + i * 7) % tiles.size()));
            Png.write(root.resolve("pattern").resolve(String.format("t%03d.png", i)), pattern(offset + i));
        }
        return root;
    }
}
