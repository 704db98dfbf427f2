package org.unitpath.seg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;

/**
 * S, the release's GeneralizedRCNN_Simplified with Detectron2 names: {@code backbone.*} (ResNet
 * + FPN), {@code proposal_generator.*}, {@code roi_heads.*}, {@code sem_seg_head.*} and the cycle
 * head {@code smooth1.*}, {@code smooth2.*}, {@code final.*}. Images are N x 3 x H x W in [-1, 1]
 * ((v - 127.5) / 127.5); S renormalises them to its config's pixel mean and std. Modes: 'cycle' (mask image), 'mrcnn' (detector losses), 'both'
 * (one backbone pass for the two), and inference.
 */
public final class SegmentationNetwork extends Module {
    public final SegConfig config;
    private final Fpn backbone;
    private final Rpn rpn;
    private final RoiHeads roiHeads;
    private final SemSegFpnHead semantic;
    private final CycleDecoder decoder;

    /** The cycle image and the detector losses of one 'both' pass. */
    public record Both(Tensor cycle, Map<String, Tensor> losses) {}

    public SegmentationNetwork(SegConfig config) {
        this.config = config;
        backbone = child("backbone", new Fpn(new ResNet(config.resnet()), ResNetConfig.ALL_STAGES, config.fpnChannels(),
                config.fpnNorm()));
        rpn = config.instanceHeads() ? child("proposal_generator", new Rpn(config.rpn(), config.fpnChannels())) : null;
        roiHeads = config.instanceHeads() ? child("roi_heads", new RoiHeads(config.roi(), config.fpnChannels())) : null;
        semantic = config.semanticHead() ? child("sem_seg_head", new SemSegFpnHead(config.semantic())) : null;
        if (config.cycleHead()) {
            decoder = new CycleDecoder(config.fpnChannels(), config.cycleFilters(), 3);
            // the release keeps smooth1/smooth2/final at the top level of S; the decoder has no train/eval state
            decoder.children().forEach(this::child);
        } else {
            decoder = null;
        }
    }

    public Fpn backbone() {
        return backbone;
    }

    /** The mask image S translates {@code images} into (no output activation). */
    public Tensor cycle(Tensor images) {
        return requireDecoder().forward(backbone.forward(config.pixels().apply(images)));
    }

    /** Detector losses (loss_rpn_cls, loss_rpn_loc, loss_cls, loss_box_reg, loss_mask, loss_sem_seg as configured). */
    public Map<String, Tensor> losses(Tensor images, List<GtInstances> gt, Tensor semanticTargets) {
        return losses(images, backbone.forward(config.pixels().apply(images)), gt, semanticTargets);
    }

    /** 'both': one backbone pass gives the cycle image and the detector losses. */
    public Both both(Tensor images, List<GtInstances> gt, Tensor semanticTargets) {
        Map<String, Tensor> features = backbone.forward(config.pixels().apply(images));
        return new Both(requireDecoder().forward(features), losses(images, features, gt, semanticTargets));
    }

    private Map<String, Tensor> losses(Tensor images, Map<String, Tensor> features, List<GtInstances> gt, Tensor semanticTargets) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (config.instanceHeads()) {
            if (gt == null || gt.size() != images.size(0)) {
                throw new IllegalArgumentException("Mask R-CNN losses need ground truth for each of the " + images.size(0) + " images");
            }
            Rpn.Output proposals = rpn.forward(levels(features, true), images.size(2), images.size(3), gt);
            out.putAll(proposals.losses());
            out.putAll(roiHeads.losses(levels(features, false), proposals.proposals(), gt));
        }
        if (config.semanticHead()) {
            if (semanticTargets == null) {
                throw new IllegalArgumentException("the semantic head needs a target map per image");
            }
            out.put("loss_sem_seg", semantic.loss(features, semanticTargets));
        }
        return out;
    }

    /**
     * Instances of each image at its own size. The batch is padded to a multiple of 32 (zeros in
     * the normalised space, as Detectron2's ImageList) and results are clipped back.
     */
    public List<Instances> detect(Tensor images) {
        if (!config.instanceHeads()) {
            throw new IllegalStateException("S was built without Mask R-CNN heads");
        }
        long h = images.size(2);
        long w = images.size(3);
        try (NoGrad ng = NoGrad.enter()) {
            Tensor padded = padTo32(config.pixels().apply(images));
            Map<String, Tensor> features = backbone.forward(padded);
            Rpn.Output proposals = rpn.forward(levels(features, true), h, w, null);
            return roiHeads.inference(levels(features, false), proposals.proposals(), h, w);
        }
    }

    /** Semantic logits N x C x H x W (SSG / Panoptic). */
    public Tensor semanticLogits(Tensor images) {
        if (semantic == null) {
            throw new IllegalStateException("S was built without a semantic head");
        }
        return semantic.forward(backbone.forward(config.pixels().apply(images)));
    }

    static Tensor padTo32(Tensor images) {
        long h = images.size(2);
        long w = images.size(3);
        long ph = (32 - h % 32) % 32;
        long pw = (32 - w % 32) % 32;
        if (ph == 0 && pw == 0) {
            return images;
        }
        return org.bytedeco.pytorch.global.torch.constant_pad_nd(images, new long[] {0, pw, 0, ph}, F.scalar(0.0));
    }

    private static List<Tensor> levels(Map<String, Tensor> features, boolean withP6) {
        List<Tensor> out = new ArrayList<>();
        for (String k : withP6 ? List.of("p2", "p3", "p4", "p5", "p6") : List.of("p2", "p3", "p4", "p5")) {
            out.add(features.get(k));
        }
        return out;
    }

    private CycleDecoder requireDecoder() {
        if (decoder == null) {
            throw new IllegalStateException("S was built without the cycle head");
        }
        return decoder;
    }
}
