package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.data.Targets;
import org.unitpath.infer.Nucleus;
import org.unitpath.infer.NucleusSink;
import org.unitpath.infer.SegmenterWeights;
import org.unitpath.infer.SlideSegmenter;
import org.unitpath.io.Png;
import org.unitpath.seg.GtInstances;
import org.unitpath.seg.Instances;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.TileSource;
import org.unitpath.testing.GeoJsonAsserts;
import org.unitpath.testing.LabelTiffs;
import org.unitpath.testing.SyntheticNuclei;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;
import org.unitpath.train.Adam;
import org.unitpath.train.Batches;
import org.unitpath.train.SettingsFromConfig;

/**
 * {@code unitpath segment} end to end: a half-width S (configs/pretrain/quickstart.yaml) briefly
 * trained on synthetic H&E-like nuclei must find the nuclei of an unseen image larger than a
 * tile, agree with whole-image inference across tile seams, and write consistent outputs.
 */
class SegmentCommandTest {
    private static final Path QUICKSTART = Path.of("configs/pretrain/quickstart.yaml");
    private static final int TRAIN_SIZE = 128;
    private static SegmentationNetwork trained;
    @TempDir
    static Path shared;
    private static Path weights;

    @BeforeAll
    static void train() throws IOException {
        Torch.seed(3);
        SegConfig config = SettingsFromConfig.resolve(Config.load(QUICKSTART), 1).seg();
        SegmentationNetwork s = new SegmentationNetwork(config);
        Adam opt = Adam.of(s.parameters(), 1e-3, 0.9, 0.999);
        for (int it = 0; it < 80; it++) {
            try (MemoryScope scope = MemoryScope.open()) {
                List<float[]> images = new ArrayList<>();
                List<GtInstances> gt = new ArrayList<>();
                for (int b = 0; b < 2; b++) {
                    SyntheticNuclei.Scene scene = SyntheticNuclei.scene(TRAIN_SIZE, TRAIN_SIZE, 1000L * it + b);
                    images.add(scene.chw());
                    gt.add(Batches.groundTruth(Targets.instances(scene.labels().clone(), TRAIN_SIZE), TRAIN_SIZE, Device.CPU));
                }
                Tensor total = null;
                for (Tensor l : s.losses(Batches.images(images, TRAIN_SIZE, Device.CPU), gt, null).values()) {
                    total = total == null ? l : total.add(l);
                }
                opt.zeroGrad();
                total.backward();
                opt.step();
            }
        }
        weights = shared.resolve("S.pt");
        PtFile.write(weights, s.stateDict());
        trained = SegmenterWeights.load(weights, config, 0.5, 1000, Device.CPU);
    }

    /** Collects nuclei. */
    private static final class Collect implements NucleusSink {
        final List<Nucleus> nuclei = new ArrayList<>();

        @Override
        public void accept(Nucleus n) {
            nuclei.add(n);
        }

        @Override
        public void commit() {}

        @Override
        public void close() {}
    }

    @Test
    void tiledSegmentationFindsTheSameNucleiAsWholeImageInference() throws IOException {
        SyntheticNuclei.Scene scene = SyntheticNuclei.scene(320, 320, 77);
        Collect tiled = new Collect();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor image = Tensors.of(scene.chw(), 3, 320, 320);
            new SlideSegmenter(SegmenterWeights.detector(trained, Device.CPU), 160, 48)
                    .run(TileSource.of(image), t -> true, tiled, (done, total, n) -> { });
            Instances whole = trained.detect(image.unsqueeze(0)).get(0);
            float[] masks = Tensors.toFloats(whole.masks());
            int matched = 0;
            for (int k = 0; k < whole.size(); k++) {
                double best = 0;
                for (Nucleus n : tiled.nuclei) {
                    best = Math.max(best, iou(masks, k * 320 * 320, n));
                }
                matched += best > 0.7 ? 1 : 0;
            }
            assertTrue(Math.abs(whole.size() - tiled.nuclei.size()) <= Math.max(1, whole.size() / 20),
                    "whole image " + whole.size() + " nuclei, tiled " + tiled.nuclei.size());
            assertTrue(matched >= whole.size() * 0.95, matched + " of " + whole.size() + " whole-image nuclei found by tiles");
        }
    }

    private static double iou(float[] masks, int offset, Nucleus n) {
        int inter = 0;
        int area = 0;
        for (int p = 0; p < 320 * 320; p++) {
            boolean a = masks[offset + p] > 0;
            boolean b = n.region().contains(p % 320, p / 320);
            inter += a && b ? 1 : 0;
            area += a ? 1 : 0;
        }
        long union = area + n.measurements().area() - inter;
        return union == 0 ? 0 : (double) inter / union;
    }

    @Test
    void segmentCommandFindsTheNucleiOfAnUnseenImage() throws IOException {
        SyntheticNuclei.Scene scene = SyntheticNuclei.scene(352, 288, 99);
        Path in = shared.resolve("unseen.png");
        Png.write(in, scene.image());
        Path out = shared.resolve("out");
        CliTest.Run r = CliTest.run("segment", "--threads", "2", "--weights", weights.toString(), "--config", QUICKSTART.toString(),
                "--tile", "160", "--overlap", "48", "--device", "cpu", "--mpp", "0.5", "--out", out.toString(), in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("unseen:"), r.out());
        var geo = new ObjectMapper().readTree(out.resolve("unseen.geojson").toFile());
        int found = GeoJsonAsserts.assertQuPathFeatureCollection(geo);
        assertTrue(Math.abs(found - scene.count()) <= scene.count() / 10,
                found + " nuclei found, " + scene.count() + " in the image");
        int[] labels = LabelTiffs.read(out.resolve("unseen.labels.tif"));
        assertEquals(352 * 288, labels.length);
        assertEquals(found, java.util.Arrays.stream(labels).filter(v -> v > 0).distinct().count(), "every nucleus in the label image");
        int hits = 0;
        for (int p = 0; p < labels.length; p++) {
            hits += (labels[p] > 0) == (scene.labels()[p] > 0) ? 1 : 0;
        }
        assertTrue(hits > 0.95 * labels.length, "pixel agreement with the truth " + (double) hits / labels.length);
        List<String> csv = Files.readAllLines(out.resolve("unseen.csv"));
        assertEquals(found + 1, csv.size());
        Map<?, ?> m = new ObjectMapper().convertValue(geo.get("features").get(0).get("properties").get("measurements"), Map.class);
        assertTrue(m.containsKey("Area µm^2"), m.toString());

        CliTest.Run again = CliTest.run("segment", "--weights", weights.toString(), "--config", QUICKSTART.toString(),
                "--out", out.toString(), in.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("outputs exist, skipped"), again.out());
    }
}
