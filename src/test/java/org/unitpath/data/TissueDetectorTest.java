package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.io.slide.Slide;
import org.unitpath.io.slide.Slides;
import org.unitpath.io.TiledTiffWriter;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.io.TiledTiffWriter.Page;
import org.unitpath.testing.TestImages;

class TissueDetectorTest {
    @TempDir
    Path dir;

    private TissueDetector detect(RgbImage img) throws IOException {
        Path file = dir.resolve("img" + System.nanoTime() + ".png");
        Png.write(file, img);
        try (Slide s = Slides.open(file)) {
            return TissueDetector.detect(s);
        }
    }

    @Test
    void whiteGlassAroundRealTissueIsBackground() throws IOException {
        RgbImage padded = TestImages.onWhite(TestImages.ihc(dir), 1024, 1024, 256, 256);
        TissueDetector d = detect(padded);
        for (int cy = 0; cy < 4; cy++) {
            for (int cx = 0; cx < 4; cx++) {
                double f = d.fraction(cx * 256, cy * 256, 256, 256);
                boolean inside = cx >= 1 && cx <= 2 && cy >= 1 && cy <= 2;
                assertTrue(inside ? f > 0.75 : f == 0, "cell " + cx + "," + cy + ": " + f + " (threshold " + d.threshold() + ")");
            }
        }
    }

    @Test
    void anAllTissueImageIsTissueEverywhere() throws IOException {
        TissueDetector d = detect(TestImages.ihc(dir));
        for (int c = 0; c < 4; c++) {
            double f = d.fraction(c % 2 * 256, c / 2 * 256, 256, 256);
            assertTrue(f > 0.75, "quadrant " + c + ": " + f + " (threshold " + d.threshold() + ")");
        }
    }

    @Test
    void glassDustAndPenInkAreNotTissue() throws IOException {
        RgbImage img = TestImages.onWhite(RgbImage.blank(60, 300), 600, 400, 100, 50);
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < img.rgb().length; i++) {
            if ((img.rgb()[i] & 0xff) == 255) {
                img.rgb()[i] = (byte) (236 + r.nextInt(12));
            }
        }
        TissueDetector d = detect(img);
        assertTrue(d.tissueFraction() < 0.001, "tissue " + d.tissueFraction() + " threshold " + d.threshold());
        assertEquals(0, d.fraction(100, 50, 60, 300), "black marker stroke");
    }

    @Test
    void otsuThresholdAndItsOneModeFallbacks() {
        long[] both = new long[256];
        long[] tissue = new long[256];
        long[] glass = new long[256];
        for (int s = 0; s < 256; s++) {
            both[s] = s < 10 ? 1000 : s > 40 && s < 160 ? 300 : 0;
            tissue[s] = s > 30 && s < 180 ? 100 : 0;
            glass[s] = s < 14 ? 100 : 0;
        }
        int t = TissueDetector.threshold(both);
        assertTrue(t >= TissueDetector.MIN_THRESHOLD && t <= TissueDetector.MAX_THRESHOLD, "bimodal " + t);
        assertEquals(TissueDetector.MIN_THRESHOLD, TissueDetector.threshold(tissue), "no glass: keep pale tissue");
        assertEquals(TissueDetector.MAX_THRESHOLD, TissueDetector.threshold(glass), "no tissue: ignore tinted glass");
        assertEquals(TissueDetector.MAX_THRESHOLD, TissueDetector.threshold(new long[256]), "empty histogram");
        assertTrue(TissueDetector.isTissue(100, 200, 20));
        assertTrue(TissueDetector.isTissue(5, 120, 20), "grey tissue darker than glass");
        assertTrue(!TissueDetector.isTissue(200, 30, 20), "near-black ink");
        assertTrue(!TissueDetector.isTissue(10, 235, 20), "glass");
    }

    @Test
    void usesTheCoarsePyramidLevel() throws IOException {
        // level 0 (38400 x 25600) is all blank, written as one shared tile; only the 1/64 level shows tissue
        Path file = dir.resolve("pyr.tif");
        try (TiledTiffWriter w = TiledTiffWriter.create(file, Options.rgb(Compression.DEFLATE))) {
            w.startPage(new Page(64 * 600, 64 * 400, OptionalDouble.of(0.25), ""));
            w.endPage();
            w.startPage(Page.of(600, 400));
            w.writeTile(0, 0, TestImages.onWhite(TestImages.ihc(dir).crop(0, 0, 8, 8), 256, 256, 0, 0));
            w.finish();
        }
        try (Slide s = Slides.open(file)) {
            TissueDetector d = TissueDetector.detect(s);
            assertEquals(64, d.resolution(), 1e-9);
            assertTrue(d.fraction(0, 0, 512, 512) > 0.9, "tissue seen at 1/64");
            assertEquals(0, d.fraction(1024, 1024, 256, 256));
        }
    }
}
