package org.unitpath.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The configs under configs/pretrain load (with their _BASE_ chains), validate and hold the release's values. */
class ShippedConfigsTest {
    private static final Path ROOT = Path.of("configs", "pretrain");
    private static final List<String> STEPS = List.of("baseline", "distribution", "stylization", "comodulation", "ada", "isg");

    @Test
    void everyShippedConfigLoadsAndValidates() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(ROOT)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(4 + 2 * STEPS.size(), files.size(), files.toString());
        for (Path f : files) {
            Config c = Config.load(f);
            assertEquals(f.toString(), c.files().get(c.files().size() - 1));
            assertTrue(c.getString("OUTPUT_DIR").startsWith("./output/"), f.toString());
        }
    }

    @Test
    void pretrainCpuIsTheProposedMethodWithTheWidthsOfMonusegCpu() throws IOException {
        Config pre = Config.load(ROOT.resolve("pretrain-cpu.yaml"));
        Config stage1 = Config.load(ROOT.resolve("stage1.yaml"));
        for (String k : List.of("CYCLE.G_AB", "CYCLE.SEG_GUIDE_STRATEGY", "CYCLE.MASK_FORMAT", "CYCLE.LAMBDA_CYCLE",
                "CYCLE.LAMBDA_MRCNN_NUCLEUS", "STYLEGAN.AUG", "STYLEGAN.CONDMOD", "STYLEGAN.R1_GAMMA")) {
            assertEquals(stage1.get(k), pre.get(k), k);
        }
        assertEquals(List.of("40x_64"), pre.getStringList("CYCLE.SCALES"), "nuclei at the 40x size fine-tuning sees");
        // its S.pt must load into the fine-tuning recipe's network without dropping trunk, FPN or heads
        Config seg = Config.load(Path.of("configs", "seg", "monuseg-cpu.yaml"));
        for (String k : List.of("MODEL.RESNETS.DEPTH", "MODEL.RESNETS.WIDTH_PER_GROUP", "MODEL.RESNETS.STEM_OUT_CHANNELS",
                "MODEL.RESNETS.RES2_OUT_CHANNELS", "MODEL.FPN.OUT_CHANNELS", "MODEL.ROI_BOX_HEAD.FC_DIM",
                "MODEL.ROI_MASK_HEAD.CONV_DIM")) {
            assertEquals(pre.get(k), seg.get(k), k);
        }
        assertEquals("./output/pretrain-cpu/S.pt", seg.getString("MODEL.WEIGHTS"));
        assertEquals(0.2, seg.getDouble("TEST.VAL_FRACTION"));
    }

    @Test
    void stage1IsTheReleasesStage1() throws IOException {
        Config c = Config.load(ROOT.resolve("stage1.yaml"));
        assertEquals(35, c.getInt("SEED"));
        assertEquals("./output/proposed/stage_1", c.getString("OUTPUT_DIR"));
        assertEquals("colon_multichannel_10800", c.getString("CYCLE.DATASET_A_NAME"));
        assertEquals("colon_-160000", c.getString("CYCLE.DATASET_B_NAME"));
        assertEquals(List.of("40x_256"), c.getStringList("CYCLE.SCALES"));
        assertEquals("StyleGAN", c.getString("CYCLE.G_AB"));
        assertEquals("ISG", c.getString("CYCLE.SEG_GUIDE_STRATEGY"));
        assertEquals(6.0, c.getDouble("CYCLE.LAMBDA_MRCNN_NUCLEUS"));
        assertEquals(10.0, c.getDouble("CYCLE.LAMBDA_CYCLE"));
        assertNull(c.getNullableString("CYCLE.IDENTITY"));
        assertEquals(1.0, c.getDouble("STYLEGAN.R1_GAMMA"));
        assertEquals(64, c.getInt("STYLEGAN.SKIP_RESOLUTION"));
        assertEquals("ada", c.getString("STYLEGAN.AUG"));
        assertEquals("paper256", c.getString("STYLEGAN.BASE_CONFIG"));
        assertEquals("", c.getString("MODEL.WEIGHTS"));
        assertEquals(0.0004, c.getDouble("SOLVER.BASE_LR"));
        assertEquals(12, c.getInt("SOLVER.IMS_PER_BATCH"));
        assertEquals(50, c.getInt("SOLVER.WARMUP_ITERS"));
        assertEquals(1000, c.getInt("SOLVER.CHECKPOINT_PERIOD"));
        assertEquals(256, c.getInt("MODEL.SEM_SEG_HEAD.CONVS_DIM"), "stage_1.yaml's SSG head");
    }

    @Test
    void stage1EndsAtTheSnapshotTheReleasesStage2StartsFrom() throws IOException {
        Config c = Config.load(ROOT.resolve("stage1.yaml"));
        assertEquals(List.of(308.0), c.getDoubleList("SOLVER.SNAPSHOT_KIMG"));
        int iterations = c.getInt("SOLVER.MAX_ITER");
        int batch = c.getInt("SOLVER.IMS_PER_BATCH");
        assertEquals(308, (long) iterations * batch / 1000, "network-snapshot-000308 is its last iteration");
        assertTrue((long) (iterations - 1) * batch < 308_000);
        assertEquals(List.of(), c.getIntList("SOLVER.STEPS"), "the release's steps (120k, 160k) lie beyond 308 kimg");
        Config s2 = Config.load(ROOT.resolve("stage2.yaml"));
        assertEquals("./output/proposed/stage_1/network-snapshot-000308.pt", s2.getString("MODEL.WEIGHTS"));
        assertEquals(c.getString("OUTPUT_DIR") + "/network-snapshot-000308.pt", s2.getString("MODEL.WEIGHTS"));
        assertEquals(180000, s2.getInt("SOLVER.MAX_ITER"));
        assertEquals(List.of(120000, 160000), s2.getIntList("SOLVER.STEPS"));
    }

    @Test
    void stage2ChangesOnlyWhatTheReleaseChanges() throws IOException {
        Config s1 = Config.load(ROOT.resolve("stage1.yaml"));
        Config s2 = Config.load(ROOT.resolve("stage2.yaml"));
        assertEquals(s1.withOverrides(List.of("CYCLE.BA_SCRATCH", "scratch",
                "MODEL.WEIGHTS", "./output/proposed/stage_1/network-snapshot-000308.pt", "SOLVER.BASE_LR", "1e-4", "SEED", "40",
                "OUTPUT_DIR", "./output/proposed/stage_2", "SOLVER.MAX_ITER", "180000", "SOLVER.STEPS", "[120000, 160000]")), s2);
    }

    @Test
    void ablationChainAddsOneChangePerStep() throws IOException {
        Config base = Config.load(ROOT.resolve("ablation/baseline_stage1.yaml"));
        assertEquals("ResNet", base.getString("CYCLE.G_AB"));
        assertEquals("binary", base.getString("CYCLE.MASK_FORMAT"));
        assertEquals("None", base.getString("CYCLE.SEG_GUIDE_STRATEGY"));
        assertEquals("noaug", base.getString("STYLEGAN.AUG"));
        assertEquals("multichannel_7200_random-7200", base.getString("CYCLE.DATASET_A_NAME"));
        assertEquals(32, base.getInt("STYLEGAN.SKIP_RESOLUTION"));
        assertEquals(35, base.getInt("SEED"));

        List<List<String>> changes = List.of(
                List.of("CYCLE.DATASET_A_NAME", "colon_multichannel_10800_scratch_larger"),
                List.of("CYCLE.MASK_FORMAT", "multichannel"),
                List.of("CYCLE.G_AB", "StyleGAN"),
                List.of("STYLEGAN.AUG", "ada"),
                List.of("CYCLE.SEG_GUIDE_STRATEGY", "ISG"));
        Config previous = base;
        for (int i = 1; i < STEPS.size(); i++) {
            String step = STEPS.get(i);
            Config c = Config.load(ROOT.resolve("ablation/" + step + "_stage1.yaml"));
            Config expected = previous.withOverrides(List.of(changes.get(i - 1).get(0), changes.get(i - 1).get(1),
                    "OUTPUT_DIR", "./output/ablation/" + step + "/stage_1"));
            assertEquals(expected, c, step);
            previous = c;
        }
        for (String step : STEPS) {
            Config s1 = Config.load(ROOT.resolve("ablation/" + step + "_stage1.yaml"));
            Config s2 = Config.load(ROOT.resolve("ablation/" + step + "_stage2.yaml"));
            assertEquals(s1.withOverrides(List.of("CYCLE.BA_SCRATCH", "scratch", "CYCLE.MASKRCNN_ON", "false",
                    "MODEL.WEIGHTS", "./output/ablation/" + step + "/stage_1/network-snapshot-000308.pt", "SOLVER.BASE_LR",
                    "0.0001", "SEED", "40", "OUTPUT_DIR", "./output/ablation/" + step + "/stage_2", "SOLVER.MAX_ITER", "180000",
                    "SOLVER.STEPS", "[120000, 160000]")), s2, step);
        }
    }

    @Test
    void quickstartIsSmall() throws IOException {
        Config c = Config.load(ROOT.resolve("quickstart.yaml"));
        assertEquals("demo64", c.getString("STYLEGAN.BASE_CONFIG"));
        assertEquals(List.of("10x_64"), c.getStringList("CYCLE.SCALES"));
        assertEquals("./demo-data", c.getString("CYCLE.DATASET_ROOT"));
        assertEquals("masks", c.getString("CYCLE.DATASET_A_NAME"));
        assertEquals("tissue", c.getString("CYCLE.DATASET_B_NAME"));
        assertEquals(32, c.getInt("MODEL.RESNETS.WIDTH_PER_GROUP"));
        assertEquals(128, c.getInt("MODEL.FPN.OUT_CHANNELS"));
        assertEquals(64, c.getInt("MODEL.ROI_HEADS.BATCH_SIZE_PER_IMAGE"));
        assertEquals(64, c.getInt("MODEL.GBA.NUM_FILTER"));
        assertEquals(250, c.getInt("MODEL.RPN.POST_NMS_TOPK_TRAIN"));
        assertEquals(4, c.getInt("SOLVER.IMS_PER_BATCH"));
        assertEquals(300, c.getInt("SOLVER.MAX_ITER"));
        assertEquals(List.of(200, 260), c.getIntList("SOLVER.STEPS"));
        assertEquals(32, c.getInt("STYLEGAN.SKIP_RESOLUTION"));
        assertEquals(6.0, c.getDouble("CYCLE.LAMBDA_MRCNN_NUCLEUS"));
        assertEquals(16, c.getInt("TEST.SWD_IMAGES"));
        assertEquals(1, c.getInt("DATALOADER.NUM_WORKERS"));
        assertEquals(1, c.getInt("SEED"));
        assertEquals("./output/quickstart", c.getString("OUTPUT_DIR"));
        assertFalse(c.files().size() > 1, "standalone");
    }
}
