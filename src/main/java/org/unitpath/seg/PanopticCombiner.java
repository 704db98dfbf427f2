package org.unitpath.seg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * Panoptic FPN's {@code combine_semantic_and_instance_outputs} (from panopticapi): instances
 * are painted in decreasing score order, stopping at the first below the score threshold,
 * skipping empty ones and those whose overlap with what is already painted exceeds the
 * overlap threshold (otherwise they get only the free pixels); then every semantic class
 * except 0 (the "things" class) fills the still free pixels when that leaves at least the
 * stuff area threshold. Segment ids are 1, 2, ... in painting order; 0 is unassigned.
 */
public final class PanopticCombiner {
    public final double overlapThreshold;
    public final long stuffAreaThreshold;
    public final double instanceScoreThreshold;

    /**
     * One segment of the id map: a thing (instance {@code instanceId} of the input, with its
     * score) or a stuff region (instanceId -1, score NaN). {@code area} is its painted pixels.
     */
    public record Segment(int id, boolean isThing, long categoryId, float score, int instanceId, long area) {}

    /** {@code panoptic} is the H x W int32 segment-id map. */
    public record Result(Tensor panoptic, List<Segment> segments) {}

    public PanopticCombiner(double overlapThreshold, long stuffAreaThreshold, double instanceScoreThreshold) {
        this.overlapThreshold = overlapThreshold;
        this.stuffAreaThreshold = stuffAreaThreshold;
        this.instanceScoreThreshold = instanceScoreThreshold;
    }

    /** MODEL.PANOPTIC_FPN.COMBINE defaults: overlap 0.5, stuff area 4096, instance score 0.5. */
    public static PanopticCombiner detectron2Defaults() {
        return new PanopticCombiner(0.5, 4096, 0.5);
    }

    /** {@code semantic}: H x W class ids (the argmax of the semantic logits); the instances' masks are H x W too. */
    public Result combine(Instances instances, Tensor semantic) {
        if (semantic.dim() != 2 || semantic.size(0) != instances.imageHeight() || semantic.size(1) != instances.imageWidth()) {
            throw new IllegalArgumentException("semantic map " + Arrays.toString(semantic.shape()) + " does not match the "
                    + instances.imageHeight() + " x " + instances.imageWidth() + " instance masks");
        }
        Tensor panoptic = torch.zeros(semantic.shape(), new TensorOptions(ScalarType.Int));
        List<Segment> segments = new ArrayList<>();
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor labels = semantic.to(ScalarType.Long).cpu();
            if (labels.numel() > 0 && labels.min().item_long() < 0) {
                throw new IllegalArgumentException("semantic class ids must be non-negative");
            }
            Tensor masks = instances.masks().cpu();
            paintThings(instances, masks, panoptic, segments);
            paintStuff(labels, panoptic, segments);
        }
        return new Result(panoptic, List.copyOf(segments));
    }

    private void paintThings(Instances instances, Tensor masks, Tensor panoptic, List<Segment> segments) {
        float[] scores = Tensors.toFloats(instances.scores());
        float[] classes = Tensors.toFloats(instances.classes());
        Integer[] order = new Integer[scores.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> -scores[i]));
        for (int inst : order) {
            if (scores[inst] < instanceScoreThreshold) {
                break;
            }
            try (MemoryScope s = MemoryScope.open()) {
                Tensor mask = masks.select(0, inst);
                long area = mask.sum().item_long();
                if (area == 0) {
                    continue;
                }
                Tensor free = panoptic.eq(F.scalar(0L));
                long intersect = area - mask.logical_and(free).sum().item_long();
                if ((double) intersect / area > overlapThreshold) {
                    continue;
                }
                if (intersect > 0) {
                    mask = mask.logical_and(free);
                }
                int id = segments.size() + 1;
                panoptic.masked_fill_(mask, F.scalar((long) id));
                segments.add(new Segment(id, true, (long) classes[inst], scores[inst], inst, mask.sum().item_long()));
            }
        }
    }

    private void paintStuff(Tensor labels, Tensor panoptic, List<Segment> segments) {
        Tensor counts = torch.bincount(labels.flatten(), F.opt(null), 0);
        float[] present = Tensors.toFloats(counts);
        for (int label = 1; label < present.length; label++) {
            if (present[label] == 0) {
                continue;
            }
            try (MemoryScope s = MemoryScope.open()) {
                Tensor mask = labels.eq(F.scalar((long) label)).logical_and(panoptic.eq(F.scalar(0L)));
                long area = mask.sum().item_long();
                if (area < stuffAreaThreshold) {
                    continue;
                }
                int id = segments.size() + 1;
                panoptic.masked_fill_(mask, F.scalar((long) id));
                segments.add(new Segment(id, false, label, Float.NaN, -1, area));
            }
        }
    }
}
