package org.unitpath.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Semantic checks of a merged config: the values the rest of unitpath can run with. Each
 * message names the key and where its value came from.
 */
final class Validator {
    private static final Pattern SCALE = Pattern.compile("(\\d+)x_(\\d+)");
    private static final Pattern DEVICE = Pattern.compile("auto|cpu|cuda(:\\d+)?");
    private static final List<Integer> DEPTHS = List.of(50, 101, 152);
    private static final int GN_GROUPS = 32;

    private final Config c;

    private Validator(Config c) {
        this.c = c;
    }

    static void validate(Config c) {
        new Validator(c).run();
    }

    private void run() {
        choices();
        fixed();
        atLeast("SEED", -1);
        require("OUTPUT_DIR", !c.getString("OUTPUT_DIR").isBlank(), "must not be empty");
        cycle();
        stylegan();
        model();
        solver();
        input();
        atLeast("DATALOADER.NUM_WORKERS", 0);
        atLeast("DATALOADER.MAX_RETRIES", 1);
        atLeast("DATALOADER.PREFETCH", 1);
        atLeast("TEST.EVAL_PERIOD", 0);
        atLeast("TEST.SAMPLE_PERIOD", 0);
        atLeast("TEST.SWD_IMAGES", 1);
        atLeast("TEST.LOG_PERIOD", 1);
        atLeast("TEST.DETECTIONS_PER_IMAGE", 1);
    }

    private void choices() {
        for (Schema.Key key : Schema.KEYS.values()) {
            if (key.choices().isEmpty()) {
                continue;
            }
            List<?> given = key.type().isList() ? (List<?>) c.get(key.name()) : List.of(c.get(key.name()));
            for (Object v : given) {
                require(key.name(), key.choices().contains(v), "expected one of " + show(key.choices())
                        + ", got " + ValueType.format(v) + (key.note().isEmpty() ? "" : " (" + key.note() + ")"));
            }
        }
    }

    /** Keys of the release's configs whose default is all unitpath implements. */
    private void fixed() {
        for (Schema.Key key : Schema.KEYS.values()) {
            Object v = c.get(key.name());
            if (key.use() == Schema.Use.FIXED && !Objects.equals(v, key.defaultValue())) {
                require(key.name(), false, ValueType.format(v) + " is not supported: " + key.note() + " (supported: "
                        + ValueType.format(key.defaultValue()) + ")");
            }
        }
    }

    private void cycle() {
        List<String> scales = c.getStringList("CYCLE.SCALES");
        require("CYCLE.SCALES", !scales.isEmpty(), "needs at least one scale such as 40x_256");
        int size = -1;
        for (String s : scales) {
            Matcher m = SCALE.matcher(s);
            String bad = "scale '" + s + "' must read <magnification>x_<size> with a magnification dividing 40 "
                    + "and a size of at least 8, e.g. 40x_256";
            require("CYCLE.SCALES", m.matches(), bad);
            int mag = parse(m.group(1));
            int px = parse(m.group(2));
            require("CYCLE.SCALES", mag >= 1 && mag <= 40 && 40 % mag == 0 && px >= 8, bad);
            // the loader stacks items of every scale into one batch
            require("CYCLE.SCALES", size < 0 || px == size, "all scales must share one size, got " + show(scales));
            size = px;
        }
        require("CYCLE.DATASET_A_NAME", !c.getString("CYCLE.DATASET_A_NAME").isBlank(), "must not be empty");
        require("CYCLE.DATASET_B_NAME", !c.getString("CYCLE.DATASET_B_NAME").isBlank(), "must not be empty");
        for (String k : List.of("LAMBDA_A", "LAMBDA_B", "LAMBDA_D_A", "LAMBDA_D_B", "LAMBDA_CYCLE", "LAMBDA_MRCNN_NUCLEUS",
                "LAMBDA_GP", "LAMBDA_IDENTITY")) {
            atLeast("CYCLE." + k, 0);
        }
        atLeast("CYCLE.CRITIC_DISCRIMINATOR", 1);
        atLeast("CYCLE.MRCNN_INTERVAL", 1);
        atLeast("CYCLE.REPLAY_BUFFER", 0);
        if (c.getString("CYCLE.G_AB").equals("StyleGAN") && c.getInt("STYLEGAN.RESOLUTION") == 0) {
            require("CYCLE.SCALES", Integer.bitCount(size) == 1, "the StyleGAN generator needs a power-of-two size, got "
                    + size + " (or set STYLEGAN.RESOLUTION)");
        }
    }

