package org.unitpath.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every key of a unitpath config with its type and default: the release's keys (Detectron2
 * defaults overridden by the fork's {@code detectron2/config/defaults.py}) plus unitpath's own
 * (replay buffer, Adam betas, loader and logging knobs). Keys are listed section by section,
 * which is the order {@link Config#toYaml()} prints.
 */
final class Schema {
    /**
     * One key; {@code choices} (may be empty) are the values validation accepts. {@code use}
     * says how unitpath treats it and {@code note} why: for FIXED keys what unitpath implements
     * instead of other values, for IGNORED keys why the value cannot change a run, for READ keys
     * with choices (optional) what the values left out would ask for.
     */
    record Key(String name, ValueType type, Object defaultValue, List<String> choices, Use use, String note) {
        Key(String name, ValueType type, Object defaultValue, List<String> choices) {
            this(name, type, defaultValue, choices, Use.READ, "");
        }
    }

    /**
     * READ: code builds settings from it. FIXED: the release's configs use it, but unitpath implements only
     * its default value; any other is an error. IGNORED: accepted from the release's configs and without effect.
     */
    enum Use { READ, FIXED, IGNORED }

    private static final List<String> NORMS = List.of("", "none", "GN", "BN", "FrozenBN");
    private static final List<String> STAGES = List.of("stem", "res2", "res3", "res4", "res5");

    static final Map<String, Key> KEYS;
    static final Set<String> SECTIONS;
    /** The release's names of keys unitpath renamed; a file or override may use either. */
    static final Map<String, String> ALIASES = Map.of("CYCLE.DATASET_SCALE", "CYCLE.SCALES");

    private static final Map<String, Key> keys = new LinkedHashMap<>();

    static {
        i("SEED", 0);
        s("OUTPUT_DIR", "./output");
        fixed("VERSION", ValueType.INT, 2, "2 is the only Detectron2 config version");

        s("CYCLE.DATASET_ROOT", "./datasets");
        s("CYCLE.DATASET_A_NAME", "colon_multichannel_10800");
        s("CYCLE.DATASET_B_NAME", "colon_-160000");
        sl("CYCLE.SCALES", List.of(), "40x_256");
        s("CYCLE.MASK_FORMAT", "multichannel", "multichannel", "2channel", "grey", "binary");
        s("CYCLE.G_AB", "StyleGAN", "StyleGAN", "ResNet", "UNet");
        s("CYCLE.SEG_GUIDE_STRATEGY", "ISG", "ISG", "SSG", "None");
        s("CYCLE.BA_SCRATCH", "", "", "scratch");
        fixed("CYCLE.AB_SCRATCH", ValueType.STRING, "", "re-initialising G when loading MODEL.WEIGHTS is not implemented "
                + "(no release config sets it)");
        fixed("CYCLE.MULTITASK", ValueType.BOOL, false, "the release's gland + nucleus heads (\"remain for future work\") "
                + "are not implemented");
        ignored("CYCLE.LAMBDA_MRCNN_GLAND", ValueType.DOUBLE, 1.0, "the gland heads' weight, used only with CYCLE.MULTITASK true");
        ignored("CYCLE.LOG_INTERVAL", ValueType.INT, 5, "the release loop's console interval; unitpath logs every "
                + "TEST.LOG_PERIOD iterations");
        d("CYCLE.LAMBDA_A", 1.0);
        d("CYCLE.LAMBDA_B", 1.0);
        d("CYCLE.LAMBDA_D_A", 1.0);
        d("CYCLE.LAMBDA_D_B", 1.0);
        d("CYCLE.LAMBDA_CYCLE", 10.0);
        d("CYCLE.LAMBDA_MRCNN_NUCLEUS", 1.0);
        d("CYCLE.LAMBDA_GP", 1.0);
        b("CYCLE.GP_A", false);
        b("CYCLE.GP_B", false);
        add("CYCLE.IDENTITY", ValueType.NULLABLE_STRING, null);
        d("CYCLE.LAMBDA_IDENTITY", 5.0);
        i("CYCLE.CRITIC_DISCRIMINATOR", 1);
        i("CYCLE.MRCNN_INTERVAL", 1);
        b("CYCLE.MASKRCNN_ON", true);
        i("CYCLE.REPLAY_BUFFER", 50);
        fixed("CYCLE.R_VISIBLE_TO_G_AB", ValueType.BOOL, true, "G sees all three channels of the mask image; "
                + "no released code reads this key, so what false did is unknown");
        fixed("CYCLE.AUGMENT_G_AB", ValueType.BOOL, false, "no released code reads this key, so what true did is unknown");
        fixed("CYCLE.MRCNN_MAX_REPEAT", ValueType.INT, 0, "no released code reads this key (the StyleGAN loop is not "
                + "released), so what other values did is unknown");
        fixed("CYCLE.DATA_FILTER_REPEAT", ValueType.INT, 0, "no released code reads this key, so what other values did "
                + "is unknown; crops without nuclei are redrawn up to DATALOADER.MAX_RETRIES times");

        add("STYLEGAN.BASE_CONFIG", ValueType.STRING, "paper256", List.of("paper256", "demo64"), Use.READ,
                "StyleGAN2-ADA's other base configs (auto, stylegan2, paper512, ...) are not implemented");
        b("STYLEGAN.CONDMOD", true);
        i("STYLEGAN.SKIP_RESOLUTION", 256);
        s("STYLEGAN.AUG", "ada", "ada", "noaug", "fixed");
        fixed("STYLEGAN.AUG_PIPE", ValueType.STRING, "bgc", "ADA's pipe is 'bgc' (blit, geometric and colour augmentations)");
        add("STYLEGAN.AUG_PROB", ValueType.NULLABLE_DOUBLE, null);
        add("STYLEGAN.TARGET", ValueType.NULLABLE_DOUBLE, null);
        d("STYLEGAN.R1_GAMMA", 10.0);
        i("STYLEGAN.R1_INTERVAL", 16);
        d("STYLEGAN.PL_WEIGHT", 2.0);
        i("STYLEGAN.PL_INTERVAL", 4);
        d("STYLEGAN.EMA_KIMG", 20.0);
        d("STYLEGAN.STYLE_MIXING", 0.9);
        d("STYLEGAN.DROPOUT", 0.5);
        fixed("STYLEGAN.FP32", ValueType.BOOL, true, "G and D compute in float32; StyleGAN2-ADA's float16 layers "
                + "(the fork's default false) are not implemented");
        fixed("STYLEGAN.FREEZED", ValueType.NULLABLE_INT, null, "freezing discriminator layers (StyleGAN2-ADA's --freezed) "
                + "is not implemented");
        ignored("STYLEGAN.KIMG_PER_TICK", ValueType.INT, 4, "StyleGAN2-ADA's reporting tick; unitpath reports every "
                + "TEST.LOG_PERIOD iterations and snapshots at SOLVER.SNAPSHOT_KIMG");
        ignored("STYLEGAN.METRICS", ValueType.STRING_LIST, List.of("fid50k_full"), "FID is not computed; unitpath "
                + "measures the sliced Wasserstein distance every TEST.EVAL_PERIOD iterations");
        i("STYLEGAN.RESOLUTION", 0);
        i("STYLEGAN.CHANNEL_BASE", 0);
        i("STYLEGAN.CHANNEL_MAX", 0);
        i("STYLEGAN.Z_DIM", 0);
        i("STYLEGAN.W_DIM", 0);
        i("STYLEGAN.MAPPING_LAYERS", 0);

        s("MODEL.DEVICE", "auto");
        s("MODEL.WEIGHTS", "");
        s("MODEL.META_ARCHITECTURE", "GeneralizedRCNN_Simplified", "GeneralizedRCNN_Simplified", "GeneralizedRCNN", "PanopticFPN");
        fixed("MODEL.MASK_ON", ValueType.BOOL, true, "S's instance heads always include the mask head");
        fixed("MODEL.LOAD_PROPOSALS", ValueType.BOOL, false, "precomputed proposals are not supported; the RPN makes them");
        dl("MODEL.PIXEL_MEAN", 127.5, 127.5, 127.5);
        dl("MODEL.PIXEL_STD", 127.5, 127.5, 127.5);
        fixed("MODEL.BACKBONE.NAME", ValueType.STRING, "build_resnet_fpn_backbone", "S's backbone is the ResNet-FPN");
        i("MODEL.BACKBONE.FREEZE_AT", 0);
        i("MODEL.RESNETS.DEPTH", 50);
        add("MODEL.RESNETS.NORM", ValueType.STRING, "GN", NORMS);
        b("MODEL.RESNETS.STRIDE_IN_1X1", false);
        i("MODEL.RESNETS.NUM_GROUPS", 1);
        i("MODEL.RESNETS.WIDTH_PER_GROUP", 64);
        i("MODEL.RESNETS.STEM_OUT_CHANNELS", 64);
        i("MODEL.RESNETS.RES2_OUT_CHANNELS", 256);
        sl("MODEL.RESNETS.OUT_FEATURES", STAGES, "res2", "res3", "res4", "res5");
        i("MODEL.FPN.OUT_CHANNELS", 256);
        add("MODEL.FPN.NORM", ValueType.STRING, "GN", NORMS);
        fixed("MODEL.FPN.IN_FEATURES", ValueType.STRING_LIST, List.of("res2", "res3", "res4", "res5"),
                "the FPN is built on res2..res5");
        il("MODEL.ANCHOR_GENERATOR.SIZES", 32, 64, 128, 256, 512);
        dl("MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS", 0.5, 1.0, 2.0);
        i("MODEL.RPN.BATCH_SIZE_PER_IMAGE", 256);
        d("MODEL.RPN.POSITIVE_FRACTION", 0.5);
        dl("MODEL.RPN.IOU_THRESHOLDS", 0.3, 0.7);
        d("MODEL.RPN.NMS_THRESH", 0.7);
        i("MODEL.RPN.PRE_NMS_TOPK_TRAIN", 2000);
        i("MODEL.RPN.POST_NMS_TOPK_TRAIN", 1000);
        i("MODEL.RPN.PRE_NMS_TOPK_TEST", 1000);
        i("MODEL.RPN.POST_NMS_TOPK_TEST", 1000);
        fixed("MODEL.RPN.IN_FEATURES", ValueType.STRING_LIST, List.of("p2", "p3", "p4", "p5", "p6"), "the RPN runs on p2..p6");
        fixed("MODEL.ROI_HEADS.NAME", ValueType.STRING, "StandardROIHeads", "the RoI heads are Detectron2's StandardROIHeads");
        fixed("MODEL.ROI_HEADS.IN_FEATURES", ValueType.STRING_LIST, List.of("p2", "p3", "p4", "p5"), "the RoI heads pool p2..p5");
        i("MODEL.ROI_HEADS.NUM_CLASSES", 1);
        i("MODEL.ROI_HEADS.BATCH_SIZE_PER_IMAGE", 512);
        d("MODEL.ROI_HEADS.POSITIVE_FRACTION", 0.25);
        dl("MODEL.ROI_HEADS.IOU_THRESHOLDS", 0.5);
        d("MODEL.ROI_HEADS.SCORE_THRESH_TEST", 0.05);
        d("MODEL.ROI_HEADS.NMS_THRESH_TEST", 0.5);
        fixed("MODEL.ROI_BOX_HEAD.NAME", ValueType.STRING, "FastRCNNConvFCHead", "the box head is FastRCNNConvFCHead");
        i("MODEL.ROI_BOX_HEAD.NUM_FC", 2);
        i("MODEL.ROI_BOX_HEAD.FC_DIM", 1024);
        i("MODEL.ROI_BOX_HEAD.NUM_CONV", 0);
        i("MODEL.ROI_BOX_HEAD.CONV_DIM", 256);
        add("MODEL.ROI_BOX_HEAD.NORM", ValueType.STRING, "", NORMS);
        i("MODEL.ROI_BOX_HEAD.POOLER_RESOLUTION", 7);
        dl("MODEL.ROI_BOX_HEAD.BBOX_REG_WEIGHTS", 10.0, 10.0, 5.0, 5.0);
        fixed("MODEL.ROI_MASK_HEAD.NAME", ValueType.STRING, "MaskRCNNConvUpsampleHead", "the mask head is "
                + "MaskRCNNConvUpsampleHead");
        i("MODEL.ROI_MASK_HEAD.NUM_CONV", 4);
        i("MODEL.ROI_MASK_HEAD.CONV_DIM", 256);
        add("MODEL.ROI_MASK_HEAD.NORM", ValueType.STRING, "GN", NORMS);
        i("MODEL.ROI_MASK_HEAD.POOLER_RESOLUTION", 14);
        fixed("MODEL.SEM_SEG_HEAD.NAME", ValueType.STRING, "SemSegFPNHead", "the semantic head is SemSegFPNHead");
        sl("MODEL.SEM_SEG_HEAD.IN_FEATURES", List.of("p2", "p3", "p4", "p5"), "p2", "p3", "p4", "p5");
        i("MODEL.SEM_SEG_HEAD.NUM_CLASSES", 3);
        i("MODEL.SEM_SEG_HEAD.CONVS_DIM", 128);
        add("MODEL.SEM_SEG_HEAD.NORM", ValueType.STRING, "GN", NORMS);
        i("MODEL.SEM_SEG_HEAD.COMMON_STRIDE", 4);
        d("MODEL.SEM_SEG_HEAD.LOSS_WEIGHT", 1.0);
        i("MODEL.SEM_SEG_HEAD.IGNORE_VALUE", 255);
        i("MODEL.GBA.NUM_FILTER_FPN", 256);
        i("MODEL.GBA.NUM_FILTER", 128);
        fixed("MODEL.GBA.OUT_CHANNEL", ValueType.INT, 3, "the cycle head outputs the three channels of a mask image");

        i("SOLVER.IMS_PER_BATCH", 12);
        d("SOLVER.BASE_LR", 0.0004);
        dl("SOLVER.BETAS", 0.0, 0.99);
        i("SOLVER.MAX_ITER", 180000);
        il("SOLVER.STEPS", 120000, 160000);
        d("SOLVER.GAMMA", 0.1);
        i("SOLVER.WARMUP_ITERS", 50);
        d("SOLVER.WARMUP_FACTOR", 0.001);
        s("SOLVER.WARMUP_METHOD", "linear", "linear", "constant");
        d("SOLVER.MOMENTUM", 0.9);
        d("SOLVER.WEIGHT_DECAY", 0.0001);
        d("SOLVER.WEIGHT_DECAY_NORM", 0.0);
        i("SOLVER.CHECKPOINT_PERIOD", 1000);
        i("SOLVER.CHECKPOINTS_KEPT", 3);
        dl("SOLVER.SNAPSHOT_KIMG", 308);

        b("INPUT.CROP.ENABLED", true);
        s("INPUT.CROP.TYPE", "relative_range", "relative_range", "absolute");
        dl("INPUT.CROP.SIZE", 0.8, 0.8);
        dl("INPUT.B_SCALE", 0.8, 1.0);
        d("INPUT.FLIP_PROB", 0.5);
        add("INPUT.RANDOM_FLIP", ValueType.STRING, "horizontal", List.of("horizontal", "none"), Use.READ,
                "vertical flips are not implemented");
        il("INPUT.MIN_SIZE_TRAIN", 0);
        i("INPUT.MAX_SIZE_TRAIN", 0);
        i("INPUT.MIN_SIZE_TEST", 0);
        i("INPUT.MAX_SIZE_TEST", 0);
        s("INPUT.FORMAT", "RGB", "RGB", "BGR");

        s("DATASETS.TRAIN_JSON", "");
        s("DATASETS.TRAIN_IMAGES", "");
        s("DATASETS.TEST_JSON", "");
        s("DATASETS.TEST_IMAGES", "");
        s("DATASETS.VAL_JSON", "");
        s("DATASETS.VAL_IMAGES", "");
        ignored("DATASETS.TRAIN", ValueType.STRING_LIST, List.of(), "names of datasets registered in Detectron2; unitpath reads "
                + "DATASETS.TRAIN_JSON and TRAIN_IMAGES (fine-tuning) or CYCLE.DATASET_* (pretraining)");
        ignored("DATASETS.TEST", ValueType.STRING_LIST, List.of(), "names of datasets registered in Detectron2; unitpath reads "
                + "DATASETS.TEST_JSON and TEST_IMAGES");

        i("DATALOADER.NUM_WORKERS", 2);
        b("DATALOADER.STRICT", false);
        i("DATALOADER.MAX_RETRIES", 10);
        i("DATALOADER.PREFETCH", 4);
        b("DATALOADER.FILTER_EMPTY_ANNOTATIONS", true);

        i("TEST.EVAL_PERIOD", 1000);
        i("TEST.SAMPLE_PERIOD", 1000);
        i("TEST.SWD_IMAGES", 64);
        i("TEST.LOG_PERIOD", 20);
        i("TEST.DETECTIONS_PER_IMAGE", 100);
        d("TEST.CONFIDENCE_THRESHOLD", 0.5);
        s("TEST.BEST_METRIC", "aji");
        d("TEST.VAL_FRACTION", 0.0);
        i("TEST.VAL_SEED", 0);
        fixed("TEST.AUG.ENABLED", ValueType.BOOL, false, "test-time augmentation is not implemented");
        ignored("TEST.AUG.MIN_SIZES", ValueType.INT_LIST, List.of(400, 500, 600, 700, 800, 900, 1000, 1100, 1200),
                "used only with TEST.AUG.ENABLED true");
        ignored("TEST.AUG.MAX_SIZE", ValueType.INT, 4000, "used only with TEST.AUG.ENABLED true");
        ignored("TEST.AUG.FLIP", ValueType.BOOL, true, "used only with TEST.AUG.ENABLED true");

        KEYS = Collections.unmodifiableMap(keys);
        Set<String> sections = new LinkedHashSet<>();
        for (String name : keys.keySet()) {
            for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
                sections.add(name.substring(0, dot));
            }
        }
        SECTIONS = Collections.unmodifiableSet(sections);
    }

    private Schema() {}

    static boolean isKey(String name) {
        return KEYS.containsKey(canonical(name));
    }

    /** The key a name stands for: itself, or the unitpath key of a release alias. */
    static String canonical(String name) {
        return ALIASES.getOrDefault(name, name);
    }

    static boolean isSection(String name) {
        return SECTIONS.contains(name);
    }

    /** The first key of a section, for messages that show what a full key looks like. */
    static String firstKeyOf(String section) {
        return KEYS.keySet().stream().filter(k -> k.startsWith(section + ".")).findFirst().orElse(section);
    }

    static Map<String, Object> defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        KEYS.forEach((name, key) -> values.put(name, key.defaultValue()));
        return values;
    }

    private static void add(String name, ValueType type, Object value, List<String> choices, Use use, String note) {
        keys.put(name, new Key(name, type, value, List.copyOf(choices), use, note));
    }

    private static void add(String name, ValueType type, Object value, List<String> choices) {
        add(name, type, value, choices, Use.READ, "");
    }

    private static void add(String name, ValueType type, Object value) {
        add(name, type, value, List.of());
    }

    private static void fixed(String name, ValueType type, Object value, String implemented) {
        add(name, type, value, List.of(), Use.FIXED, implemented);
    }

    private static void ignored(String name, ValueType type, Object value, String why) {
        add(name, type, value, List.of(), Use.IGNORED, why);
    }

    private static void b(String name, boolean value) {
        add(name, ValueType.BOOL, value);
    }

    private static void i(String name, int value) {
        add(name, ValueType.INT, value);
    }

    private static void d(String name, double value) {
        add(name, ValueType.DOUBLE, value);
    }

    private static void s(String name, String value, String... choices) {
        add(name, ValueType.STRING, value, List.of(choices));
    }

    private static void sl(String name, List<String> choices, String... value) {
        add(name, ValueType.STRING_LIST, List.of(value), choices);
    }

    private static void il(String name, int... value) {
        List<Integer> list = new ArrayList<>();
        for (int v : value) {
            list.add(v);
        }
        add(name, ValueType.INT_LIST, List.copyOf(list));
    }

    private static void dl(String name, double... value) {
        List<Double> list = new ArrayList<>();
        for (double v : value) {
            list.add(v);
        }
        add(name, ValueType.DOUBLE_LIST, List.copyOf(list));
    }
}
