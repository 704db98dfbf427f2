package org.unitpath.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.config.Config;
import org.unitpath.seg.PixelNorm;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.SemSegConfig;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** Keys that once were accepted and never read now reach the networks and data, or are refused. */
class InputSizesTest {
    private static final String IMAGENET_MEAN = "[123.675, 116.28, 103.53]";
    private static final String IMAGENET_STD = "[58.395, 57.12, 57.375]";

    private static List<String> finetuning(String... more) {
        List<String> o = new ArrayList<>(List.of("MODEL.META_ARCHITECTURE", "PanopticFPN", "INPUT.CROP.TYPE", "absolute",
                "INPUT.CROP.SIZE", "[256, 256]", "DATASETS.TRAIN_JSON", "t.json", "DATASETS.TRAIN_IMAGES", "t",
                "DATASETS.TEST_JSON", "v.json", "DATASETS.TEST_IMAGES", "v"));
        o.addAll(List.of(more));
        return o;
    }

    @Test
    void bgrFormatReversesTheChannelsBeforeTheModelOrderMeanAndStd() {
        // Detectron2's FAIR R-50-GN.pkl config: BGR input, mean and std in BGR order
        PixelNorm bgr = SettingsFromConfig.seg(Config.fromDefaults(finetuning("INPUT.FORMAT", "BGR", "MODEL.PIXEL_MEAN",
                "[103.53, 116.28, 123.675]", "MODEL.PIXEL_STD", "[57.375, 57.12, 58.395]"))).pixels();
        assertTrue(bgr.bgr());
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            // one RGB pixel (255, 127.5, 0): the network's channel 0 is blue (0), channel 2 red (255)
            float[] y = Tensors.toFloats(bgr.apply(Tensors.of(new float[] {1, 0, -1}, 1, 3, 1, 1)));
            assertEquals((0 - 103.53) / 57.375, y[0], 1e-5);
            assertEquals((127.5 - 116.28) / 57.12, y[1], 1e-5);
            assertEquals((255 - 123.675) / 58.395, y[2], 1e-5);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InputSizes.checkPretraining(Config.fromDefaults(List.of("INPUT.FORMAT", "BGR")), 256));
        assertTrue(e.getMessage().contains("INPUT.FORMAT BGR"), e.getMessage());
    }

    @Test
    void pixelMeanAndStdAreSsInputNormalisation() {
        SegConfig release = SettingsFromConfig.seg(Config.fromDefaults(finetuning()));
        assertEquals(PixelNorm.RELEASE, release.pixels());
        SegConfig imagenet = SettingsFromConfig.seg(Config.fromDefaults(finetuning("MODEL.PIXEL_MEAN", IMAGENET_MEAN,
                "MODEL.PIXEL_STD", IMAGENET_STD)));
        assertEquals(List.of(123.675, 116.28, 103.53), imagenet.pixels().mean());
        assertEquals(List.of(58.395, 57.12, 57.375), imagenet.pixels().std());
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            // v = 0, 127.5, 255 in [-1, 1] become (v - mean) / std
            Tensor x = Tensors.of(new float[] {-1, 0, 1, -1, 0, 1, -1, 0, 1}, 1, 3, 1, 3);
            float[] y = Tensors.toFloats(imagenet.pixels().apply(x));
            assertEquals((0 - 123.675) / 58.395, y[0], 1e-5);
            assertEquals((127.5 - 116.28) / 57.12, y[4], 1e-5);
            assertEquals((255 - 103.53) / 57.375, y[8], 1e-5);
            assertTrue(PixelNorm.RELEASE.apply(x) == x, "the release's values leave the tensor as it is");

            Torch.seed(3);
            SegConfig narrow = SegConfig.release().narrowed(2);
            SegConfig renormalised = new SegConfig(narrow.resnet(), narrow.fpnChannels(), narrow.fpnNorm(), narrow.heads(),
                    narrow.rpn(), narrow.roi(), narrow.semantic(), true, narrow.cycleFilters(), imagenet.pixels());
            SegmentationNetwork plain = new SegmentationNetwork(narrow);
            SegmentationNetwork s = new SegmentationNetwork(renormalised);
            s.loadStateDict(plain.stateDict(), true);
            plain.eval();
            s.eval();
            Tensor img = Tensors.randn(1, 3, 64, 64).clamp_(new org.bytedeco.pytorch.ScalarOptional(org.unitpath.torch.F.scalar(-1.0)),
                    new org.bytedeco.pytorch.ScalarOptional(org.unitpath.torch.F.scalar(1.0)));
            assertEquals(0.0, Tensors.maxAbsDiff(plain.cycle(imagenet.pixels().apply(img)), s.cycle(img)), 1e-5);
            assertTrue(Tensors.maxAbsDiff(plain.cycle(img), s.cycle(img)) > 1e-3, "S sees the configured normalisation");
        }
    }

    @Test
    void pretrainingKeepsTheReleasesPixelSpace() {
        var e = assertThrows(IllegalArgumentException.class, () -> SettingsFromConfig.resolve(Config.fromDefaults(List.of(
                "MODEL.PIXEL_MEAN", IMAGENET_MEAN, "MODEL.PIXEL_STD", IMAGENET_STD)), 2));
        assertTrue(e.getMessage().startsWith("INPUT.FORMAT RGB, MODEL.PIXEL_MEAN [123.675, 116.28, 103.53] / PIXEL_STD "
                + "[58.395, 57.12, 57.375]: pretraining runs G, S and the data in the release's [-1, 1] RGB space"), e.getMessage());
        var size = assertThrows(IllegalArgumentException.class, () -> SettingsFromConfig.resolve(Config.fromDefaults(List.of(
                "INPUT.MAX_SIZE_TRAIN", "512")), 2));
        assertEquals("INPUT.MAX_SIZE_TRAIN 512 asks for 512x512 training crops, but CYCLE.SCALES gives 256x256; set it to 256 "
                + "or 0", size.getMessage());
        assertEquals(6, SettingsFromConfig.resolve(Config.fromDefaults(List.of("INPUT.MAX_SIZE_TRAIN", "256")), 2).batchPerProcess());
    }

    @Test
    void semanticHeadKeysReachTheHead() {
        SemSegConfig sem = SettingsFromConfig.seg(Config.fromDefaults(finetuning("MODEL.SEM_SEG_HEAD.NORM", "''",
                "MODEL.SEM_SEG_HEAD.COMMON_STRIDE", "8", "MODEL.SEM_SEG_HEAD.IGNORE_VALUE", "7",
                "MODEL.SEM_SEG_HEAD.IN_FEATURES", "[p3, p4]"))).semantic();
        assertEquals("", sem.norm());
        assertEquals(8, sem.commonStride());
        assertEquals(7, sem.ignoreValue());
        assertEquals(List.of("p3", "p4"), sem.inFeatures());
        assertEquals(128, SettingsFromConfig.seg(Config.fromDefaults(finetuning())).semantic().convDims(), "the fork's default");
        var e = assertThrows(IllegalArgumentException.class, () -> SettingsFromConfig.seg(Config.fromDefaults(finetuning(
                "MODEL.SEM_SEG_HEAD.COMMON_STRIDE", "8", "MODEL.SEM_SEG_HEAD.IN_FEATURES", "[p2, p3]"))));
        assertEquals("MODEL.SEM_SEG_HEAD: input p2 (stride 4) is finer than COMMON_STRIDE 8", e.getMessage());
    }

    @Test
    void flipsFilteringAndResizesOfFinetuning() {
        SegFinetuneSettings st = SegFinetuneSettings.from(Config.fromDefaults(finetuning()));
        assertEquals(0.5, st.flipProb());
        assertTrue(st.filterEmpty(), "Detectron2's default");
        SegFinetuneSettings kumar = SegFinetuneSettings.from(Config.fromDefaults(finetuning("INPUT.RANDOM_FLIP", "none",
                "DATALOADER.FILTER_EMPTY_ANNOTATIONS", "False", "INPUT.MIN_SIZE_TRAIN", "(256,)", "INPUT.MAX_SIZE_TRAIN", "256",
                "INPUT.MIN_SIZE_TEST", "1000", "INPUT.MAX_SIZE_TEST", "1000")));
        assertEquals(0.0, kumar.flipProb());
        assertFalse(kumar.filterEmpty());
        assertEquals(1000, kumar.minSizeTest());
        var e = assertThrows(IllegalArgumentException.class, () -> SegFinetuneSettings.from(Config.fromDefaults(finetuning(
                "INPUT.MIN_SIZE_TRAIN", "(640, 800)"))));
        assertEquals("INPUT.MIN_SIZE_TRAIN [640, 800] / MAX_SIZE_TRAIN 0 would resize the 256-px training crops; unitpath trains "
                + "on crops at native resolution: set MIN_SIZE_TRAIN to [256] (as the release's Kumar recipe) or [0]", e.getMessage());
        assertNull(InputSizes.testResize(1000, 1000, 1000, 1000), "the release's Kumar test size leaves Kumar's images as they are");
        assertNull(InputSizes.testResize(700, 500, 0, 0));
        assertEquals("INPUT.MIN_SIZE_TEST 1000 / MAX_SIZE_TEST 1000 would resize a 500x400 test image to 1000x800; unitpath "
                + "evaluates images at their own size: set INPUT.MIN_SIZE_TEST 0", InputSizes.testResize(500, 400, 1000, 1000));
        assertEquals(0.0, SettingsFromConfig.resolve(Config.fromDefaults(List.of("INPUT.RANDOM_FLIP", "none")), 2).augment().flip());
    }
}