    private void stylegan() {
        int skip = c.getInt("STYLEGAN.SKIP_RESOLUTION");
        require("STYLEGAN.SKIP_RESOLUTION", skip == 0 || (skip >= 4 && Integer.bitCount(skip) == 1),
                "must be 0 (no skips) or a power of two >= 4, got " + skip);
        int res = c.getInt("STYLEGAN.RESOLUTION");
        require("STYLEGAN.RESOLUTION", res == 0 || (res >= 8 && Integer.bitCount(res) == 1),
                "must be 0 (from the scale) or a power of two >= 8, got " + res);
        for (String k : List.of("CHANNEL_BASE", "CHANNEL_MAX", "Z_DIM", "W_DIM", "MAPPING_LAYERS")) {
            atLeast("STYLEGAN." + k, 0);
        }
        Double p = c.getNullableDouble("STYLEGAN.AUG_PROB");
        require("STYLEGAN.AUG_PROB", p == null || (p >= 0 && p <= 1), "must be None or lie in [0, 1], got " + ValueType.format(p));
        Double t = c.getNullableDouble("STYLEGAN.TARGET");
        require("STYLEGAN.TARGET", t == null || (t > 0 && t < 1), "must be None (0.6) or lie in (0, 1), got " + ValueType.format(t));
        atLeast("STYLEGAN.R1_GAMMA", 0);
        atLeast("STYLEGAN.R1_INTERVAL", 1);
        atLeast("STYLEGAN.PL_WEIGHT", 0);
        atLeast("STYLEGAN.PL_INTERVAL", 1);
        atLeast("STYLEGAN.EMA_KIMG", 0);
        between("STYLEGAN.STYLE_MIXING", 0, 1);
        double dropout = c.getDouble("STYLEGAN.DROPOUT");
        require("STYLEGAN.DROPOUT", dropout >= 0 && dropout < 1, "must lie in [0, 1), got " + ValueType.format(dropout));
        positive("STYLEGAN.KIMG_PER_TICK");
    }

