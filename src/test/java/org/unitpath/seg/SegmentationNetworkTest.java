package org.unitpath.seg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.unitpath.data.Targets;
import org.unitpath.eval.NucleusMetrics;
import org.unitpath.masks.Distribution;
import org.unitpath.masks.MaskCanvas;
import org.unitpath.masks.MaskConfig;
import org.unitpath.masks.MaskGenerator;
import org.unitpath.optim.Adam;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;
import org.unitpath.train.Batches;

/** S end to end: Detectron2 names, losses in 'both' mode, and over-fitting four synthetic images. */
class SegmentationNetworkTest {
    private static final int SIZE = 128;
    private static final List<int[]> MAPS = new ArrayList<>();
    private static final List<GtInstances> GT = new ArrayList<>();
    private static Tensor images;

    /** Four 128x128 mask images with known nuclei, from the mask generator. */
    @BeforeAll
    static void data() {
        Torch.seed(0);
        MaskGenerator gen = new MaskGenerator(MaskConfig.defaults().withCanvas(SIZE, SIZE).withDistribution(Distribution.RANDOM), 3);
        List<float[]> chw = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            MaskCanvas c = gen.generate(i);
            byte[] rgb = c.multichannel(0, 0, SIZE);
            float[] x = new float[3 * SIZE * SIZE];
            for (int p = 0; p < SIZE * SIZE; p++) {
                for (int ch = 0; ch < 3; ch++) {
                    x[ch * SIZE * SIZE + p] = ((rgb[3 * p + ch] & 0xff) - 127.5f) / 127.5f;
                }
            }
            chw.add(x);
            MAPS.add(c.labels().clone());
            GT.add(MemoryScopeKeep.keep(Batches.groundTruth(Targets.instances(c.labels().clone(), SIZE), SIZE, Device.CPU)));
        }
        images = MemoryScope.keep(Batches.images(chw, SIZE, Device.CPU));
    }

    /** Keeps ground-truth tensors alive across test scopes. */
    static final class MemoryScopeKeep {
        static GtInstances keep(GtInstances g) {
            return new GtInstances(MemoryScope.keep(g.boxes()), MemoryScope.keep(g.classes()), MemoryScope.keep(g.masks()));
        }
    }

    private static SegConfig narrow() {
        SegConfig c = SegConfig.release().narrowed(2);
        return new SegConfig(c.resnet(), c.fpnChannels(), c.fpnNorm(), c.heads(), c.rpn(), c.roi().withSampling(64, 0.25),
                c.semantic(), true, c.cycleFilters());
    }

    @Test
    void parameterNamesFollowDetectron2AndTheRelease() {
        Map<String, Tensor> sd = new SegmentationNetwork(SegConfig.release()).stateDict();
        for (String k : List.of("backbone.bottom_up.stem.conv1.weight", "backbone.bottom_up.res5.2.conv3.norm.bias",
                "backbone.fpn_lateral2.norm.weight", "backbone.fpn_output5.weight",
                "proposal_generator.rpn_head.conv.weight", "proposal_generator.rpn_head.objectness_logits.bias",
                "proposal_generator.rpn_head.anchor_deltas.weight", "roi_heads.box_head.fc1.weight",
                "roi_heads.box_head.fc2.bias", "roi_heads.box_predictor.cls_score.weight",
                "roi_heads.box_predictor.bbox_pred.weight", "roi_heads.mask_head.mask_fcn1.weight",
                "roi_heads.mask_head.mask_fcn4.norm.weight", "roi_heads.mask_head.deconv.weight",
                "roi_heads.mask_head.predictor.bias", "smooth1.0.weight", "smooth2.0.bias", "final.weight")) {
            assertTrue(sd.containsKey(k), "missing " + k);
        }
        assertEquals(2, sd.get("roi_heads.box_predictor.cls_score.weight").size(0), "one class plus background");
        assertEquals(4, sd.get("roi_heads.box_predictor.bbox_pred.weight").size(0), "class-specific deltas");
        assertEquals(12, sd.get("proposal_generator.rpn_head.anchor_deltas.weight").size(0), "3 anchors x 4");
        assertEquals(1, sd.get("roi_heads.mask_head.predictor.weight").size(0));
    }

    @Test
    void bothModeGivesTheCycleImageAndFiniteLossesFromOnePass() {
        Torch.seed(1);
        SegmentationNetwork s = new SegmentationNetwork(narrow());
        try (MemoryScope scope = MemoryScope.open()) {
            SegmentationNetwork.Both out = s.both(images, GT, null);
            assertEquals(List.of(4L, 3L, (long) SIZE, (long) SIZE), List.of(out.cycle().size(0), out.cycle().size(1),
                    out.cycle().size(2), out.cycle().size(3)));
            assertEquals(List.of("loss_rpn_cls", "loss_rpn_loc", "loss_cls", "loss_box_reg", "loss_mask"),
                    List.copyOf(out.losses().keySet()));
            Tensor total = out.cycle().abs().mean();
            for (Tensor l : out.losses().values()) {
                assertTrue(Double.isFinite(l.item_double()));
                total = total.add(l);
            }
            total.backward();
            long reached = s.namedParameters().values().stream().filter(p -> p.grad().defined()).count();
            assertEquals(s.namedParameters().size(), reached, "every parameter receives a gradient");
        }
    }

    @Test
    void overfitsFourSyntheticImagesAndTiledInferenceAgreesWithWholeImage() {
        Torch.seed(2);
        SegmentationNetwork s = new SegmentationNetwork(narrow());
        Adam opt = Adam.of(s.parameters(), 1e-3, 0.9, 0.999);
        for (int it = 0; it < 60; it++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor total = null;
                for (Tensor l : s.losses(images, GT, null).values()) {
                    total = total == null ? l : total.add(l);
                }
                opt.zeroGrad();
                total.backward();
                opt.step();
            }
        }
        s.eval();
        double mean = 0;
        try (MemoryScope scope = MemoryScope.open()) {
            List<Instances> det = s.detect(images);
            for (int i = 0; i < 4; i++) {
                mean += NucleusMetrics.aji(SIZE, SIZE, MAPS.get(i), labels(det.get(i), 0.5)) / 4;
            }
        }
        assertTrue(mean > 0.6, "mean AJI on the training images " + mean);

        try (MemoryScope scope = MemoryScope.open()) {
            Tensor top = torch.cat(new TensorVector(images.narrow(0, 0, 1), images.narrow(0, 1, 1)), 3);
            Tensor bottom = torch.cat(new TensorVector(images.narrow(0, 2, 1), images.narrow(0, 3, 1)), 3);
            Tensor mosaic = torch.cat(new TensorVector(top, bottom), 2);
            Instances whole = s.detect(mosaic).get(0);
            TiledInference tiled = new TiledInference(t -> s.detect(t).get(0), 160, 64);
            List<ImageInstance> parts = tiled.detect(TileSource.of(mosaic.select(0, 0)));
            float[] wb = Tensors.toFloats(whole.boxes());
            float[] ws = Tensors.toFloats(whole.scores());
            int compared = 0;
            for (int k = 0; k < whole.size(); k++) {
                if (ws[k] < 0.5 || nearBorder(wb, k, tiled.layout(256, 256))) {
                    continue;
                }
                compared++;
                double best = 0;
                for (ImageInstance p : parts) {
                    best = Math.max(best, iou(wb[4 * k], wb[4 * k + 1], wb[4 * k + 2], wb[4 * k + 3], p.x0(), p.y0(), p.x1(), p.y1()));
                }
                assertTrue(best > 0.7, "instance " + k + " away from tile borders is found by tiled inference (IoU " + best + ")");
            }
            assertTrue(compared > 10, "enough instances compared: " + compared);
            for (int i = 0; i < parts.size(); i++) {
                for (int j = i + 1; j < parts.size(); j++) {
                    ImageInstance a = parts.get(i);
                    ImageInstance b = parts.get(j);
                    if (a.score() >= 0.5 && b.score() >= 0.5) {
                        assertTrue(iou(a.x0(), a.y0(), a.x1(), a.y1(), b.x0(), b.y0(), b.x1(), b.y1()) < 0.7,
                                "no duplicate detections across tile borders");
                    }
                }
            }
        }
    }

    /** Whether instance k's centre lies within 24 px of a boundary between tile cores (where ownership changes). */
    private static boolean nearBorder(float[] b, int k, List<TiledInference.Tile> tiles) {
        double cx = (b[4 * k] + b[4 * k + 2]) / 2;
        double cy = (b[4 * k + 1] + b[4 * k + 3]) / 2;
        for (TiledInference.Tile t : tiles) {
            for (double edge : new double[] {t.coreX0(), t.coreX1()}) {
                if (edge > 0 && edge < 256 && Math.abs(cx - edge) < 24) {
                    return true;
                }
            }
            for (double edge : new double[] {t.coreY0(), t.coreY1()}) {
                if (edge > 0 && edge < 256 && Math.abs(cy - edge) < 24) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] labels(Instances d, double minScore) {
        int n = (int) (d.imageHeight() * d.imageWidth());
        int[] out = new int[n];
        float[] m = Tensors.toFloats(d.masks());
        float[] sc = Tensors.toFloats(d.scores());
        int id = 0;
        for (int k = 0; k < d.size(); k++) {
            if (sc[k] < minScore) {
                continue;
            }
            id++;
            for (int p = 0; p < n; p++) {
                if (m[k * n + p] > 0 && out[p] == 0) {
                    out[p] = id;
                }
            }
        }
        return out;
    }

    private static double iou(double ax0, double ay0, double ax1, double ay1, double bx0, double by0, double bx1, double by1) {
        double iw = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
        double ih = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
        double inter = iw * ih;
        return inter / ((ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter);
    }
}
