package org.unitpath.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.unitpath.config.Config;
import org.unitpath.data.Augment;
import org.unitpath.data.ScaleSpec;
import org.unitpath.data.SegGuide;
import org.unitpath.gan.StyleGanConfig;
import org.unitpath.masks.Range;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.seg.RoiHeadsConfig;
import org.unitpath.seg.RpnConfig;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SemSegConfig;

/** Resolves a merged {@link Config} (the release's keys) into {@link PretrainSettings}. */
public final class SettingsFromConfig {
    private SettingsFromConfig() {}

    public static PretrainSettings resolve(Config c, int worldSize) {
        int batch = c.getInt("SOLVER.IMS_PER_BATCH");
        if (batch % worldSize != 0) {
            throw new IllegalArgumentException("SOLVER.IMS_PER_BATCH " + batch + " is not divisible by the " + worldSize
                    + " processes");
        }
        List<String> scales = c.getStringList("CYCLE.SCALES");
        int size = ScaleSpec.parse(scales.get(0)).size();
        InputSizes.checkPretraining(c, size);
        int group = stylegan(c, size).mbstdGroup();
        int perProcess = batch / worldSize;
        if (c.getString("CYCLE.G_AB").equals("StyleGAN") && perProcess > group && perProcess % group != 0) {
            // SG2ADA's minibatch-std reshapes each process's batch into groups of min(8, N): the release ran 12 on >= 2 GPUs
            throw new IllegalArgumentException("SOLVER.IMS_PER_BATCH " + batch + " on " + worldSize + " process(es) gives "
                    + perProcess + " images per process, which the discriminator's minibatch-std groups of " + group
                    + " do not divide; split it over more processes (--nproc 2, 3 or 4) or use a batch of at most " + group
                    + " or a multiple of it per process");
        }
        SegGuide guide = SegGuide.parse(c.getString("CYCLE.SEG_GUIDE_STRATEGY"));
        List<Double> crop = c.getDoubleList("INPUT.CROP.SIZE");
        List<Double> bScale = c.getDoubleList("INPUT.B_SCALE");
        Augment augment = new Augment(new Range(bScale.get(0), bScale.get(1)),
                c.getBool("INPUT.CROP.ENABLED") ? Math.min(crop.get(0), crop.get(1)) : 1.0, InputSizes.flipProb(c));
        List<Double> betas = c.getDoubleList("SOLVER.BETAS");
        String weights = c.getString("MODEL.WEIGHTS");
        Double target = c.getNullableDouble("STYLEGAN.TARGET");
        return new PretrainSettings(
                c.getInt("SEED") < 0 ? System.nanoTime() : c.getInt("SEED"), Path.of(c.getString("OUTPUT_DIR")),
                c.getString("MODEL.DEVICE"),
                Path.of(c.getString("CYCLE.DATASET_ROOT")), c.getString("CYCLE.DATASET_A_NAME"),
                c.getString("CYCLE.DATASET_B_NAME"), scales, c.getString("CYCLE.MASK_FORMAT"),
                batch / worldSize, c.getInt("DATALOADER.NUM_WORKERS"), c.getInt("DATALOADER.PREFETCH"),
                c.getBool("DATALOADER.STRICT"), c.getInt("DATALOADER.MAX_RETRIES"), augment,
                c.getString("CYCLE.G_AB"), guide, c.getString("CYCLE.BA_SCRATCH").equals("scratch"),
                weights.isEmpty() ? null : Path.of(weights),
                c.getDouble("CYCLE.LAMBDA_A"), c.getDouble("CYCLE.LAMBDA_B"), c.getDouble("CYCLE.LAMBDA_D_A"),
                c.getDouble("CYCLE.LAMBDA_D_B"), c.getDouble("CYCLE.LAMBDA_CYCLE"), c.getDouble("CYCLE.LAMBDA_MRCNN_NUCLEUS"),
                c.getInt("CYCLE.MRCNN_INTERVAL"), c.getInt("CYCLE.REPLAY_BUFFER"), identity(c),
                c.getDouble("CYCLE.LAMBDA_IDENTITY"), c.getDouble("CYCLE.LAMBDA_GP"), c.getBool("CYCLE.GP_A"), gpB(c),
                c.getInt("CYCLE.CRITIC_DISCRIMINATOR"),
                stylegan(c, size), c.getString("STYLEGAN.AUG"), c.getNullableDouble("STYLEGAN.AUG_PROB"),
                target == null ? 0.6 : target, c.getDouble("STYLEGAN.R1_GAMMA"), c.getInt("STYLEGAN.R1_INTERVAL"),
                c.getDouble("STYLEGAN.PL_WEIGHT"), c.getInt("STYLEGAN.PL_INTERVAL"), c.getDouble("STYLEGAN.EMA_KIMG"),
                c.getDouble("STYLEGAN.STYLE_MIXING"),
                seg(c),
                c.getDouble("SOLVER.BASE_LR"), betas.get(0), betas.get(1), c.getInt("SOLVER.MAX_ITER"),
                c.getIntList("SOLVER.STEPS").stream().mapToInt(Integer::intValue).toArray(), c.getDouble("SOLVER.GAMMA"),
                c.getInt("SOLVER.WARMUP_ITERS"), c.getDouble("SOLVER.WARMUP_FACTOR"),
                c.getString("SOLVER.WARMUP_METHOD").equals("linear"), c.getInt("SOLVER.CHECKPOINT_PERIOD"),
                c.getInt("SOLVER.CHECKPOINTS_KEPT"),
                c.getInt("TEST.EVAL_PERIOD"), c.getInt("TEST.SAMPLE_PERIOD"), c.getInt("TEST.SWD_IMAGES"),
                c.getInt("TEST.LOG_PERIOD"), c.getDoubleList("SOLVER.SNAPSHOT_KIMG"));
    }

