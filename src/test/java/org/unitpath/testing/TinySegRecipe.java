package org.unitpath.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Overrides that shrink configs/seg/kumar.yaml to a seconds-long run on a synthetic-nuclei folder. */
public final class TinySegRecipe {
    private TinySegRecipe() {}

    /**
     * A narrow Panoptic FPN on 128x128 crops, {@code iters} iterations, checkpoints and evaluations every half; no
     * validation split (the recipe's TEST.VAL_FRACTION would take a test's few training images), tests add one.
     */
    public static List<String> overrides(Path data, Path out, int iters) {
        return new ArrayList<>(List.of("OUTPUT_DIR", out.toString(),
                "DATASETS.TRAIN_JSON", data.resolve("train.json").toString(), "DATASETS.TRAIN_IMAGES", data.resolve("images").toString(),
                "DATASETS.TEST_JSON", data.resolve("test.json").toString(), "DATASETS.TEST_IMAGES", data.resolve("images").toString(),
                "MODEL.WEIGHTS", "", "MODEL.DEVICE", "cpu",
                "MODEL.RESNETS.WIDTH_PER_GROUP", "32", "MODEL.RESNETS.STEM_OUT_CHANNELS", "32", "MODEL.RESNETS.RES2_OUT_CHANNELS", "128",
                "MODEL.FPN.OUT_CHANNELS", "64", "MODEL.ROI_BOX_HEAD.FC_DIM", "128", "MODEL.ROI_MASK_HEAD.CONV_DIM", "64",
                "MODEL.SEM_SEG_HEAD.CONVS_DIM", "32", "MODEL.ROI_HEADS.BATCH_SIZE_PER_IMAGE", "64",
                "MODEL.RPN.PRE_NMS_TOPK_TEST", "1000", "MODEL.RPN.POST_NMS_TOPK_TEST", "500", "TEST.DETECTIONS_PER_IMAGE", "100",
                "INPUT.CROP.SIZE", "[128, 128]", "SOLVER.IMS_PER_BATCH", "2", "SOLVER.BASE_LR", "0.02",
                "SOLVER.MAX_ITER", Integer.toString(iters), "SOLVER.STEPS", "[" + iters * 3 / 4 + "]", "SOLVER.WARMUP_ITERS", "10",
                "SOLVER.CHECKPOINT_PERIOD", Integer.toString(iters / 2), "SOLVER.CHECKPOINTS_KEPT", "5",
                "TEST.EVAL_PERIOD", Integer.toString(iters / 2), "TEST.LOG_PERIOD", "10", "TEST.VAL_FRACTION", "0.0"));
    }
}
