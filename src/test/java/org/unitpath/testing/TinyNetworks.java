package org.unitpath.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.unitpath.config.Config;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.WeightNames;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;
import org.unitpath.train.SettingsFromConfig;

/** Untrained weight files for command tests that need a network but not a good one. */
public final class TinyNetworks {
    public static final String QUICKSTART = "configs/pretrain/quickstart.yaml";

    private TinyNetworks() {}

    /** {@code dir/S.pt}: a random S of the quickstart config (half width). */
    public static Path segmenter(Path dir, long seed) throws IOException {
        Torch.seed(seed);
        Path out = dir.resolve("S.pt");
        PtFile.write(out, new SegmentationNetwork(SettingsFromConfig.resolve(Config.load(Path.of(QUICKSTART)), 1).seg()).stateDict());
        return out;
    }

    /** {@code dir/tv.pt}: a random ResNet-50-GN trunk of half width, with torchvision names. */
    public static Path trunk(Path dir, long seed) throws IOException {
        Torch.seed(seed);
        Path out = dir.resolve("tv.pt");
        PtFile.write(out, new LinkedHashMap<>(WeightNames.toTorchvision(new ResNet(ResNetConfig.resnet50GN().narrowed(2)).stateDict(), 0)));
        return out;
    }
}