    /**
     * The release turns the identity loss on when CYCLE.IDENTITY is anything but None
     * ({@code if identity is not None}); a value that reads as "off" would silently turn it on.
     */
    static boolean identity(Config c) {
        String v = c.getNullableString("CYCLE.IDENTITY");
        if (v != null && List.of("false", "off", "no", "0", "").contains(v.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("CYCLE.IDENTITY is None (identity loss off) or any other value (on, as in the "
                    + "release); '" + v + "' would turn it on: write None to turn it off");
        }
        return v != null;
    }

    /** GP_B gates the legacy R1 of a PatchGAN D_G; the StyleGAN D_G's R1 is STYLEGAN.R1_GAMMA. */
    static boolean gpB(Config c) {
        boolean on = c.getBool("CYCLE.GP_B");
        if (on && c.getString("CYCLE.G_AB").equals("StyleGAN")) {
            throw new IllegalArgumentException("CYCLE.GP_B applies to the PatchGAN D_G of the ResNet/UNet generators; "
                    + "the StyleGAN D_G's R1 is set by STYLEGAN.R1_GAMMA and STYLEGAN.R1_INTERVAL");
        }
        return on;
    }

    static StyleGanConfig stylegan(Config c, int size) {
        StyleGanConfig base = c.getString("STYLEGAN.BASE_CONFIG").equals("demo64") ? StyleGanConfig.demo64()
                : StyleGanConfig.paper256();
        int res = orDefault(c.getInt("STYLEGAN.RESOLUTION"), size);
        return new StyleGanConfig(res, orDefault(c.getInt("STYLEGAN.CHANNEL_BASE"), base.channelBase()),
                orDefault(c.getInt("STYLEGAN.CHANNEL_MAX"), base.channelMax()), orDefault(c.getInt("STYLEGAN.Z_DIM"), base.zDim()),
                orDefault(c.getInt("STYLEGAN.W_DIM"), base.wDim()), orDefault(c.getInt("STYLEGAN.MAPPING_LAYERS"), base.mappingLayers()),
                base.mappingLrMultiplier(), c.getBool("STYLEGAN.CONDMOD"), c.getInt("STYLEGAN.SKIP_RESOLUTION"),
                c.getDouble("STYLEGAN.DROPOUT"), base.mbstdGroup(), 3);
    }

    /**
     * S as the config describes it: MODEL.META_ARCHITECTURE GeneralizedRCNN_Simplified is the
     * pretraining S (cycle head, heads per CYCLE.SEG_GUIDE_STRATEGY); GeneralizedRCNN (Mask R-CNN)
     * and PanopticFPN (Mask R-CNN + semantic head) are the downstream networks, without cycle head.
     */
    public static SegConfig seg(Config c) {
        ResNetConfig resnet = new ResNetConfig(c.getInt("MODEL.RESNETS.DEPTH"), c.getString("MODEL.RESNETS.NORM"),
                c.getInt("MODEL.BACKBONE.FREEZE_AT"), c.getBool("MODEL.RESNETS.STRIDE_IN_1X1"),
                c.getStringList("MODEL.RESNETS.OUT_FEATURES"), c.getInt("MODEL.RESNETS.STEM_OUT_CHANNELS"),
                c.getInt("MODEL.RESNETS.RES2_OUT_CHANNELS"), c.getInt("MODEL.RESNETS.WIDTH_PER_GROUP"),
                c.getInt("MODEL.RESNETS.NUM_GROUPS"));
        List<Integer> sizes = c.getIntList("MODEL.ANCHOR_GENERATOR.SIZES");
        List<Double> iou = c.getDoubleList("MODEL.RPN.IOU_THRESHOLDS");
        RpnConfig rpn = new RpnConfig(sizes.stream().mapToDouble(Integer::doubleValue).toArray(),
                c.getDoubleList("MODEL.ANCHOR_GENERATOR.ASPECT_RATIOS").stream().mapToDouble(Double::doubleValue).toArray(),
                iou.get(0), iou.get(1), c.getInt("MODEL.RPN.BATCH_SIZE_PER_IMAGE"), c.getDouble("MODEL.RPN.POSITIVE_FRACTION"),
                c.getInt("MODEL.RPN.PRE_NMS_TOPK_TRAIN"), c.getInt("MODEL.RPN.POST_NMS_TOPK_TRAIN"),
                c.getInt("MODEL.RPN.PRE_NMS_TOPK_TEST"), c.getInt("MODEL.RPN.POST_NMS_TOPK_TEST"),
                c.getDouble("MODEL.RPN.NMS_THRESH"), 0.0, new double[] {1, 1, 1, 1});
        RoiHeadsConfig roi = new RoiHeadsConfig(c.getInt("MODEL.ROI_HEADS.NUM_CLASSES"),
                c.getDoubleList("MODEL.ROI_HEADS.IOU_THRESHOLDS").get(0), c.getInt("MODEL.ROI_HEADS.BATCH_SIZE_PER_IMAGE"),
                c.getDouble("MODEL.ROI_HEADS.POSITIVE_FRACTION"), true, c.getInt("MODEL.ROI_BOX_HEAD.POOLER_RESOLUTION"),
                c.getInt("MODEL.ROI_BOX_HEAD.NUM_CONV"), c.getInt("MODEL.ROI_BOX_HEAD.CONV_DIM"),
                c.getInt("MODEL.ROI_BOX_HEAD.NUM_FC"), c.getInt("MODEL.ROI_BOX_HEAD.FC_DIM"), c.getString("MODEL.ROI_BOX_HEAD.NORM"),
                c.getInt("MODEL.ROI_MASK_HEAD.POOLER_RESOLUTION"), c.getInt("MODEL.ROI_MASK_HEAD.NUM_CONV"),
                c.getInt("MODEL.ROI_MASK_HEAD.CONV_DIM"), c.getString("MODEL.ROI_MASK_HEAD.NORM"),
                c.getDoubleList("MODEL.ROI_BOX_HEAD.BBOX_REG_WEIGHTS").stream().mapToDouble(Double::doubleValue).toArray(),
                c.getDouble("MODEL.ROI_HEADS.SCORE_THRESH_TEST"), c.getDouble("MODEL.ROI_HEADS.NMS_THRESH_TEST"),
                c.getInt("TEST.DETECTIONS_PER_IMAGE"));
        int fpn = c.getInt("MODEL.FPN.OUT_CHANNELS");
        SemSegConfig semantic = semantic(c, fpn);
        String arch = c.getString("MODEL.META_ARCHITECTURE");
        if (!arch.equals("GeneralizedRCNN_Simplified")) {
            SegConfig.Heads heads = arch.equals("PanopticFPN") ? SegConfig.Heads.PANOPTIC : SegConfig.Heads.INSTANCE;
            return new SegConfig(resnet, fpn, c.getString("MODEL.FPN.NORM"), heads, rpn, roi, semantic, false, 0,
                    InputSizes.pixels(c));
        }
        SegConfig.Heads heads = !c.getBool("CYCLE.MASKRCNN_ON") ? SegConfig.Heads.NONE
                : switch (SegGuide.parse(c.getString("CYCLE.SEG_GUIDE_STRATEGY"))) {
                    case ISG -> SegConfig.Heads.INSTANCE;
                    case SSG -> SegConfig.Heads.SEMANTIC;
                    case NONE -> SegConfig.Heads.NONE;
                };
        if (c.getInt("MODEL.GBA.NUM_FILTER_FPN") != fpn) {
            throw new IllegalArgumentException("MODEL.GBA.NUM_FILTER_FPN (" + c.getInt("MODEL.GBA.NUM_FILTER_FPN")
                    + ") must equal MODEL.FPN.OUT_CHANNELS (" + fpn + ")");
        }
        return new SegConfig(resnet, fpn, c.getString("MODEL.FPN.NORM"), heads, rpn, roi, semantic, true,
                c.getInt("MODEL.GBA.NUM_FILTER"), InputSizes.pixels(c));
    }

    private static SemSegConfig semantic(Config c, int fpnChannels) {
        String k = "MODEL.SEM_SEG_HEAD.";
        try {
            return new SemSegConfig(c.getStringList(k + "IN_FEATURES"), fpnChannels, c.getInt(k + "CONVS_DIM"),
                    c.getInt(k + "NUM_CLASSES"), c.getInt(k + "COMMON_STRIDE"), c.getString(k + "NORM"),
                    c.getDouble(k + "LOSS_WEIGHT"), c.getInt(k + "IGNORE_VALUE"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MODEL.SEM_SEG_HEAD: " + e.getMessage());
        }
    }

    private static int orDefault(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
