package org.unitpath.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release's 16 configs (test resources, see release/SOURCE.md) load unchanged and give the
 * values the release ran with; what unitpath does not implement is refused, what cannot change a
 * run is reported as ignored.
 */
class ReleaseConfigsTest {
    @TempDir
    Path dir;

    static final String SELFSUP = "configs/ours/selfsup/";
    static final String ABLATION = SELFSUP + "ablation_study/new_ablation/";
    static final String KUMAR = "configs/ours/seg/kumar/";
    static final List<String> STEPS = List.of("baseline", "1distribution", "2stylization", "3co-modulation", "4ada", "5ISG");

    /** SHA-256 of each file as read from the release at e58ae53: the copies stay byte for byte the release's. */
    private static final Map<String, String> SHA256 = new LinkedHashMap<>();

    static {
        SHA256.put(SELFSUP + "stage_1.yaml", "b4a2f5312f8f0c018728acca442276557ee88dafa324adcb6b9ba52163846efb");
        SHA256.put(SELFSUP + "stage_2.yaml", "c1fd43e2d27591c15c0f3378f08b731548290f1c371704a57805a3d769d9e962");
        List<String> stage1 = List.of("f0b8d2e425629afb16cfedf721af411748bc6d68745ef91f3462a02b2a44b334",
                "f1825e72f81f4f760d629b0fbbf9d75e2aa5f867b70c84b1b6d9e3e551c0e93c",
                "907af5a712056066ba63f14912a7e34ec98bc56cc83a3e6f2026bad8f41a0e6d",
                "4f243b3b8c8bbf901050452904396e71fcfe926c429c22200966303fc8affe0d",
                "3fd182af75f00a887567c131048b30a71e286bdc5c6e0650178fe0dfdc721378",
                "efee2d4203d8558acd6c2a9e450b5a5b1117e3d36fafd1f8cdd378f6aaa376ef");
        for (int i = 0; i < STEPS.size(); i++) {
            SHA256.put(ABLATION + STEPS.get(i) + "/stage1.yaml", stage1.get(i));
            SHA256.put(ABLATION + STEPS.get(i) + "/stage2.yaml", "c88710da67773a16799e2860b6f1c57c3564ebe29508bb9d9debbbb44e944fac");
        }
        SHA256.put(KUMAR + "baseline_panoptic.yaml", "0ab1600574e34026ee5237bcdfb300516a24e89dffdb2ec9e4a44860f1d721d2");
        SHA256.put(KUMAR + "proposed_panoptic.yaml", "f6b002e55989d3a6da2360a09a04c707b08c1c32c7f15cfe0e878e9a3d711376");
    }