    private void model() {
        require("MODEL.DEVICE", DEVICE.matcher(c.getString("MODEL.DEVICE")).matches(),
                "expected auto, cpu, cuda or cuda:N, got '" + c.getString("MODEL.DEVICE") + "'");
        listLength("MODEL.PIXEL_MEAN", 3);
        listLength("MODEL.PIXEL_STD", 3);
        require("MODEL.PIXEL_STD", c.getDoubleList("MODEL.PIXEL_STD").stream().allMatch(v -> v > 0), "must be > 0");
        int freeze = c.getInt("MODEL.BACKBONE.FREEZE_AT");
        require("MODEL.BACKBONE.FREEZE_AT", freeze >= -1 && freeze <= 5, "must lie in -1..5, got " + freeze);
        require("MODEL.RESNETS.DEPTH", DEPTHS.contains(c.getInt("MODEL.RESNETS.DEPTH")),
                "expected 50, 101 or 152, got " + c.getInt("MODEL.RESNETS.DEPTH"));
        for (String k : List.of("NUM_GROUPS", "WIDTH_PER_GROUP", "STEM_OUT_CHANNELS", "RES2_OUT_CHANNELS")) {
            positive("MODEL.RESNETS." + k);
        }
        require("MODEL.RESNETS.OUT_FEATURES", !c.getStringList("MODEL.RESNETS.OUT_FEATURES").isEmpty(), "must not be empty");
        require("MODEL.FPN.IN_FEATURES", c.getStringList("MODEL.RESNETS.OUT_FEATURES")
                .containsAll(c.getStringList("MODEL.FPN.IN_FEATURES")), "must be among MODEL.RESNETS.OUT_FEATURES "
                + show(c.getStringList("MODEL.RESNETS.OUT_FEATURES")) + ", got " + show(c.getStringList("MODEL.FPN.IN_FEATURES")));
        groupNorm("MODEL.RESNETS.NORM", "MODEL.RESNETS.STEM_OUT_CHANNELS", "MODEL.RESNETS.RES2_OUT_CHANNELS");
        require("MODEL.RESNETS.WIDTH_PER_GROUP", !isGN("MODEL.RESNETS.NORM")
                || c.getInt("MODEL.RESNETS.WIDTH_PER_GROUP") * c.getInt("MODEL.RESNETS.NUM_GROUPS") % GN_GROUPS == 0,
                "times MODEL.RESNETS.NUM_GROUPS must be a multiple of 32 for GroupNorm(32)");
        positive("MODEL.FPN.OUT_CHANNELS");
        groupNorm("MODEL.FPN.NORM", "MODEL.FPN.OUT_CHANNELS");
        require("MODEL.ANCHOR_GENERATOR.SIZES", !c.getIntList("MODEL.ANCHOR_GENERATOR.SIZES").isEmpty()
                && c.getIntList("MODEL.ANCHOR_GENERATOR.SIZES").stream().allMatch(v -> v > 0), "needs sizes > 0");
        require("MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS", !c.getDoubleList("MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS").isEmpty()
                && c.getDoubleList("MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS").stream().allMatch(v -> v > 0), "needs ratios > 0");
        positive("MODEL.RPN.BATCH_SIZE_PER_IMAGE");
        fraction("MODEL.RPN.POSITIVE_FRACTION");
        listLength("MODEL.RPN.IOU_THRESHOLDS", 2);
        List<Double> iou = c.getDoubleList("MODEL.RPN.IOU_THRESHOLDS");
        require("MODEL.RPN.IOU_THRESHOLDS", iou.get(0) >= 0 && iou.get(0) <= iou.get(1) && iou.get(1) <= 1,
                "expected [background, foreground] with 0 <= background <= foreground <= 1, got " + show(iou));
        fraction("MODEL.RPN.NMS_THRESH");
        for (String k : List.of("PRE_NMS_TOPK_TRAIN", "POST_NMS_TOPK_TRAIN", "PRE_NMS_TOPK_TEST", "POST_NMS_TOPK_TEST")) {
            positive("MODEL.RPN." + k);
        }
        positive("MODEL.ROI_HEADS.NUM_CLASSES");
        positive("MODEL.ROI_HEADS.BATCH_SIZE_PER_IMAGE");
        fraction("MODEL.ROI_HEADS.POSITIVE_FRACTION");
        listLength("MODEL.ROI_HEADS.IOU_THRESHOLDS", 1);
        between("MODEL.ROI_HEADS.SCORE_THRESH_TEST", 0, 1);
        fraction("MODEL.ROI_HEADS.NMS_THRESH_TEST");
        atLeast("MODEL.ROI_BOX_HEAD.NUM_FC", 0);
        atLeast("MODEL.ROI_BOX_HEAD.NUM_CONV", 0);
        require("MODEL.ROI_BOX_HEAD.NUM_FC", c.getInt("MODEL.ROI_BOX_HEAD.NUM_FC") + c.getInt("MODEL.ROI_BOX_HEAD.NUM_CONV") > 0,
                "the box head needs at least one layer (NUM_FC + NUM_CONV > 0)");
        positive("MODEL.ROI_BOX_HEAD.FC_DIM");
        positive("MODEL.ROI_BOX_HEAD.CONV_DIM");
        groupNorm("MODEL.ROI_BOX_HEAD.NORM", "MODEL.ROI_BOX_HEAD.CONV_DIM");
        positive("MODEL.ROI_BOX_HEAD.POOLER_RESOLUTION");
        listLength("MODEL.ROI_BOX_HEAD.BBOX_REG_WEIGHTS", 4);
        require("MODEL.ROI_BOX_HEAD.BBOX_REG_WEIGHTS",
                c.getDoubleList("MODEL.ROI_BOX_HEAD.BBOX_REG_WEIGHTS").stream().allMatch(v -> v > 0), "must be > 0");
        atLeast("MODEL.ROI_MASK_HEAD.NUM_CONV", 0);
        positive("MODEL.ROI_MASK_HEAD.CONV_DIM");
        groupNorm("MODEL.ROI_MASK_HEAD.NORM", "MODEL.ROI_MASK_HEAD.CONV_DIM");
        positive("MODEL.ROI_MASK_HEAD.POOLER_RESOLUTION");
        positive("MODEL.SEM_SEG_HEAD.NUM_CLASSES");
        positive("MODEL.SEM_SEG_HEAD.CONVS_DIM");
        groupNorm("MODEL.SEM_SEG_HEAD.NORM", "MODEL.SEM_SEG_HEAD.CONVS_DIM");
        int stride = c.getInt("MODEL.SEM_SEG_HEAD.COMMON_STRIDE");
        require("MODEL.SEM_SEG_HEAD.COMMON_STRIDE", stride >= 4 && Integer.bitCount(stride) == 1,
                "must be a power of two >= 4 (an FPN level's stride), got " + stride);
        atLeast("MODEL.SEM_SEG_HEAD.LOSS_WEIGHT", 0);
        positive("MODEL.GBA.NUM_FILTER_FPN");
        positive("MODEL.GBA.NUM_FILTER");
        positive("MODEL.GBA.OUT_CHANNEL");
    }

