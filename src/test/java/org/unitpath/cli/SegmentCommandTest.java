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
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.data.SyntheticNuclei;
import org.unitpath.data.Targets;
import org.unitpath.infer.Nucleus;
import org.unitpath.infer.NucleusSink;
import org.unitpath.infer.SegmenterWeights;
import org.unitpath.infer.SlideSegmenter;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.optim.Adam;
import org.unitpath.seg.GtInstances;
import org.unitpath.seg.Instances;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.TileSource;
import org.unitpath.testing.GeoJsonAsserts;
import org.unitpath.testing.LabelTiffs;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;
import org.unitpath.train.Batches;
import org.unitpath.train.SettingsFromConfig;

/**
 * {@code unitpath segment} end to end: a half-width S (configs/pretrain/quickstart.yaml) briefly
 * trained on four synthetic H&E-like images must find the nuclei of their 256x256 mosaic, which
 * is larger than a tile, agree with whole-image inference across tile seams, and write
 * consistent outputs. How well a briefly trained S does depends on the CPU's floating-point
 * kernels, so exact claims about seams are made with a detector that reads painted nuclei.
 */
class SegmentCommandTest {
    private static final Path QUICKSTART = Path.of("configs/pretrain/quickstart.yaml");
    private static final int SIZE = 128;
    private static final int MOSAIC = 2 * SIZE;
    private static SegmentationNetwork trained;
    @TempDir
    static Path shared;
    private static Path weights;
    private static RgbImage mosaic;
    private static int[] truth;
    private static int truthCount;

