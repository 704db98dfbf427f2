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
    /** One key; {@code choices} (may be empty) are the values validation accepts. */
    record Key(String name, ValueType type, Object defaultValue, List<String> choices) {}

    private static final List<String> NORMS = List.of("", "none", "GN", "BN", "FrozenBN");
    private static final List<String> STAGES = List.of("stem", "res2", "res3", "res4", "res5");

    static final Map<String, Key> KEYS;
    static final Set<String> SECTIONS;

    private static final Map<String, Key> keys = new LinkedHashMap<>();

    static {
        i("SEED", -1);
        s("OUTPUT_DIR", "./output");
        i("VERSION", 2);

        s("CYCLE.DATASET_ROOT", "./datasets");
        s("CYCLE.DATASET_A_NAME", "colon_multichannel_10800");
        s("CYCLE.DATASET_B_NAME", "colon_-160000");
        sl("CYCLE.SCALES", List.of(), "40x_256");
        s("CYCLE.MASK_FORMAT", "multichannel", "multichannel", "2channel", "grey", "binary");
        s("CYCLE.G_AB", "StyleGAN", "StyleGAN", "ResNet", "UNet");
        s("CYCLE.SEG_GUIDE_STRATEGY", "ISG", "ISG", "SSG", "None");
        s("CYCLE.BA_SCRATCH", "", "", "scratch");
        s("CYCLE.AB_SCRATCH", "", "", "scratch");
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
        b("CYCLE.R_VISIBLE_TO_G_AB", true);
        b("CYCLE.AUGMENT_G_AB", false);
        i("CYCLE.MRCNN_MAX_REPEAT", 1);
        i("CYCLE.DATA_FILTER_REPEAT", 10);

        s("STYLEGAN.BASE_CONFIG", "paper256", "paper256", "demo64");
        b("STYLEGAN.CONDMOD", true);
        i("STYLEGAN.SKIP_RESOLUTION", 256);
        s("STYLEGAN.AUG", "ada", "ada", "noaug", "fixed");
        add("STYLEGAN.AUG_PROB", ValueType.NULLABLE_DOUBLE, null);
        add("STYLEGAN.TARGET", ValueType.NULLABLE_DOUBLE, null);
        d("STYLEGAN.R1_GAMMA", 10.0);
        i("STYLEGAN.R1_INTERVAL", 16);
        d("STYLEGAN.PL_WEIGHT", 2.0);
        i("STYLEGAN.PL_INTERVAL", 4);
        d("STYLEGAN.EMA_KIMG", 20.0);
        d("STYLEGAN.STYLE_MIXING", 0.9);
        d("STYLEGAN.DROPOUT", 0.5);
        b("STYLEGAN.FP32", false);
        i("STYLEGAN.KIMG_PER_TICK", 4);
        sl("STYLEGAN.METRICS", List.of(), "fid50k_full");
        i("STYLEGAN.RESOLUTION", 0);
        i("STYLEGAN.CHANNEL_BASE", 0);
        i("STYLEGAN.CHANNEL_MAX", 0);
        i("STYLEGAN.Z_DIM", 0);
        i("STYLEGAN.W_DIM", 0);
        i("STYLEGAN.MAPPING_LAYERS", 0);

        s("MODEL.DEVICE", "auto");
        s("MODEL.WEIGHTS", "");
        s("MODEL.META_ARCHITECTURE", "GeneralizedRCNN_Simplified", "GeneralizedRCNN_Simplified", "GeneralizedRCNN", "PanopticFPN");
        b("MODEL.MASK_ON", true);
        dl("MODEL.PIXEL_MEAN", 127.5, 127.5, 127.5);
        dl("MODEL.PIXEL_STD", 127.5, 127.5, 127.5);
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
        sl("MODEL.FPN.IN_FEATURES", STAGES, "res2", "res3", "res4", "res5");
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
        i("MODEL.ROI_HEADS.NUM_CLASSES", 1);
        i("MODEL.ROI_HEADS.BATCH_SIZE_PER_IMAGE", 512);
        d("MODEL.ROI_HEADS.POSITIVE_FRACTION", 0.25);
        dl("MODEL.ROI_HEADS.IOU_THRESHOLDS", 0.5);
        d("MODEL.ROI_HEADS.SCORE_THRESH_TEST", 0.05);
        d("MODEL.ROI_HEADS.NMS_THRESH_TEST", 0.5);
        i("MODEL.ROI_BOX_HEAD.NUM_FC", 2);
        i("MODEL.ROI_BOX_HEAD.FC_DIM", 1024);
        i("MODEL.ROI_BOX_HEAD.NUM_CONV", 0);
        i("MODEL.ROI_BOX_HEAD.CONV_DIM", 256);
        add("MODEL.ROI_BOX_HEAD.NORM", ValueType.STRING, "", NORMS);
        i("MODEL.ROI_BOX_HEAD.POOLER_RESOLUTION", 7);
        dl("MODEL.ROI_BOX_HEAD.BBOX_REG_WEIGHTS", 10.0, 10.0, 5.0, 5.0);
        i("MODEL.ROI_MASK_HEAD.NUM_CONV", 4);
        i("MODEL.ROI_MASK_HEAD.CONV_DIM", 256);
        add("MODEL.ROI_MASK_HEAD.NORM", ValueType.STRING, "GN", NORMS);
        i("MODEL.ROI_MASK_HEAD.POOLER_RESOLUTION", 14);
        i("MODEL.SEM_SEG_HEAD.NUM_CLASSES", 3);
        i("MODEL.SEM_SEG_HEAD.CONVS_DIM", 256);
        add("MODEL.SEM_SEG_HEAD.NORM", ValueType.STRING, "GN", NORMS);
        i("MODEL.SEM_SEG_HEAD.COMMON_STRIDE", 4);
        d("MODEL.SEM_SEG_HEAD.LOSS_WEIGHT", 1.0);
        i("MODEL.SEM_SEG_HEAD.IGNORE_VALUE", 255);
        i("MODEL.GBA.NUM_FILTER_FPN", 256);
        i("MODEL.GBA.NUM_FILTER", 128);
        i("MODEL.GBA.OUT_CHANNEL", 3);

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

        b("INPUT.CROP.ENABLED", true);
        s("INPUT.CROP.TYPE", "relative_range", "relative_range", "absolute");
        dl("INPUT.CROP.SIZE", 0.8, 0.8);
        dl("INPUT.B_SCALE", 0.8, 1.0);
        d("INPUT.FLIP_PROB", 0.5);

        s("DATASETS.TRAIN_JSON", "");
        s("DATASETS.TRAIN_IMAGES", "");
        s("DATASETS.TEST_JSON", "");
        s("DATASETS.TEST_IMAGES", "");

        i("DATALOADER.NUM_WORKERS", 2);
        b("DATALOADER.STRICT", false);
        i("DATALOADER.MAX_RETRIES", 10);
        i("DATALOADER.PREFETCH", 4);

        i("TEST.EVAL_PERIOD", 1000);
        i("TEST.SAMPLE_PERIOD", 1000);
        i("TEST.SWD_IMAGES", 64);
        i("TEST.LOG_PERIOD", 20);
        i("TEST.DETECTIONS_PER_IMAGE", 100);
        d("TEST.CONFIDENCE_THRESHOLD", 0.5);
        s("TEST.BEST_METRIC", "aji");

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
        return KEYS.containsKey(name);
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

    private static void add(String name, ValueType type, Object value, List<String> choices) {
        keys.put(name, new Key(name, type, value, List.copyOf(choices)));
    }

    private static void add(String name, ValueType type, Object value) {
        add(name, type, value, List.of());
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
