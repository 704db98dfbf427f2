package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.data.SyntheticNuclei;
import org.unitpath.report.MetricsLog;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.testing.TinySegRecipe;
import org.unitpath.torch.pt.PtFile;

/** Nucleus-segmentation fine-tuning on synthetic nuclei with a narrow Panoptic FPN. */
class SegFinetunerTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void data() throws Exception {
        SyntheticNuclei.write(root.resolve("data"), 3, 1, 128, 11);
    }

    static List<String> tiny(Path out, int iters) {
        return TinySegRecipe.overrides(root.resolve("data"), out, iters);
    }

    static Config kumar(List<String> overrides) throws Exception {
        Path tmp = Files.createTempFile("kumar", ".yaml");
        try (InputStream in = SegFinetunerTest.class.getResourceAsStream("/configs/seg/kumar.yaml")) {
            Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Config.load(tmp, overrides);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static SegFinetuner.Result run(Config cfg, boolean resume) throws Exception {
        return new SegFinetuner(SegFinetuneSettings.from(cfg), cfg.toYaml()).run(resume);
    }

    @Test
    void learnsSyntheticNucleiKeepsTheBestWeightsAndResumesExactly() throws Exception {
        Path out = root.resolve("run");
        Config cfg = kumar(tiny(out, 80));
        SegFinetuner.Result r = run(cfg, false);
        assertFalse(r.interrupted());
        assertEquals(80, r.iterations());
        assertTrue(r.last().test().get("aji") > 0.5, "AJI after 80 iterations on synthetic nuclei: " + r.last().test());
        assertTrue(r.last().test().containsKey("pq") && r.last().test().containsKey("ap"), r.last().test().toString());
        List<Map<String, Double>> log = MetricsLog.read(out);
        double firstLoss = log.subList(0, 10).stream().mapToDouble(m -> m.get("total_loss")).average().orElseThrow();
        double lastLoss = log.subList(70, 80).stream().mapToDouble(m -> m.get("total_loss")).average().orElseThrow();
        assertTrue(lastLoss < 0.7 * firstLoss, "loss falls: " + firstLoss + " -> " + lastLoss);
        assertEquals(r.last().test().get("aji"), log.get(79).get("test_aji"), 1e-12);
        assertFalse(log.get(79).containsKey("val_aji"), "no validation set, no val_* keys");
        assertEquals(ModelSelection.LAST, r.chosenBy(), "without validation nothing is chosen on the test set");
        assertEquals(80, r.chosen().iteration());
        JsonNode best = new ObjectMapper().readTree(out.resolve("best.json").toFile());
        assertEquals("last", best.get("chosen_by").asText());
        assertEquals(80, best.get("iteration").asLong());
        assertEquals(80, best.get("last_iteration").asLong());
        assertEquals(log.get(79).get("test_aji"), best.get("last_test").get("aji").asDouble(), 1e-9);
        SegmentationNetwork s = new SegmentationNetwork(SegFinetuneSettings.from(cfg).seg());
        assertTrue(s.loadStateDict(PtFile.readStateDict(out.resolve(SegFinetuner.BEST)), true).isClean());

        Files.delete(out.resolve("model_0000080.pt"));
        run(cfg, true);
        List<Map<String, Double>> resumed = MetricsLog.read(out);
        assertEquals(80, resumed.size());
        for (int i = 40; i < 80; i += 13) {
            assertEquals(log.get(i).get("total_loss"), resumed.get(i).get("total_loss"), 1e-6, "iteration " + (i + 1));
        }
        assertEquals(log.get(79).get("test_aji"), resumed.get(79).get("test_aji"), 1e-6);
    }

    @Test
    void refusesThePretrainingArchitectureAndMissingData() throws Exception {
        List<String> o = tiny(root.resolve("bad"), 4);
        o.addAll(List.of("MODEL.META_ARCHITECTURE", "GeneralizedRCNN_Simplified"));
        Exception e = assertThrows(IllegalArgumentException.class, () -> SegFinetuneSettings.from(kumar(o)));
        assertTrue(e.getMessage().contains("PanopticFPN"), e.getMessage());
        List<String> o2 = tiny(root.resolve("bad2"), 4);
        o2.addAll(List.of("DATASETS.TEST_JSON", ""));
        e = assertThrows(IllegalArgumentException.class, () -> SegFinetuneSettings.from(kumar(o2)));
        assertTrue(e.getMessage().startsWith("DATASETS.TEST_JSON is not set and there is no validation set"), e.getMessage());
    }
}