    @BeforeAll
    static void train() throws IOException {
        Torch.seed(3);
        SplittableRandom rng = new SplittableRandom(5);
        List<float[]> images = new ArrayList<>();
        List<GtInstances> gt = new ArrayList<>();
        mosaic = RgbImage.blank(MOSAIC, MOSAIC);
        truth = new int[MOSAIC * MOSAIC];
        for (int i = 0; i < 4; i++) {
            SyntheticNuclei.Sample s = SyntheticNuclei.generate(SIZE, rng.split());
            images.add(chw(s.image()));
            gt.add(keep(Batches.groundTruth(Targets.instances(s.labels().clone(), SIZE), SIZE, Device.CPU)));
            for (int p = 0; p < SIZE * SIZE; p++) {
                int x = (i % 2) * SIZE + p % SIZE;
                int y = (i / 2) * SIZE + p / SIZE;
                truth[y * MOSAIC + x] = s.labels()[p] == 0 ? 0 : truthCount + s.labels()[p];
                for (int c = 0; c < 3; c++) {
                    mosaic.set(x, y, c, s.image().get(p % SIZE, p / SIZE, c));
                }
            }
            truthCount += s.count();
        }
        SegConfig config = SettingsFromConfig.resolve(Config.load(QUICKSTART), 1).seg();
        SegmentationNetwork s = new SegmentationNetwork(config);
        Adam opt = Adam.of(s.parameters(), 1e-3, 0.9, 0.999);
        Tensor batch = MemoryScope.keep(Batches.images(images, SIZE, Device.CPU));
        for (int it = 0; it < 150; it++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor total = null;
                for (Tensor l : s.losses(batch, gt, null).values()) {
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

    private static GtInstances keep(GtInstances g) {
        return new GtInstances(MemoryScope.keep(g.boxes()), MemoryScope.keep(g.classes()), MemoryScope.keep(g.masks()));
    }

    /** An image as 3 x H x W floats in [-1, 1] (S's input normalisation). */
    private static float[] chw(RgbImage image) {
        int n = image.width() * image.height();
        float[] out = new float[3 * n];
        for (int p = 0; p < n; p++) {
            for (int c = 0; c < 3; c++) {
                out[c * n + p] = ((image.rgb()[3 * p + c] & 0xff) - 127.5f) / 127.5f;
            }
        }
        return out;
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

    /**
     * Seams without a network: the mosaic's truth painted one colour per nucleus, and a detector
     * that reads the nuclei back from a tile's colours. Tiled segmentation must then keep every
     * nucleus exactly once, with exactly its pixels, whatever the tiles cut.
     */
    @Test
    void tiledSegmentationKeepsEveryNucleusOnceAcrossSeams() throws IOException {
        RgbImage painted = RgbImage.blank(MOSAIC, MOSAIC);
        java.util.Arrays.fill(painted.rgb(), (byte) 255);
        for (int p = 0; p < truth.length; p++) {
            if (truth[p] > 0) {
                painted.set(p % MOSAIC, p / MOSAIC, 0, truth[p]);
                painted.set(p % MOSAIC, p / MOSAIC, 1, 0);
                painted.set(p % MOSAIC, p / MOSAIC, 2, 100);
            }
        }
        Collect tiled = new Collect();
        try (MemoryScope scope = MemoryScope.open()) {
            new SlideSegmenter(SegmentCommandTest::colourOracle, 160, 48)
                    .run(TileSource.of(Tensors.of(chw(painted), 3, MOSAIC, MOSAIC)), t -> true, tiled, (done, total, n) -> { });
        }
        assertEquals(truthCount, tiled.nuclei.size(), "every nucleus once");
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Nucleus n : tiled.nuclei) {
            int label = -1;
            int pixels = 0;
            for (int p = 0; p < truth.length; p++) {
                if (n.region().contains(p % MOSAIC, p / MOSAIC)) {
                    assertTrue(label < 0 || truth[p] == label, "a nucleus spans two truth labels");
                    label = truth[p];
                    pixels++;
                }
            }
            assertTrue(label > 0 && seen.add(label), "nucleus of label " + label + " kept twice or on background");
            final int l = label;
            assertEquals(java.util.Arrays.stream(truth).filter(v -> v == l).count(), pixels, "label " + label + " whole");
        }
    }

    /** Instances of a painted tile: colour (label, 0, 100) is nucleus {@code label}, with score 1. */
    private static Instances colourOracle(Tensor tile) {
        long h = tile.size(tile.dim() - 2);
        long w = tile.size(tile.dim() - 1);
        float[] px = Tensors.toFloats(tile);
        int n = (int) (h * w);
        Map<Integer, List<Integer>> byLabel = new java.util.TreeMap<>();
        for (int p = 0; p < n; p++) {
            int r = Math.round(px[p] * 127.5f + 127.5f);
            int g = Math.round(px[n + p] * 127.5f + 127.5f);
            int b = Math.round(px[2 * n + p] * 127.5f + 127.5f);
            if (g == 0 && b == 100) {
                byLabel.computeIfAbsent(r, k -> new ArrayList<>()).add(p);
            }
        }
        int k = byLabel.size();
        float[] boxes = new float[4 * k];
        float[] masks = new float[k * n];
        int i = 0;
        for (List<Integer> pixels : byLabel.values()) {
            float x0 = w;
            float y0 = h;
            float x1 = 0;
            float y1 = 0;
            for (int p : pixels) {
                masks[i * n + p] = 1;
                x0 = Math.min(x0, p % w);
                y0 = Math.min(y0, p / w);
                x1 = Math.max(x1, p % w + 1);
                y1 = Math.max(y1, p / w + 1);
            }
            boxes[4 * i] = x0;
            boxes[4 * i + 1] = y0;
            boxes[4 * i + 2] = x1;
            boxes[4 * i + 3] = y1;
            i++;
        }
        float[] ones = new float[k];
        java.util.Arrays.fill(ones, 1f);
        return new Instances(Tensors.of(boxes, k, 4), Tensors.of(ones, k), Tensors.of(new float[k], k).to(ScalarType.Long),
                Tensors.of(masks, k, h, w).to(ScalarType.Bool));
    }

    @Test
    void tiledSegmentationFindsWhatWholeImageInferenceFinds() throws IOException {
        Collect tiled = new Collect();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor image = Tensors.of(chw(mosaic), 3, MOSAIC, MOSAIC);
            new SlideSegmenter(SegmenterWeights.detector(trained, Device.CPU), 160, 48)
                    .run(TileSource.of(image), t -> true, tiled, (done, total, n) -> { });
            Instances whole = trained.detect(image.unsqueeze(0)).get(0);
            float[] masks = Tensors.toFloats(whole.masks());
            int matched = 0;
            for (int k = 0; k < whole.size(); k++) {
                double best = 0;
                for (Nucleus n : tiled.nuclei) {
                    best = Math.max(best, iou(masks, k * MOSAIC * MOSAIC, n));
                }
                matched += best > 0.7 ? 1 : 0;
            }
            assertTrue(whole.size() > truthCount / 2, whole.size() + " nuclei found in the whole image");
            assertTrue(matched >= whole.size() * 0.9, matched + " of " + whole.size() + " whole-image nuclei found by tiles");
        }
    }

    private static double iou(float[] masks, int offset, Nucleus n) {
        int inter = 0;
        int area = 0;
        for (int p = 0; p < MOSAIC * MOSAIC; p++) {
            boolean a = masks[offset + p] > 0;
            boolean b = n.region().contains(p % MOSAIC, p / MOSAIC);
            inter += a && b ? 1 : 0;
            area += a ? 1 : 0;
        }
        long union = area + n.measurements().area() - inter;
        return union == 0 ? 0 : (double) inter / union;
    }

    @Test
    void segmentCommandFindsTheNuclei() throws IOException {
        Path in = shared.resolve("mosaic.png");
        Png.write(in, mosaic);
        Path out = shared.resolve("out");
        CliTest.Run r = CliTest.run("segment", "--threads", "2", "--weights", weights.toString(), "--config", QUICKSTART.toString(),
                "--tile", "160", "--overlap", "48", "--device", "cpu", "--mpp", "0.5", "--out", out.toString(), in.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("mosaic:"), r.out());
        var geo = new ObjectMapper().readTree(out.resolve("mosaic.geojson").toFile());
        int found = GeoJsonAsserts.assertQuPathFeatureCollection(geo);
        Collect library = new Collect();
        try (MemoryScope scope = MemoryScope.open()) {
            new SlideSegmenter(SegmenterWeights.detector(trained, Device.CPU), 160, 48)
                    .run(TileSource.of(Tensors.of(chw(mosaic), 3, MOSAIC, MOSAIC)), t -> true, library, (done, total, n) -> { });
        }
        assertEquals(library.nuclei.size(), found, "the command finds what the segmenter finds with the same weights and tiles");
        assertTrue(Math.abs(found - truthCount) <= truthCount / 5, found + " nuclei found, " + truthCount + " in the image");
        int[] labels = LabelTiffs.read(out.resolve("mosaic.labels.tif"));
        assertEquals(MOSAIC * MOSAIC, labels.length);
        long distinct = java.util.Arrays.stream(labels).filter(v -> v > 0).distinct().count();
        assertTrue(distinct >= found * 0.9 && java.util.Arrays.stream(labels).allMatch(v -> v <= found),
                distinct + " labels for " + found + " nuclei (a nucleus may lie under a higher-scored one)");
        int hits = 0;
        for (int p = 0; p < labels.length; p++) {
            hits += (labels[p] > 0) == (truth[p] > 0) ? 1 : 0;
        }
        assertTrue(hits > 0.95 * labels.length, "pixel agreement with the truth " + (double) hits / labels.length);
        CocoDataset coco = CocoDataset.read(out.resolve("mosaic.coco.json"));
        assertEquals(found, coco.annotations().size());
        for (CocoAnnotation a : coco.annotations()) {
            byte[] mask = a.segmentation().toRle(MOSAIC, MOSAIC).decode();
            for (int p = 0; p < mask.length; p++) {
                if (labels[p] == a.id()) {
                    assertEquals(1, mask[p], "label " + a.id() + " pixel outside its COCO mask");
                } else if (mask[p] == 1) {
                    assertTrue(labels[p] != 0, "COCO mask of " + a.id() + " on background of the label image");
                }
            }
        }
        List<String> csv = Files.readAllLines(out.resolve("mosaic.csv"));
        assertEquals(found + 1, csv.size());
        Map<?, ?> m = new ObjectMapper().convertValue(geo.get("features").get(0).get("properties").get("measurements"), Map.class);
        assertTrue(m.containsKey("Area µm^2"), m.toString());

        CliTest.Run again = CliTest.run("segment", "--weights", weights.toString(), "--config", QUICKSTART.toString(),
                "--out", out.toString(), in.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("outputs exist, skipped"), again.out());
    }
}
