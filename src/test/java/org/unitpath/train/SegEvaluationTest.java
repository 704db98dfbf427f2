package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.data.CycleDataset;
import org.unitpath.io.RgbImage;
import org.unitpath.seg.ImageInstance;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.TiledInference;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * Whole-image evaluation as Detectron2 does it: an image whose sides are not multiples of 32 is
 * padded with zeros of S's normalised space (the pixel mean), and detections are clipped to the
 * image itself, not to the padded input.
 */
class SegEvaluationTest {
    @Test
    void wholeImagesArePaddedWithTheMeanAndDetectionsClippedToTheImage() {
        Torch.seed(5);
        SegConfig narrow = SegConfig.release().narrowed(2);
        SegConfig config = narrow.withHeads(SegConfig.Heads.INSTANCE);
        // every proposal kept, so that boxes reaching into the padding are among the detections
        config = new SegConfig(config.resnet(), config.fpnChannels(), config.fpnNorm(), config.heads(), config.rpn(),
                config.roi().withInference(0.0, 0.5, 200), config.semantic(), false, 0);
        SegmentationNetwork s = new SegmentationNetwork(config);
        s.eval();
        int w = 50;
        int h = 37;
        byte[] rgb = new byte[3 * w * h];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = (byte) (100 + rng.nextInt(120));
        }
        RgbImage image = new RgbImage(w, h, rgb);
        List<ImageInstance> evaluated = SegEvaluation.segment(s, image, Device.CPU);
        List<ImageInstance> detectron2;
        try (MemoryScope scope = MemoryScope.open()) {
            // S.detect pads its input to 64 x 64 with zeros and clips to 50 x 37, as ImageList and detector_postprocess
            detectron2 = TiledInference.instancesOf(s.detect(Tensors.of(CycleDataset.normalised(image), 1, 3, h, w)
                    .to(ScalarType.Float)).get(0));
        }
        assertTrue(evaluated.size() > 10, "detections to compare: " + evaluated.size());
        assertEquals(detectron2.size(), evaluated.size());
        for (int i = 0; i < evaluated.size(); i++) {
            ImageInstance a = evaluated.get(i);
            ImageInstance b = detectron2.get(i);
            assertEquals(b.score(), a.score(), 1e-6, "detection " + i);
            assertEquals(List.of(b.x0(), b.y0(), b.x1(), b.y1()), List.of(a.x0(), a.y0(), a.x1(), a.y1()), "detection " + i);
            assertTrue(a.x1() <= w && a.y1() <= h && a.mask().x + a.mask().width <= w && a.mask().y + a.mask().height <= h,
                    "inside the image");
        }
    }
}
