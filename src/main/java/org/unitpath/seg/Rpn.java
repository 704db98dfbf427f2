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
 * Detectron2's region proposal network ({@code proposal_generator}): anchors on p2..p6, the
 * shared head, anchor labelling (IoU 0.3 / 0.7 with low-quality matches) and balanced sampling,
 * objectness BCE + L1 box losses normalised by batch-per-image x images, and proposals: per-level
 * top-k, clipping, NMS across levels, post-NMS top-k.
 */
public final class Rpn extends Module {
    /** Proposals of one image: boxes K x 4 and objectness logits K, by decreasing score. */
    public record Proposals(Tensor boxes, Tensor logits) {}

    public record Output(List<Proposals> proposals, Map<String, Tensor> losses) {}

    private final RpnConfig cfg;
    private final AnchorGenerator anchors;
    private final BoxCoder coder;
    private final Matcher matcher;
    private final RpnHead head;

    public Rpn(RpnConfig cfg, int channels) {
        this.cfg = cfg;
        double[][] sizes = new double[cfg.anchorSizes().length][];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = new double[] {cfg.anchorSizes()[i]};
        }
        anchors = new AnchorGenerator(sizes, cfg.aspectRatios(), RpnConfig.STRIDES, 0.0);
        double[] w = cfg.boxWeights();
        coder = new BoxCoder(w[0], w[1], w[2], w[3]);
        matcher = new Matcher(new double[] {cfg.iouLow(), cfg.iouHigh()}, new int[] {0, -1, 1}, true);
        head = child("rpn_head", new RpnHead(channels, anchors.anchorsPerLocation()));
    }

    /**
     * @param features p2..p6
     * @param gt       ground truth per image in training, null at inference
     */
    public Output forward(List<Tensor> features, long height, long width, List<GtInstances> gt) {
        List<long[]> shapes = new ArrayList<>();
        for (Tensor f : features) {
            shapes.add(new long[] {f.size(2), f.size(3)});
        }
        List<Tensor> levelAnchors = anchors.anchors(shapes);
        List<Tensor[]> pred = head.forward(features);
        Map<String, Tensor> losses = new LinkedHashMap<>();
        if (gt != null) {
            losses = losses(torch.cat(new TensorVector(levelAnchors.toArray(new Tensor[0])), 0), pred, gt);
        }
        List<Proposals> proposals;
        try (NoGrad ng = NoGrad.enter()) {
            proposals = proposals(levelAnchors, pred, height, width, gt != null);
        }
        return new Output(proposals, losses);
    }

    private Map<String, Tensor> losses(Tensor allAnchors, List<Tensor[]> pred, List<GtInstances> gt) {
        List<Tensor> labels = new ArrayList<>();
        List<Tensor> targets = new ArrayList<>();
        for (GtInstances g : gt) {
            Tensor label;
            Tensor matched;
            if (g.size() == 0) {
                label = torch.zeros(new long[] {allAnchors.size(0)}, new TensorOptions(ScalarType.Long));
                matched = allAnchors.mul(F.scalar(0.0));
            } else {
                Matcher.Result m = matcher.match(Boxes.pairwiseIou(g.boxes(), allAnchors));
                label = m.label();
                matched = g.boxes().index_select(0, m.matchedIndex());
            }
            BalancedSampler.Result s = BalancedSampler.sample(label, cfg.batchSizePerImage(), cfg.positiveFraction(), 0);
            Tensor sampled = label.mul(F.scalar(0L)).sub(F.scalar(1L));
            sampled.index_fill_(0, s.positive(), F.scalar(1L));
            sampled.index_fill_(0, s.negative(), F.scalar(0L));
            labels.add(sampled);
            targets.add(coder.encode(allAnchors, matched));
        }
        Tensor gtLabels = torch.stack(new TensorVector(labels.toArray(new Tensor[0])), 0);
        Tensor gtDeltas = torch.stack(new TensorVector(targets.toArray(new Tensor[0])), 0);
        Tensor logits = torch.cat(new TensorVector(pred.stream().map(p -> p[0]).toArray(Tensor[]::new)), 1);
        Tensor deltas = torch.cat(new TensorVector(pred.stream().map(p -> p[1]).toArray(Tensor[]::new)), 1);
        Tensor positive = gtLabels.eq(F.scalar(1L)).reshape(-1);
        Tensor valid = gtLabels.ge(F.scalar(0L)).reshape(-1);
        Tensor locLoss = Select.rows(deltas.reshape(-1, 4), positive).sub(Select.rows(gtDeltas.reshape(-1, 4), positive))
                .abs().sum();
        Tensor clsLoss = torch.binary_cross_entropy_with_logits(Select.rows(logits.reshape(-1), valid),
                Select.rows(gtLabels.reshape(-1), valid).to(ScalarType.Float), F.opt(null), F.opt(null), 2);
        double normalizer = cfg.batchSizePerImage() * (double) gt.size();
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("loss_rpn_cls", clsLoss.div(F.scalar(normalizer)));
        out.put("loss_rpn_loc", locLoss.div(F.scalar(normalizer)));
        return out;
    }

    private List<Proposals> proposals(List<Tensor> levelAnchors, List<Tensor[]> pred, long height, long width,
            boolean training) {
        int preTopk = training ? cfg.preNmsTopkTrain() : cfg.preNmsTopkTest();
        int postTopk = training ? cfg.postNmsTopkTrain() : cfg.postNmsTopkTest();
        long n = pred.get(0)[0].size(0);
        List<Proposals> out = new ArrayList<>();
        for (int img = 0; img < n; img++) {
            List<Tensor> boxes = new ArrayList<>();
            List<Tensor> scores = new ArrayList<>();
            List<Tensor> levels = new ArrayList<>();
            for (int l = 0; l < pred.size(); l++) {
                Tensor logits = pred.get(l)[0].select(0, img);
                long k = Math.min(preTopk, logits.size(0));
                var top = logits.topk(k, 0, true, true);
                Tensor idx = top.get1();
                Tensor decoded = coder.decode(pred.get(l)[1].select(0, img).index_select(0, idx),
                        levelAnchors.get(l).index_select(0, idx));
                boxes.add(decoded);
                scores.add(top.get0());
                levels.add(torch.full(new long[] {k}, F.scalar((long) l), new TensorOptions(ScalarType.Long)));
            }
            Tensor b = torch.cat(new TensorVector(boxes.toArray(new Tensor[0])), 0);
            Tensor s = torch.cat(new TensorVector(scores.toArray(new Tensor[0])), 0);
            Tensor lv = torch.cat(new TensorVector(levels.toArray(new Tensor[0])), 0);
            Tensor finite = torch.isfinite(b).all(1).logical_and(torch.isfinite(s));
            if (!finite.all().item_bool()) {
                if (training) {
                    throw new ArithmeticException("RPN predicted boxes or scores contain Inf/NaN: training has diverged");
                }
                b = Select.rows(b, finite);
                s = Select.rows(s, finite);
                lv = Select.rows(lv, finite);
            }
            b = Boxes.clip(b, height, width);
            Tensor keep = Boxes.nonEmpty(b, cfg.minBoxSize());
            b = Select.rows(b, keep);
            s = Select.rows(s, keep);
            lv = Select.rows(lv, keep);
            Tensor kept = Select.first(Nms.batchedNms(b, s, lv, cfg.nmsThreshold()), postTopk);
            out.add(new Proposals(Select.take(b, kept), Select.take(s, kept)));
        }
        return out;
    }
}
