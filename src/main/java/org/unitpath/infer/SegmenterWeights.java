package org.unitpath.infer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.seg.Instances;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.WeightNames;
import org.unitpath.torch.Device;
import org.unitpath.torch.LoadReport;
import org.unitpath.torch.pt.PtFile;

/**
 * Builds S for inference from a weights file: the backbone and Mask R-CNN heads of
 * {@code config} must all be in the file with the right shapes. Heads that inference does not
 * use (the cycle decoder of pretraining, the semantic head of Panoptic FPN) and buffers some
 * Detectron2 versions save are skipped; anything else extra or missing is refused, naming it.
 */
public final class SegmenterWeights {
    private static final List<String> UNUSED_PREFIXES = List.of("smooth1.", "smooth2.", "final.", "sem_seg_head.",
            "pixel_mean", "pixel_std", "proposal_generator.anchor_generator.");

    private SegmenterWeights() {}

    /**
     * S with {@code config}'s backbone and instance heads, scoring threshold and detection cap
     * set for inference, weights from {@code file}, in eval mode on {@code device}.
     */
    public static SegmentationNetwork load(Path file, SegConfig config, double scoreThreshold, int maxDetections, Device device)
            throws IOException {
        if (!config.instanceHeads()) {
            throw new IllegalArgumentException("the config builds S without Mask R-CNN heads (heads " + config.heads()
                    + "); nucleus instance segmentation needs them (CYCLE.SEG_GUIDE_STRATEGY ISG)");
        }
        SegConfig inference = new SegConfig(config.resnet(), config.fpnChannels(), config.fpnNorm(), SegConfig.Heads.INSTANCE,
                config.rpn(), config.roi().withInference(scoreThreshold, config.roi().nmsThreshold(), maxDetections),
                config.semantic(), false, config.cycleFilters(), config.pixels());
        Map<String, Tensor> sd = PtFile.readStateDict(file);
        if (WeightNames.detect(sd) == WeightNames.Naming.TORCHVISION) {
            throw new IllegalArgumentException(file + ": holds a torchvision-named ResNet trunk only (like backbone_torchvision.pt); "
                    + "segmentation needs all of S with its detection heads (S.pt)");
        }
        Map<String, Tensor> used = new LinkedHashMap<>();
        sd.forEach((k, v) -> {
            if (UNUSED_PREFIXES.stream().noneMatch(k::startsWith)) {
                used.put(k, v);
            }
        });
        SegmentationNetwork s = new SegmentationNetwork(inference);
        LoadReport report = s.loadStateDict(used, false);
        if (!report.isClean()) {
            throw new IllegalArgumentException(file + ": weights do not fit S as configured (" + report.describe()
                    + "); pass the --config the weights were trained with");
        }
        s.to(device);
        s.eval();
        return s;
    }

    /** The detector {@link SlideSegmenter} takes: one tile to its instances, computed on S's device. */
    public static Function<Tensor, Instances> detector(SegmentationNetwork s, Device device) {
        return tile -> s.detect(tile.to(device.toNative(), ScalarType.Float)).get(0);
    }
}
