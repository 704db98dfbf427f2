package org.unitpath.train;

import java.nio.file.Path;
import java.util.List;
import org.unitpath.config.Config;
import org.unitpath.optim.LrSchedule;
import org.unitpath.seg.SegConfig;

/**
 * A nucleus-segmentation fine-tuning run (docs/method.md 6.2), resolved from the YAML config: data as
 * COCO files with image folders (training images without nuclei dropped when
 * {@code filterEmpty}), S (Mask R-CNN or Panoptic FPN), its initial weights (empty = random), the
 * Detectron2 SGD recipe and the evaluation every {@code evalPeriod} iterations, which accepts only
 * images that Detectron2's test resize ({@code minSizeTest}, {@code maxSizeTest}) leaves as they are.
 * The test set ({@code testJson} null when not given) is only reported; the best weights are
 * chosen on a validation set: {@code valJson}, or {@code valFraction} of the training images held
 * out by {@code valSeed} (kept apart from {@code seed} so every training seed sees the same split).
 */
public record SegFinetuneSettings(long seed, Path outputDir, String device, Path trainJson, Path trainImages, Path testJson,
        Path testImages, Path valJson, Path valImages, double valFraction, long valSeed, SegConfig seg, String weights, int batch, int crop, double flipProb, double baseLr, double momentum,
        double weightDecay, double weightDecayNorm, LrSchedule schedule, int maxIter, int checkpointPeriod, int checkpointsKept,
        int evalPeriod, int logPeriod, double confidenceThreshold, int maxDets, String bestMetric, boolean filterEmpty,
        int minSizeTest, int maxSizeTest) {

    /** Metrics where larger is better that can pick the best checkpoint. */
    public static final List<String> BEST_METRICS = List.of("aji", "pq", "dice", "dice1", "dice2", "aji_plus", "f1", "ap");

    public static SegFinetuneSettings from(Config c) {
        String arch = c.getString("MODEL.META_ARCHITECTURE");
        if (arch.equals("GeneralizedRCNN_Simplified")) {
            throw new IllegalArgumentException("MODEL.META_ARCHITECTURE is GeneralizedRCNN_Simplified, the pretraining S; "
                    + "fine-tuning needs GeneralizedRCNN or PanopticFPN (see configs/seg/kumar.yaml)");
        }
        if (!c.getString("INPUT.CROP.TYPE").equals("absolute")) {
            throw new IllegalArgumentException("INPUT.CROP.TYPE must be 'absolute' for fine-tuning (crops in pixels), got '"
                    + c.getString("INPUT.CROP.TYPE") + "'");
        }
        List<Double> crop = c.getDoubleList("INPUT.CROP.SIZE");
        if (!crop.get(0).equals(crop.get(1)) || crop.get(0) != Math.rint(crop.get(0))) {
            throw new IllegalArgumentException("INPUT.CROP.SIZE must be a square size in whole pixels, got " + crop);
        }
        InputSizes.checkFinetuning(c, crop.get(0).intValue());
        String best = c.getString("TEST.BEST_METRIC");
        if (!BEST_METRICS.contains(best)) {
            throw new IllegalArgumentException("TEST.BEST_METRIC must be one of " + BEST_METRICS + ", got '" + best + "'");
        }
        double valFraction = c.getDouble("TEST.VAL_FRACTION");
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("TEST.VAL_FRACTION must be in [0, 1) (the share of training images held out "
                    + "for choosing the best weights), got " + valFraction);
        }
        Path trainJson = path(c, "DATASETS.TRAIN_JSON");
        Path trainImages = path(c, "DATASETS.TRAIN_IMAGES");
        Path valJson = optionalPath(c, "DATASETS.VAL_JSON");
        if (valJson != null && valFraction > 0) {
            throw new IllegalArgumentException("DATASETS.VAL_JSON and TEST.VAL_FRACTION " + valFraction + " both give a "
                    + "validation set: set one of them (TEST.VAL_FRACTION 0.0 to use DATASETS.VAL_JSON)");
        }
        Path valImages = optionalPath(c, "DATASETS.VAL_IMAGES");
        Path testJson = optionalPath(c, "DATASETS.TEST_JSON");
        Path testImages = optionalPath(c, "DATASETS.TEST_IMAGES");
        if (testJson == null && valJson == null && valFraction == 0) {
            throw new IllegalArgumentException("DATASETS.TEST_JSON is not set and there is no validation set: fine-tuning "
                    + "needs images to evaluate on: DATASETS.TEST_JSON, DATASETS.VAL_JSON or TEST.VAL_FRACTION" + registered(c));
        }
        if (testJson != null && testImages == null) {
            throw new IllegalArgumentException("DATASETS.TEST_IMAGES is not set: it is the image folder of DATASETS.TEST_JSON "
                    + testJson);
        }
        return new SegFinetuneSettings(c.getInt("SEED") < 0 ? System.nanoTime() : c.getInt("SEED"),
                Path.of(c.getString("OUTPUT_DIR")), c.getString("MODEL.DEVICE"),
                trainJson, trainImages, testJson, testImages, valJson,
                valImages == null ? trainImages : valImages, valFraction, c.getInt("TEST.VAL_SEED"), SettingsFromConfig.seg(c), c.getString("MODEL.WEIGHTS"),
                c.getInt("SOLVER.IMS_PER_BATCH"), crop.get(0).intValue(), InputSizes.flipProb(c),
                c.getDouble("SOLVER.BASE_LR"), c.getDouble("SOLVER.MOMENTUM"), c.getDouble("SOLVER.WEIGHT_DECAY"),
                c.getDouble("SOLVER.WEIGHT_DECAY_NORM"),
                new LrSchedule(c.getDouble("SOLVER.BASE_LR"), c.getIntList("SOLVER.STEPS").stream().mapToInt(Integer::intValue).toArray(),
                        c.getDouble("SOLVER.GAMMA"), c.getInt("SOLVER.WARMUP_ITERS"), c.getDouble("SOLVER.WARMUP_FACTOR"),
                        c.getString("SOLVER.WARMUP_METHOD").equals("linear")),
                c.getInt("SOLVER.MAX_ITER"), c.getInt("SOLVER.CHECKPOINT_PERIOD"), c.getInt("SOLVER.CHECKPOINTS_KEPT"),
                c.getInt("TEST.EVAL_PERIOD"), c.getInt("TEST.LOG_PERIOD"), c.getDouble("TEST.CONFIDENCE_THRESHOLD"),
                c.getInt("TEST.DETECTIONS_PER_IMAGE"), best, c.getBool("DATALOADER.FILTER_EMPTY_ANNOTATIONS"),
                c.getInt("INPUT.MIN_SIZE_TEST"), c.getInt("INPUT.MAX_SIZE_TEST"));
    }

    /** Whether a validation set is configured: images chosen on, apart from the test set. */
    public boolean validated() {
        return valJson != null || valFraction > 0;
    }

    private static Path path(Config c, String key) {
        String v = c.getString(key);
        if (v.isEmpty()) {
            throw new IllegalArgumentException(key + " is not set: fine-tuning needs a COCO file and an image folder "
                    + "for training" + registered(c));
        }
        return Path.of(v);
    }

    private static Path optionalPath(Config c, String key) {
        String v = c.getString(key);
        return v.isEmpty() ? null : Path.of(v);
    }

    /** The hint for release configs that name Detectron2-registered datasets instead of files. */
    private static String registered(Config c) {
        for (String names : List.of("DATASETS.TRAIN", "DATASETS.TEST")) {
            if (!c.getStringList(names).isEmpty()) {
                return " (" + names + " " + c.getStringList(names) + " names datasets registered in Detectron2, which unitpath "
                        + "cannot look up)";
            }
        }
        return "";
    }
}