    private void solver() {
        positive("SOLVER.IMS_PER_BATCH");
        positive("SOLVER.BASE_LR");
        listLength("SOLVER.BETAS", 2);
        require("SOLVER.BETAS", c.getDoubleList("SOLVER.BETAS").stream().allMatch(b -> b >= 0 && b < 1),
                "Adam's betas must lie in [0, 1), got " + show(c.getDoubleList("SOLVER.BETAS")));
        positive("SOLVER.MAX_ITER");
        int max = c.getInt("SOLVER.MAX_ITER");
        int previous = 0;
        for (int step : c.getIntList("SOLVER.STEPS")) {
            String maxFrom = ConfigLoader.where(c.origin("SOLVER.MAX_ITER")).trim();
            require("SOLVER.STEPS", step > previous && step < max, "steps must be > 0, increase and lie below "
                    + "SOLVER.MAX_ITER = " + max + " (" + (maxFrom.startsWith("(") ? "the default" : "set " + maxFrom)
                    + "), got " + show(c.getIntList("SOLVER.STEPS")));
            previous = step;
        }
        positive("SOLVER.GAMMA");
        atLeast("SOLVER.WARMUP_ITERS", 0);
        double wf = c.getDouble("SOLVER.WARMUP_FACTOR");
        require("SOLVER.WARMUP_FACTOR", wf > 0 && wf <= 1, "must lie in (0, 1], got " + ValueType.formatDouble(wf));
        positive("SOLVER.CHECKPOINT_PERIOD");
        atLeast("SOLVER.CHECKPOINTS_KEPT", 1);
        double previousKimg = 0;
        for (double kimg : c.getDoubleList("SOLVER.SNAPSHOT_KIMG")) {
            // snapshots are named by the whole kimg, so two points within one kimg would share a file
            require("SOLVER.SNAPSHOT_KIMG", kimg > previousKimg && (previousKimg == 0 || Math.floor(kimg) > Math.floor(previousKimg)),
                    "snapshot points (thousands of images) must be > 0 and lie in different whole kimg (they name the files), "
                    + "got " + show(c.getDoubleList("SOLVER.SNAPSHOT_KIMG")));
            previousKimg = kimg;
        }
    }

