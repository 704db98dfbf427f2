package org.unitpath.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.data.CycleDataset;
import org.unitpath.data.NucleusImage;
import org.unitpath.eval.Evaluation;
import org.unitpath.eval.Metric;
import org.unitpath.eval.Prediction;
import org.unitpath.eval.Truth;
import org.unitpath.io.InstanceMap;
import org.unitpath.io.RgbImage;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.Rle;
import org.unitpath.seg.ImageInstance;
import org.unitpath.seg.MaskPatch;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.TiledInference;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;

/**
 * The fine-tuning evaluation (docs/method.md 6.3, 6.4): each test image segmented whole, the nucleus
 * metrics on detections with score >= the confidence threshold, COCO AP on all of them (up to
 * TEST.DETECTIONS_PER_IMAGE, the paper's maxDets).
 */
public final class SegEvaluation {
    private SegEvaluation() {}

    /** Dataset metrics by their stable keys ({@link Metric#key()}). */
    public static Map<String, Double> evaluate(SegmentationNetwork s, List<NucleusImage> test, double threshold, Device device,
            int maxDets) {
        List<Evaluation.Scored> scored = new ArrayList<>();
        for (int i = 0; i < test.size(); i++) {
            NucleusImage img = test.get(i);
            List<ImageInstance> found = segment(s, img.image(), device);
            int w = img.image().width();
            int h = img.image().height();
            List<CocoAnnotation> detections = new ArrayList<>();
            for (ImageInstance inst : found) {
                detections.add(CocoAnnotation.detection(detections.size() + 1, i + 1, (int) inst.category() + 1,
                        Rle.encode(fullMask(inst.mask(), w, h), w, h), inst.score()));
            }
            Truth truth = Truth.of(InstanceMap.relabel(w, h, img.labels()), null);
            Prediction pred = Prediction.ofDetections(w, h, detections, threshold);
            scored.add(Evaluation.score(i + 1, new Evaluation.Item(img.name(), truth, pred)));
        }
        Map<String, Double> out = new LinkedHashMap<>();
        Evaluation.report(scored, maxDets).summary().forEach((m, v) -> out.put(m.key(), v));
        return out;
    }

    /**
     * The image in one piece, as the paper tests on whole 1000 x 1000 images. As in Detectron2, S
     * pads it to a multiple of 32 with zeros of its normalised space (ImageList) and clips boxes
     * to the image itself before NMS and the mask head, not to the padded size.
     */
    static List<ImageInstance> segment(SegmentationNetwork s, RgbImage image, Device device) {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor pixels = Tensors.of(CycleDataset.normalised(image), 1, 3, image.height(), image.width())
                    .to(device.toNative(), org.bytedeco.pytorch.global.torch.ScalarType.Float);
            return TiledInference.instancesOf(s.detect(pixels).get(0));
        }
    }

    private static byte[] fullMask(MaskPatch m, int width, int height) {
        byte[] out = new byte[width * height];
        boolean[] bits = m.toArray();
        for (int row = 0; row < m.height; row++) {
            int y = m.y + row;
            for (int col = 0; col < m.width; col++) {
                int x = m.x + col;
                if (bits[row * m.width + col] && x >= 0 && y >= 0 && x < width && y < height) {
                    out[y * width + x] = 1;
                }
            }
        }
        return out;
    }

    /** "aji 0.6123, pq 0.5012, ..." for the log: the headline metrics first. */
    public static String describe(Map<String, Double> m) {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("aji", "pq", "dice", "dq", "sq", "f1", "ap", "ap50")) {
            if (m.containsKey(k)) {
                sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format(Locale.ROOT, "%.4f", m.get(k)));
            }
        }
        return sb.toString();
    }
}
