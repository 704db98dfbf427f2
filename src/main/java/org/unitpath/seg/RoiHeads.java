package org.unitpath.seg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;

/**
 * Detectron2's StandardROIHeads with a box and a mask branch on p2..p5: proposals (plus the
 * ground-truth boxes) are matched at IoU 0.5 and sampled (512 per image, 25 % foreground); the
 * box branch gives class scores and class-specific deltas (cross-entropy + L1 on foreground,
 * normalised by the sampled count); the mask branch predicts 28x28 masks for foreground RoIs
 * (per-pixel BCE against the ground-truth masks cropped to the proposals). Inference: softmax,
 * per-class box decoding, score threshold, per-class NMS, top detections, masks.
 */
public final class RoiHeads extends Module {
    private static final double[] SCALES = {1.0 / 4, 1.0 / 8, 1.0 / 16, 1.0 / 32};
    private static final double GT_LOGIT = Math.log((1.0 - 1e-10) / (1 - (1.0 - 1e-10)));

    private final RoiHeadsConfig cfg;
    private final RoiPooler boxPooler;
    private final RoiPooler maskPooler;
    private final BoxCoder coder;
    private final Matcher matcher;
    private final BoxHead boxHead;
    private final BoxPredictor boxPredictor;
    private final MaskHead maskHead;

    public RoiHeads(RoiHeadsConfig cfg, int channels) {
        this.cfg = cfg;
        boxPooler = new RoiPooler(cfg.boxResolution(), SCALES, 0, 224, 4);
        maskPooler = new RoiPooler(cfg.maskResolution(), SCALES, 0, 224, 4);
        double[] w = cfg.boxWeights();
        coder = new BoxCoder(w[0], w[1], w[2], w[3]);
        matcher = new Matcher(new double[] {cfg.iouThreshold()}, new int[] {0, 1}, false);
        boxHead = child("box_head", new BoxHead(channels, cfg.boxResolution(), cfg.boxConvs(), cfg.boxConvDim(),
                cfg.boxFcs(), cfg.boxFcDim(), cfg.boxNorm()));
        boxPredictor = child("box_predictor", new BoxPredictor(boxHead.outputDim, cfg.numClasses()));
        maskHead = child("mask_head", new MaskHead(channels, cfg.maskConvs(), cfg.maskConvDim(), cfg.maskNorm(),
                cfg.numClasses()));
    }

    /** Box detections of one image before the mask branch runs. */
    private record Detections(Tensor boxes, Tensor scores, Tensor classes) {}

    /** Sampled RoIs of one image with their targets (gt index -1 and class K for background). */
    private record Sampled(Tensor boxes, Tensor classes, Tensor gtIndex) {}

    /** Training losses: loss_cls, loss_box_reg, loss_mask. */
    public Map<String, Tensor> losses(List<Tensor> features, List<Rpn.Proposals> proposals, List<GtInstances> gt) {
        List<Sampled> sampled = new ArrayList<>();
        try (NoGrad ng = NoGrad.enter()) {
            for (int i = 0; i < gt.size(); i++) {
                sampled.add(sample(proposals.get(i).boxes(), gt.get(i)));
            }
        }
        List<Tensor> boxes = sampled.stream().map(Sampled::boxes).toList();
        Tensor[] pred = boxPredictor.forward(boxHead.forward(boxPooler.pool(features, boxes)));
        Tensor classes = cat(sampled.stream().map(Sampled::classes).toList());
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("loss_cls", torch.cross_entropy_loss(pred[0], classes, F.opt(null), 1, -100, 0.0));
        Tensor fg = Select.where(classes.ge(F.scalar(0L)).logical_and(classes.lt(F.scalar((long) cfg.numClasses()))));
        Tensor gtBoxes = cat(targetBoxes(sampled, gt));
        Tensor proposalBoxes = cat(boxes);
        Tensor fgClasses = classes.index_select(0, fg);
        Tensor fgDeltas = pred[1].view(-1, cfg.numClasses(), 4).index_select(0, fg);
        fgDeltas = fgDeltas.gather(1, fgClasses.reshape(-1, 1, 1).expand(new long[] {-1, 1, 4}), false).reshape(-1, 4);
        Tensor targets = coder.encode(proposalBoxes.index_select(0, fg), gtBoxes.index_select(0, fg));
        out.put("loss_box_reg", fgDeltas.sub(targets).abs().sum().div(F.scalar((double) Math.max(classes.size(0), 1))));
        out.put("loss_mask", maskLoss(features, sampled, gt));
        return out;
    }

    private Sampled sample(Tensor proposalBoxes, GtInstances gt) {
        Tensor boxes = cfg.appendGt() ? torch.cat(new TensorVector(proposalBoxes, gt.boxes()), 0) : proposalBoxes;
        long bg = cfg.numClasses();
        Tensor classes;
        Tensor matched;
        if (gt.size() == 0) {
            matched = torch.full(new long[] {boxes.size(0)}, F.scalar(-1L), new TensorOptions(ScalarType.Long));
            classes = torch.full(new long[] {boxes.size(0)}, F.scalar(bg), new TensorOptions(ScalarType.Long));
        } else {
            Matcher.Result m = matcher.match(Boxes.pairwiseIou(gt.boxes(), boxes));
            matched = m.matchedIndex();
            classes = gt.classes().index_select(0, matched);
            classes = torch.where(m.label().eq(F.scalar(0L)), torch.full_like(classes, F.scalar(bg)), classes);
            classes = torch.where(m.label().eq(F.scalar(-1L)), torch.full_like(classes, F.scalar(-1L)), classes);
        }
        BalancedSampler.Result s = BalancedSampler.sample(classes, cfg.batchSizePerImage(), cfg.positiveFraction(), bg);
        Tensor idx = torch.cat(new TensorVector(s.positive(), s.negative()), 0);
        return new Sampled(boxes.index_select(0, idx), classes.index_select(0, idx), matched.index_select(0, idx));
    }