    private void input() {
        listLength("INPUT.CROP.SIZE", 2);
        if (c.getString("INPUT.CROP.TYPE").equals("absolute")) {
            require("INPUT.CROP.SIZE", c.getDoubleList("INPUT.CROP.SIZE").stream().allMatch(v -> v >= 32 && v == Math.rint(v)),
                    "absolute crop sizes must be whole pixels >= 32, got " + show(c.getDoubleList("INPUT.CROP.SIZE")));
        } else {
            require("INPUT.CROP.SIZE", c.getDoubleList("INPUT.CROP.SIZE").stream().allMatch(v -> v > 0 && v <= 1),
                    "relative crop fractions must lie in (0, 1], got " + show(c.getDoubleList("INPUT.CROP.SIZE")));
        }
        listLength("INPUT.B_SCALE", 2);
        List<Double> b = c.getDoubleList("INPUT.B_SCALE");
        require("INPUT.B_SCALE", b.get(0) > 0 && b.get(0) <= b.get(1) && b.get(1) <= 1,
                "expected [min, max] with 0 < min <= max <= 1, got " + show(b));
        between("INPUT.FLIP_PROB", 0, 1);
        require("INPUT.MIN_SIZE_TRAIN", !c.getIntList("INPUT.MIN_SIZE_TRAIN").isEmpty()
                && c.getIntList("INPUT.MIN_SIZE_TRAIN").stream().allMatch(v -> v >= 0), "needs sizes >= 0 (0: no resize), got "
                + show(c.getIntList("INPUT.MIN_SIZE_TRAIN")));
        atLeast("INPUT.MAX_SIZE_TRAIN", 0);
        atLeast("INPUT.MIN_SIZE_TEST", 0);
        atLeast("INPUT.MAX_SIZE_TEST", 0);
    }

    private boolean isGN(String normKey) {
        return c.getString(normKey).equals("GN");
    }

    private void groupNorm(String normKey, String... channelKeys) {
        for (String k : channelKeys) {
            require(k, !isGN(normKey) || c.getInt(k) % GN_GROUPS == 0, "must be a multiple of 32 for GroupNorm(32) ("
                    + normKey + " is GN), got " + c.getInt(k));
        }
    }

    private void listLength(String key, int n) {
        List<?> list = (List<?>) c.get(key);
        require(key, list.size() == n, "expected " + n + (n == 1 ? " value" : " values") + ", got " + show(list));
    }

    private void positive(String key) {
        double v = c.getDouble(key);
        require(key, v > 0, "must be > 0, got " + ValueType.format(c.get(key)));
    }

    private void atLeast(String key, double min) {
        require(key, c.getDouble(key) >= min, "must be >= " + ValueType.format(c.get(key) instanceof Integer ? (Object) (int) min
                : (Object) min) + ", got " + ValueType.format(c.get(key)));
    }

    private void between(String key, double lo, double hi) {
        double v = c.getDouble(key);
        require(key, v >= lo && v <= hi, "must lie in [" + ValueType.formatDouble(lo) + ", " + ValueType.formatDouble(hi)
                + "], got " + ValueType.format(c.get(key)));
    }

    private void fraction(String key) {
        double v = c.getDouble(key);
        require(key, v > 0 && v <= 1, "must lie in (0, 1], got " + ValueType.format(c.get(key)));
    }

    private void require(String key, boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(key + ConfigLoader.where(c.origin(key)) + ": " + problem);
        }
    }

    private static String show(List<?> list) {
        return ValueType.format(list);
    }

    private static int parse(String digits) {
        return digits.length() > 6 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }
}
