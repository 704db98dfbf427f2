package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.data.NucleusImage;
import org.unitpath.data.SyntheticNuclei;
import org.unitpath.report.MetricsLog;
import org.unitpath.testing.TinySegRecipe;

/** Fine-tuning with a held-out validation split and no test set, and the validation keys' errors. */
class SegValidationTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void data() throws Exception {
        SyntheticNuclei.write(root.resolve("data"), 3, 1, 96, 7);
    }

    /** The tiny recipe with the test set removed and a third of the training images held out. */
    private static List<String> valOnly(Path out, int iters, String... more) {
        List<String> o = TinySegRecipe.overrides(root.resolve("data"), out, iters);
        o.addAll(List.of("DATASETS.TEST_JSON", "", "DATASETS.TEST_IMAGES", "", "TEST.VAL_FRACTION", "0.34",
                "INPUT.CROP.SIZE", "[64, 64]"));
        o.addAll(List.of(more));
        return o;
    }

    @Test
    void choosesOnTheHeldOutImagesWithoutATestSetAndResumesOnTheSameSplit() throws Exception {
        Path out = root.resolve("run");
        Config cfg = SegFinetunerTest.kumar(valOnly(out, 4));
        SegFinetuner.Result r = SegFinetunerTest.run(cfg, false);
        assertFalse(r.interrupted());
        JsonNode split = new ObjectMapper().readTree(out.resolve("split.json").toFile());
        assertEquals(1, split.get("val").size());
        assertEquals(2, split.get("train").size());
        List<String> trainNames = new ArrayList<>();
        split.get("train").forEach(n -> trainNames.add(n.asText()));
        assertFalse(trainNames.contains(split.get("val").get(0).asText()), "held-out image not trained on");

        List<Map<String, Double>> log = MetricsLog.read(out);
        assertTrue(log.get(1).containsKey("val_aji") && !log.get(1).containsKey("test_aji"), log.get(1).toString());
        assertEquals("val_aji", r.chosenBy());
        double bestVal = Math.max(log.get(1).get("val_aji"), log.get(3).get("val_aji"));
        assertEquals(bestVal, r.chosen().val().get("aji"), 1e-12);
        JsonNode best = new ObjectMapper().readTree(out.resolve("best.json").toFile());
        assertEquals("val_aji", best.get("chosen_by").asText());
        assertEquals(r.chosen().iteration(), best.get("iteration").asLong());
        assertEquals(4, best.get("last_iteration").asLong());
        assertTrue(Files.isRegularFile(out.resolve(SegFinetuner.BEST)));

        Files.delete(out.resolve("model_0000004.pt"));
        SegFinetuner.Result again = SegFinetunerTest.run(cfg, true);
        assertEquals(log.get(3).get("total_loss"), MetricsLog.read(out).get(3).get("total_loss"), 1e-6, "resumed exactly");
        assertEquals(r.chosen().iteration(), again.chosen().iteration());

        List<NucleusImage> names = NucleusImage.loadCoco(root.resolve("data/train.json"), root.resolve("data/images"));
        long other = 1;
        while (ValidationSplit.of(names, 0.34, other, Path.of("t")).valNames().equals(ValidationSplit.of(names, 0.34, 0, Path.of("t"))
                .valNames())) {
            other++;
        }
        Config moved = SegFinetunerTest.kumar(valOnly(out, 4, "TEST.VAL_SEED", Long.toString(other)));
        var e = assertThrows(IllegalArgumentException.class, () -> SegFinetunerTest.run(moved, true));
        assertTrue(e.getMessage().startsWith(out.resolve("split.json") + " holds out"), e.getMessage());
    }

    @Test
    void validationKeysAreCheckedWithOneLineErrors() throws Exception {
        Path out = root.resolve("bad");
        var both = assertThrows(IllegalArgumentException.class, () -> SegFinetuneSettings.from(SegFinetunerTest.kumar(
                valOnly(out, 2, "DATASETS.VAL_JSON", "v.json"))));
        assertTrue(both.getMessage().startsWith("DATASETS.VAL_JSON and TEST.VAL_FRACTION 0.34 both give a validation set"),
                both.getMessage());
        var range = assertThrows(IllegalArgumentException.class, () -> SegFinetuneSettings.from(SegFinetunerTest.kumar(
                valOnly(out, 2, "TEST.VAL_FRACTION", "1.0"))));
        assertTrue(range.getMessage().startsWith("TEST.VAL_FRACTION must be in [0, 1)"), range.getMessage());
        SegFinetuneSettings explicit = SegFinetuneSettings.from(SegFinetunerTest.kumar(
                valOnly(out, 2, "TEST.VAL_FRACTION", "0.0", "DATASETS.VAL_JSON", "v.json")));
        assertEquals(root.resolve("data/images"), explicit.valImages(), "DATASETS.VAL_IMAGES defaults to the training folder");
        assertTrue(explicit.validated());

        List<String> tooFew = valOnly(root.resolve("few"), 2);
        SyntheticNuclei.write(root.resolve("one"), 1, 1, 96, 2);
        tooFew.addAll(List.of("DATASETS.TRAIN_JSON", root.resolve("one/train.json").toString(), "DATASETS.TRAIN_IMAGES",
                root.resolve("one/images").toString()));
        var few = assertThrows(IllegalArgumentException.class, () -> SegFinetunerTest.run(SegFinetunerTest.kumar(tooFew), false));
        assertTrue(few.getMessage().startsWith(root.resolve("one/train.json") + " has 1 image, but TEST.VAL_FRACTION"),
                few.getMessage());
    }
}
