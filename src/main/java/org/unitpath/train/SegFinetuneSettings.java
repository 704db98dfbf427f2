package org.unitpath.train;

import java.nio.file.Path;
import java.util.List;
import org.unitpath.config.Config;
import org.unitpath.seg.SegConfig;

/**
 * A nucleus-segmentation fine-tuning run (METHOD.md 6.2), resolved from the YAML config: data as
 * COCO files with image folders (training images without nuclei dropped when
 * {@code filterEmpty}), S (Mask R-CNN or Panoptic FPN), its initial weights (empty = random), the
 * Detectron2 SGD recipe and the evaluation every {@code evalPeriod} iterations, which accepts only
 * test images that Detectron2's test resize ({@code minSizeTest}, {@code maxSizeTest}) leaves as they are.
 */
public record SegFinetuneSettings(long seed, Path outputDir, String device, Path trainJson, Path trainImages, Path testJson,
        Path testImages, SegConfig seg, String weights, int batch, int crop, double flipProb, double baseLr, double momentum,
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
        return new SegFinetuneSettings(c.getInt("SEED") < 0 ? System.nanoTime() : c.getInt("SEED"),
                Path.of(c.getString("OUTPUT_DIR")), c.getString("MODEL.DEVICE"),
                path(c, "DATASETS.TRAIN_JSON"), path(c, "DATASETS.TRAIN_IMAGES"), path(c, "DATASETS.TEST_JSON"),
                path(c, "DATASETS.TEST_IMAGES"), SettingsFromConfig.seg(c), c.getString("MODEL.WEIGHTS"),
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

    private static Path path(Config c, String key) {
        String v = c.getString(key);
        if (v.isEmpty()) {
            String names = key.startsWith("DATASETS.TRAIN") ? "DATASETS.TRAIN" : "DATASETS.TEST";
            String registered = c.getStringList(names).isEmpty() ? "" : " (" + names + " " + c.getStringList(names)
                    + " names datasets registered in Detectron2, which unitpath cannot look up)";
            throw new IllegalArgumentException(key + " is not set: fine-tuning needs a COCO file and an image folder "
                    + "for training and for testing" + registered);
        }
        return Path.of(v);
    }
}
