package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.config.Config;
import org.unitpath.data.SyntheticNuclei;
import org.unitpath.testing.TinySegRecipe;

/** The release's Kumar config fine-tunes once given data, and says why when its test resize would change the images. */
class ReleaseFinetuneTest {
    @TempDir
    static Path root;

    @BeforeAll
    static void data() throws Exception {
        SyntheticNuclei.write(root.resolve("data"), 2, 1, 128, 3);
    }

    private static Config baseline(Path out, String... more) throws Exception {
        Path file = Path.of(ReleaseFinetuneTest.class.getResource(
                "/org/unitpath/config/release/configs/ours/seg/kumar/baseline_panoptic.yaml").toURI());
        List<String> o = TinySegRecipe.overrides(root.resolve("data"), out, 2);
        o.addAll(List.of("SOLVER.STEPS", "[]", "SOLVER.WARMUP_ITERS", "1", "INPUT.MIN_SIZE_TRAIN", "(128,)",
                "INPUT.MAX_SIZE_TRAIN", "128"));
        o.addAll(List.of(more));
        return Config.load(file, o);
    }

    @Test
    void theReleasesKumarConfigFinetunesGivenData() throws Exception {
        Path out = root.resolve("run");
        Config c = baseline(out, "INPUT.MIN_SIZE_TEST", "128", "INPUT.MAX_SIZE_TEST", "128");
        assertEquals("PanopticFPN", c.getString("MODEL.META_ARCHITECTURE"));
        SegFinetuner.Result r = new SegFinetuner(SegFinetuneSettings.from(c), c.toYaml()).run(false);
        assertEquals(2, r.iterations());
        assertFalse(r.interrupted());
        assertTrue(r.last().test().containsKey("aji"), r.last().toString());
    }

    @Test
    void theReleasesTestSizeIsRefusedOnImagesItWouldResize() throws Exception {
        Config c = baseline(root.resolve("resize"));
        var e = assertThrows(IllegalArgumentException.class, () -> new SegFinetuner(SegFinetuneSettings.from(c), c.toYaml()).run(false));
        assertTrue(e.getMessage().endsWith(": INPUT.MIN_SIZE_TEST 1000 / MAX_SIZE_TEST 1000 would resize a 128x128 test image to "
                + "1000x1000; unitpath evaluates images at their own size: set INPUT.MIN_SIZE_TEST 0"), e.getMessage());
        assertTrue(e.getMessage().startsWith(root.resolve("data").resolve("test.json") + ", "), e.getMessage());
    }
}