    /** The folder holding the copies, laid out as in the release so that their _BASE_ paths resolve. */
    static Path release() {
        try {
            return Path.of(ReleaseConfigsTest.class.getResource("release").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Config load(String path) throws IOException {
        return Config.load(release().resolve(path));
    }

    @Test
    void all16AreTheReleasesBytesAndLoad() throws IOException, NoSuchAlgorithmException {
        assertEquals(16, SHA256.size());
        for (Map.Entry<String, String> e : SHA256.entrySet()) {
            byte[] bytes = Files.readAllBytes(release().resolve(e.getKey()));
            assertEquals(e.getValue(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)), e.getKey());
            Config c = load(e.getKey());
            assertEquals(release().resolve(e.getKey()).toString(), c.files().get(c.files().size() - 1));
            assertTrue(c.ignoredSummary().startsWith("config keys without effect in unitpath"), e.getKey());
        }
    }

    @Test
    void stage1() throws IOException {
        Config c = load(SELFSUP + "stage_1.yaml");
        assertEquals(35, c.getInt("SEED"));
        assertEquals(0.0004, c.getDouble("SOLVER.BASE_LR"));
        assertEquals(6.0, c.getDouble("CYCLE.LAMBDA_MRCNN_NUCLEUS"));
        assertEquals(1.0, c.getDouble("STYLEGAN.R1_GAMMA"));
        assertEquals(64, c.getInt("STYLEGAN.SKIP_RESOLUTION"));
        assertEquals(List.of("40x_256"), c.getStringList("CYCLE.SCALES"), "DATASET_SCALE: ['40x_256', ]");
        assertEquals("/data/cycleGAN/dataset_for_train/", c.getString("CYCLE.DATASET_ROOT"));
        assertEquals("colon_multichannel_10800", c.getString("CYCLE.DATASET_A_NAME"));
        assertEquals("colon_-160000", c.getString("CYCLE.DATASET_B_NAME"));
        assertEquals("multichannel", c.getString("CYCLE.MASK_FORMAT"));
        assertEquals("StyleGAN", c.getString("CYCLE.G_AB"));
        assertEquals("ISG", c.getString("CYCLE.SEG_GUIDE_STRATEGY"));
        assertEquals("", c.getString("CYCLE.BA_SCRATCH"));
        assertEquals("paper256", c.getString("STYLEGAN.BASE_CONFIG"));
        assertEquals("ada", c.getString("STYLEGAN.AUG"));
        assertNull(c.getNullableDouble("STYLEGAN.AUG_PROB"), "AUG_PROB: None");
        assertNull(c.getNullableDouble("STYLEGAN.TARGET"));
        assertTrue(c.getBool("STYLEGAN.CONDMOD"));
        assertEquals("GeneralizedRCNN_Simplified", c.getString("MODEL.META_ARCHITECTURE"));
        assertEquals("", c.getString("MODEL.WEIGHTS"));
        assertEquals(-1, c.getInt("MODEL.BACKBONE.FREEZE_AT"));
        assertEquals("GN", c.getString("MODEL.RESNETS.NORM"));
        assertEquals(List.of(32, 64, 128, 256, 512), c.getIntList("MODEL.ANCHOR_GENERATOR.SIZES"), "[[32], [64], ...]");
        assertEquals(List.of(0.5, 1.0, 2.0), c.getDoubleList("MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS"), "[[0.5, 1.0, 2.0]]");
        assertEquals("GN", c.getString("MODEL.ROI_BOX_HEAD.NORM"));
        assertEquals(256, c.getInt("MODEL.SEM_SEG_HEAD.CONVS_DIM"));
        assertEquals(3, c.getInt("MODEL.SEM_SEG_HEAD.NUM_CLASSES"));
        assertEquals(12, c.getInt("SOLVER.IMS_PER_BATCH"));
        assertEquals(List.of(120000, 160000), c.getIntList("SOLVER.STEPS"), "STEPS: (120000, 160000)");
        assertEquals(180000, c.getInt("SOLVER.MAX_ITER"));
        assertEquals(50, c.getInt("SOLVER.WARMUP_ITERS"));
        assertEquals(1000, c.getInt("SOLVER.CHECKPOINT_PERIOD"));
        assertEquals(List.of(256), c.getIntList("INPUT.MIN_SIZE_TRAIN"), "MIN_SIZE_TRAIN: (256,)");
        assertEquals(256, c.getInt("INPUT.MAX_SIZE_TRAIN"));
        assertEquals("relative_range", c.getString("INPUT.CROP.TYPE"));
        assertEquals(List.of(0.8, 0.8), c.getDoubleList("INPUT.CROP.SIZE"));
        assertEquals(List.of("nucleus_train"), c.getStringList("DATASETS.TRAIN"), "TRAIN: (\"nucleus_train\",)");
        assertEquals(List.of(256), c.getIntList("TEST.AUG.MIN_SIZES"));
        assertEquals(false, c.get("TEST.AUG.FLIP"), "FLIP: (False)");
        assertEquals(List.of("CYCLE.LAMBDA_MRCNN_GLAND", "CYCLE.LOG_INTERVAL", "STYLEGAN.KIMG_PER_TICK", "STYLEGAN.METRICS",
                "DATASETS.TRAIN", "DATASETS.TEST", "TEST.AUG.MIN_SIZES", "TEST.AUG.MAX_SIZE", "TEST.AUG.FLIP"),
                List.copyOf(c.ignoredSettings().keySet()));
    }

    @Test
    void stage2ChangesWhatTheReleaseChanges() throws IOException {
        Config s1 = load(SELFSUP + "stage_1.yaml");
        Config s2 = load(SELFSUP + "stage_2.yaml");
        assertEquals("scratch", s2.getString("CYCLE.BA_SCRATCH"));
        assertEquals(0.0001, s2.getDouble("SOLVER.BASE_LR"));
        assertEquals(40, s2.getInt("SEED"));
        assertEquals(s1.withOverrides(List.of("CYCLE.BA_SCRATCH", "scratch", "MODEL.WEIGHTS",
                "./output/proposed/custom_cell_msk/stage_1/network-snapshot-000308.pkl", "SOLVER.BASE_LR", "1e-4", "SEED", "40")), s2);
    }

    @Test
    void ablationsChangeOneThingPerStep() throws IOException {
        Config base = load(ABLATION + "baseline/stage1.yaml");
        assertEquals(load(SELFSUP + "stage_1.yaml").withOverrides(List.of("CYCLE.G_AB", "ResNet", "CYCLE.DATASET_A_NAME",
                "multichannel_7200_random-7200", "CYCLE.MASK_FORMAT", "binary", "CYCLE.SEG_GUIDE_STRATEGY", "None",
                "MODEL.WEIGHTS", "./weight/new_arch_fpn_gn_base.pkl", "STYLEGAN.SKIP_RESOLUTION", "32", "STYLEGAN.AUG", "noaug")), base);
        List<List<String>> changes = List.of(List.of("CYCLE.DATASET_A_NAME", "colon_multichannel_10800_scratch_larger"),
                List.of("CYCLE.MASK_FORMAT", "multichannel"), List.of("CYCLE.G_AB", "StyleGAN"), List.of("STYLEGAN.AUG", "ada"),
                List.of("CYCLE.SEG_GUIDE_STRATEGY", "None"));
        Config previous = base;
        for (int i = 1; i < STEPS.size(); i++) {
            Config c = load(ABLATION + STEPS.get(i) + "/stage1.yaml");
            assertEquals(previous.withOverrides(changes.get(i - 1)), c, STEPS.get(i));
            previous = c;
        }
        for (String step : STEPS) {
            Config s2 = load(ABLATION + step + "/stage2.yaml");
            assertEquals(load(ABLATION + step + "/stage1.yaml").withOverrides(List.of("CYCLE.MASKRCNN_ON", "false",
                    "CYCLE.BA_SCRATCH", "scratch", "MODEL.WEIGHTS", "./output/proposed/custom_cell_msk/stage_1/network-snapshot-000308.pkl",
                    "SOLVER.BASE_LR", "0.0001", "SEED", "40")), s2, step);
        }
    }

    @Test
    void kumar() throws IOException {
        Config c = load(KUMAR + "baseline_panoptic.yaml");
        assertEquals("PanopticFPN", c.getString("MODEL.META_ARCHITECTURE"));
        assertEquals("", c.getString("MODEL.WEIGHTS"));
        assertEquals(2, c.getInt("MODEL.SEM_SEG_HEAD.NUM_CLASSES"));
        assertEquals(128, c.getInt("MODEL.SEM_SEG_HEAD.CONVS_DIM"), "the fork's default");
        assertEquals(0, c.getInt("SEED"), "the fork's default");
        assertEquals(List.of(2000, 1000, 30000, 15000, 512), List.of(c.getInt("MODEL.RPN.PRE_NMS_TOPK_TRAIN"),
                c.getInt("MODEL.RPN.POST_NMS_TOPK_TRAIN"), c.getInt("MODEL.RPN.PRE_NMS_TOPK_TEST"),
                c.getInt("MODEL.RPN.POST_NMS_TOPK_TEST"), c.getInt("MODEL.RPN.BATCH_SIZE_PER_IMAGE")));
        assertEquals(1500, c.getInt("TEST.DETECTIONS_PER_IMAGE"));
        assertEquals(300, c.getInt("TEST.EVAL_PERIOD"));
        assertEquals(4, c.getInt("SOLVER.IMS_PER_BATCH"));
        assertEquals(0.004, c.getDouble("SOLVER.BASE_LR"));
        assertEquals(List.of(4000, 8000), c.getIntList("SOLVER.STEPS"));
        assertEquals(10000, c.getInt("SOLVER.MAX_ITER"));
        assertEquals(100, c.getInt("SOLVER.WARMUP_ITERS"));
        assertEquals(300, c.getInt("SOLVER.CHECKPOINT_PERIOD"));
        assertEquals("absolute", c.getString("INPUT.CROP.TYPE"));
        assertEquals(List.of(256.0, 256.0), c.getDoubleList("INPUT.CROP.SIZE"));
        assertEquals(List.of(256), c.getIntList("INPUT.MIN_SIZE_TRAIN"), "MIN_SIZE_TRAIN: (256, )");
        assertEquals(1000, c.getInt("INPUT.MIN_SIZE_TEST"));
        assertEquals(1000, c.getInt("INPUT.MAX_SIZE_TEST"));
        assertEquals(false, c.getBool("DATALOADER.FILTER_EMPTY_ANNOTATIONS"));
        assertEquals("./results/seg/kumar/baseline_panoptic", c.getString("OUTPUT_DIR"));
        assertEquals(List.of("kumar_test_panoptic"), c.getStringList("DATASETS.TEST"));
        Config proposed = load(KUMAR + "proposed_panoptic.yaml");
        assertEquals(c.withOverrides(List.of("MODEL.WEIGHTS", "./output/network-checkpoint.pkl", "OUTPUT_DIR",
                "./results/seg/kumar/proposed_panoptic")), proposed);
    }

    @Test
    void whatUnitpathDoesNotImplementIsAOneLineErrorNamingKeyValueAndWhatIsSupported() throws IOException {
        Config c = load(SELFSUP + "stage_1.yaml");
        assertEquals("CYCLE.MULTITASK on the command line: true is not supported: the release's gland + nucleus heads "
                + "(\"remain for future work\") are not implemented (supported: false)", error(c, "CYCLE.MULTITASK", "True"));
        assertEquals("MODEL.BACKBONE.NAME on the command line: build_resnet_backbone is not supported: S's backbone is the "
                + "ResNet-FPN (supported: build_resnet_fpn_backbone)", error(c, "MODEL.BACKBONE.NAME", "build_resnet_backbone"));
        assertTrue(error(c, "STYLEGAN.FP32", "False").startsWith("STYLEGAN.FP32 on the command line: false is not supported: "
                + "G and D compute in float32"));
        assertTrue(error(c, "CYCLE.MRCNN_MAX_REPEAT", "2").startsWith("CYCLE.MRCNN_MAX_REPEAT on the command line: 2 is not "
                + "supported: no released code reads this key"));
        assertEquals("MODEL.ANCHOR_GENERATOR.SIZES on the command line: unitpath uses one anchor size per FPN level "
                + "([[32], [64], [128], [256], [512]]); a level with 5 sizes is not supported",
                error(c, "MODEL.ANCHOR_GENERATOR.SIZES", "[[32, 64, 128, 256, 512]]"));
        assertTrue(error(c, "MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS", "[[0.5], [1.0], [2.0]]").contains("the same aspect ratios on "
                + "every FPN level"));
        assertTrue(error(c, "INPUT.RANDOM_FLIP", "vertical").endsWith("got vertical (vertical flips are not implemented)"));
        assertTrue(error(c, "STYLEGAN.BASE_CONFIG", "auto").contains("other base configs"));
        Path both = dir.resolve("both.yaml");
        Files.writeString(both, "CYCLE:\n  SCALES: [40x_256]\n  DATASET_SCALE: [20x_256]\n");
        assertEquals("CYCLE.DATASET_SCALE in " + both + ": sets the same key as CYCLE.SCALES (CYCLE.DATASET_SCALE is the "
                + "release's name for CYCLE.SCALES); keep one of them",
                assertThrows(IllegalArgumentException.class, () -> Config.load(both)).getMessage());
    }

    @Test
    void theReleasesNameOfScalesIsAnAlias() {
        Config c = Config.fromDefaults(List.of("CYCLE.DATASET_SCALE", "['20x_256', ]"));
        assertEquals(List.of("20x_256"), c.getStringList("CYCLE.SCALES"));
        assertEquals(List.of("20x_256"), c.getStringList("CYCLE.DATASET_SCALE"));
        assertEquals("command line", c.origin("CYCLE.SCALES"));
    }

    @Test
    void pythonTupleLiteralsReadAsYacsReadsThem() {
        Config c = Config.fromDefaults(List.of("SOLVER.STEPS", "(1000, 2000)", "INPUT.MIN_SIZE_TRAIN", "(256,)",
                "TEST.AUG.FLIP", "(False)", "DATASETS.TEST", "()", "OUTPUT_DIR", "(kept)"));
        assertEquals(List.of(1000, 2000), c.getIntList("SOLVER.STEPS"));
        assertEquals(List.of(256), c.getIntList("INPUT.MIN_SIZE_TRAIN"));
        assertEquals(false, c.get("TEST.AUG.FLIP"));
        assertEquals(List.of(), c.getStringList("DATASETS.TEST"));
        assertEquals("(kept)", c.getString("OUTPUT_DIR"), "strings keep their text");
        assertEquals("SOLVER.MAX_ITER on the command line: expected an integer, got '(1, 2)'",
                assertThrows(IllegalArgumentException.class, () -> Config.fromDefaults(List.of("SOLVER.MAX_ITER", "(1, 2)")))
                        .getMessage());
    }

    private static String error(Config c, String key, String value) {
        return assertThrows(IllegalArgumentException.class, () -> c.withOverrides(List.of(key, value))).getMessage();
    }
}
