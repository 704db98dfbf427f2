package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.NpyFloat;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.report.MetricsLog;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.seg.WeightNames;
import org.unitpath.testing.TestImages;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;

/** embed, probe and finetune cls end to end on a narrow random trunk and tiny tiles. */
class TransferCommandsTest {
    private static final int SIDE = 32;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static Path weights;
    private static Path dataset;

    @BeforeAll
    static void setUp() throws IOException {
        Torch.seed(5);
        ResNet trunk = new ResNet(ResNetConfig.resnet50GN().narrowed(2));
        weights = shared.resolve("tv.pt");
        PtFile.write(weights, new LinkedHashMap<>(WeightNames.toTorchvision(trunk.stateDict(), 0)));
        dataset = shared.resolve("data");
        RgbImage ihc = TestImages.ihc(shared);
        for (int i = 0; i < 6; i++) {
            Png.write(dataset.resolve("ihc/t" + i + ".png"), ihc.crop(40 * i, 60 * i, SIDE, SIDE));
            Png.write(dataset.resolve("pattern/t" + i + ".png"), TestImages.pattern(SIDE, SIDE, i));
        }
    }

    private static CliTest.Run run(String command, String... args) {
        List<String> all = new ArrayList<>(List.of("--threads", "2"));
        all.addAll(List.of(command.split(" ")));
        all.addAll(List.of("--weights", weights.toString(), "--device", "cpu", "--size", "" + SIDE, "--batch", "4"));
        all.addAll(List.of(args));
        return CliTest.run(all.toArray(String[]::new));
    }

    @Test
    void embedWritesNumpyFeaturesAndTileListsAndSkipsWhatExists() throws IOException {
        Path slide = TestImages.ihcFile(dir, "slide.png");
        Path out = dir.resolve("feat");
        CliTest.Run r = run("embed", "--out", out.toString(), "--csv", "--source-mpp", "0.25", "--tile", "128",
                "--min-tissue", "0", dataset.resolve("ihc").toString(), slide.toString());
        assertEquals(0, r.code(), r.err());
        NpyFloat.Matrix tiles = NpyFloat.read(out.resolve("ihc.npy"));
        assertEquals(6, tiles.rows());
        assertEquals(1024, tiles.cols());
        List<String> csv = Files.readAllLines(out.resolve("ihc.csv"));
        assertEquals(7, csv.size());
        assertEquals(tiles.get(2, 5), Float.parseFloat(csv.get(3).split(",")[6]), 0f, "CSV holds the same numbers");

        NpyFloat.Matrix slideFeatures = NpyFloat.read(out.resolve("slide.npy"));
        List<String> slideTiles = Files.readAllLines(out.resolve("slide.tiles.csv"));
        assertEquals(16, slideFeatures.rows(), "a 512 x 512 image in 128-pixel tiles");
        assertEquals("index,file,col,row,x,y,size", slideTiles.get(0));
        assertTrue(slideTiles.get(6).endsWith(",1,1,128,128,128"), slideTiles.get(6));

        CliTest.Run again = run("embed", "--out", out.toString(), "--csv", dataset.resolve("ihc").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("skipped"), again.out());
    }

    @Test
    void probeWritesMetricsWithStableKeys() throws IOException {
        Path out = dir.resolve("probe");
        CliTest.Run r = run("probe", "--train", dataset.toString(), "--test-fraction", "0.5", "--k", "3", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        for (String method : List.of("linear", "knn")) {
            JsonNode j = new ObjectMapper().readTree(out.resolve(method + "_metrics.json").toFile());
            for (String key : List.of("balanced_accuracy", "accuracy", "macro_f1", "weighted_f1", "quadratic_kappa", "auc_macro")) {
                assertTrue(j.get(key).isNumber(), method + ": " + key);
            }
            assertTrue(j.get("auc").get("pattern").isNumber(), method + ": auc per class");
            assertTrue(Files.size(out.resolve(method + "_confusion.png")) > 0);
            assertEquals("true\\predicted,ihc,pattern", Files.readAllLines(out.resolve(method + "_confusion.csv")).get(0));
        }
        assertEquals(7, Files.readAllLines(out.resolve("predictions.csv")).size(), "header + 6 test images");
        assertTrue(r.out().contains("balanced accuracy"), r.out());
    }

    @Test
    void badDatasetsAreNamed() throws IOException {
        Path data = dir.resolve("bad");
        Files.createDirectories(data.resolve("empty"));
        Png.write(data.resolve("full/a.png"), TestImages.pattern(SIDE, SIDE, 1));
        CliTest.Run r = run("probe", "--train", data.toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains(data.resolve("empty") + ": class folder holds no images"), r.err());

        Files.writeString(data.resolve("empty/broken.png"), "not an image");
        r = run("probe", "--train", data.toString(), "--out", dir.resolve("o").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("broken.png"), r.err());
    }

    /** One epoch then a resumed second epoch repeat an uninterrupted two-epoch run (constant lr: same schedule). */
    @Test
    void finetuneKeepsTheBestEpochAndResumesExactly() throws IOException {
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        String[] common = {"--train", dataset.toString(), "--val-fraction", "0.34", "--lr", "1e-4", "--schedule", "constant",
                "--seed", "3"};
        CliTest.Run r = run("finetune cls", concat(common, "--epochs", "2", "--out", straight.toString()));
        assertEquals(0, r.code(), r.err());
        assertEquals(0, run("finetune cls", concat(common, "--epochs", "1", "--out", split.toString())).code());
        CliTest.Run again = run("finetune cls", concat(common, "--epochs", "2", "--out", split.toString()));
        assertEquals(ExitCodes.BAD_INPUT, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
        r = run("finetune cls", concat(common, "--epochs", "2", "--resume", "--out", split.toString()));
        assertEquals(0, r.code(), r.err());

        List<Map<String, Double>> a = MetricsLog.read(straight);
        List<Map<String, Double>> b = MetricsLog.read(split);
        assertEquals(2, a.size());
        assertEquals(a.get(1).get("train_loss"), b.get(1).get("train_loss"), "resumed epoch 2 equals the uninterrupted one");
        Map<String, Tensor> best = PtFile.readStateDict(straight.resolve("best.pt"));
        assertEquals(List.of(2L, 1024L), List.of(best.get("fc.weight").size(0), best.get("fc.weight").size(1)));
        assertTrue(best.containsKey("layer4.2.bn3.weight"), "torchvision names");
        assertArrayEquals(Tensors.toFloats(lastModel(straight).get("head.weight")),
                Tensors.toFloats(lastModel(split).get("head.weight")), "same weights after epoch 2");
        JsonNode summary = new ObjectMapper().readTree(straight.resolve("summary.json").toFile());
        assertTrue(summary.get("best_epoch").asInt() >= 1);
        assertTrue(summary.get("validation").get("balanced_accuracy").isNumber());
        assertTrue(Files.exists(straight.resolve("val_confusion.png")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Tensor> lastModel(Path run) throws IOException {
        return (Map<String, Tensor>) ((Map<String, Object>) PtFile.read(run.resolve("checkpoint.pt"))).get("model");
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<>(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(String[]::new);
    }
}