    private static List<Tensor> targetBoxes(List<Sampled> sampled, List<GtInstances> gt) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < sampled.size(); i++) {
            Sampled s = sampled.get(i);
            out.add(gt.get(i).size() == 0 ? s.boxes().mul(F.scalar(0.0))
                    : gt.get(i).boxes().index_select(0, s.gtIndex().clamp_min(F.scalar(0L))));
        }
        return out;
    }

    private Tensor maskLoss(List<Tensor> features, List<Sampled> sampled, List<GtInstances> gt) {
        List<Tensor> fgBoxes = new ArrayList<>();
        List<Tensor> targets = new ArrayList<>();
        List<Tensor> fgClasses = new ArrayList<>();
        int side = 2 * cfg.maskResolution();
        try (NoGrad ng = NoGrad.enter()) {
            for (int i = 0; i < sampled.size(); i++) {
                Sampled s = sampled.get(i);
                Tensor fg = Select.where(s.classes().ge(F.scalar(0L)).logical_and(s.classes().lt(F.scalar((long) cfg.numClasses()))));
                Tensor boxes = s.boxes().index_select(0, fg);
                fgBoxes.add(boxes);
                fgClasses.add(s.classes().index_select(0, fg));
                Tensor masks = gt.get(i).size() == 0 ? null : gt.get(i).masks().index_select(0, s.gtIndex().index_select(0, fg));
                targets.add(masks == null || boxes.size(0) == 0
                        ? torch.zeros(new long[] {0, side, side}) : MaskOps.cropAndResize(masks, boxes, side).ge(F.scalar(0.5)));
            }
        }
        long count = fgBoxes.stream().mapToLong(b -> b.size(0)).sum();
        Tensor logits = maskHead.forward(maskPooler.pool(features, fgBoxes));
        if (count == 0) {
            return logits.sum().mul(F.scalar(0.0));
        }
        Tensor cls = cat(fgClasses);
        logits = logits.gather(1, cls.reshape(-1, 1, 1, 1).expand(new long[] {-1, 1, side, side}), false).reshape(-1, side, side);
        return torch.binary_cross_entropy_with_logits(logits, cat(targets).to(ScalarType.Float), F.opt(null), F.opt(null), 1);
    }

    /** Detections of one image (boxes clipped, by decreasing score) with masks pasted at image resolution. */
    public List<Instances> inference(List<Tensor> features, List<Rpn.Proposals> proposals, long height, long width) {
        List<Tensor> boxes = proposals.stream().map(Rpn.Proposals::boxes).toList();
        Tensor[] pred = boxPredictor.forward(boxHead.forward(boxPooler.pool(features, boxes)));
        Tensor probs = torch.softmax(pred[0], -1, new org.bytedeco.pytorch.ScalarTypeOptional());
        Tensor decoded = coder.decode(pred[1], cat(boxes));
        List<Detections> out = new ArrayList<>();
        long offset = 0;
        int k = cfg.numClasses();
        for (Tensor b : boxes) {
            long r = b.size(0);
            Tensor scores = probs.narrow(0, offset, r).narrow(1, 0, k);
            Tensor perClass = Boxes.clip(decoded.narrow(0, offset, r).reshape(-1, 4), height, width).reshape(r, k, 4);
            offset += r;
            Tensor keepMask = scores.gt(F.scalar(cfg.scoreThreshold()));
            Tensor idx = torch.nonzero(keepMask);
            Tensor rows = idx.select(1, 0);
            Tensor cls = idx.select(1, 1);
            Tensor flat = rows.mul(F.scalar((long) k)).add(cls);
            Tensor detBoxes = perClass.reshape(-1, 4).index_select(0, flat);
            Tensor detScores = scores.reshape(-1).index_select(0, flat);
            Tensor keep = Select.first(Nms.batchedNms(detBoxes, detScores, cls, cfg.nmsThreshold()), cfg.detectionsPerImage());
            detBoxes = detBoxes.index_select(0, keep);
            out.add(new Detections(detBoxes, detScores.index_select(0, keep), cls.index_select(0, keep)));
        }
        return withMasks(features, out, height, width);
    }

    private List<Instances> withMasks(List<Tensor> features, List<Detections> dets, long height, long width) {
        Tensor logits = maskHead.forward(maskPooler.pool(features, dets.stream().map(Detections::boxes).toList()));
        List<Instances> out = new ArrayList<>();
        long offset = 0;
        int side = 2 * cfg.maskResolution();
        for (Detections d : dets) {
            long r = d.boxes().size(0);
            Tensor l = logits.narrow(0, offset, r);
            offset += r;
            Tensor own = l.gather(1, d.classes().reshape(-1, 1, 1, 1).expand(new long[] {-1, 1, side, side}), false)
                    .reshape(-1, side, side);
            Tensor masks = MaskOps.paste(torch.sigmoid(own), d.boxes(), height, width, 0.5);
            out.add(new Instances(d.boxes(), d.scores(), d.classes(), masks));
        }
        return out;
    }

    private static Tensor cat(List<Tensor> parts) {
        return torch.cat(new TensorVector(parts.toArray(new Tensor[0])), 0);
    }
}
