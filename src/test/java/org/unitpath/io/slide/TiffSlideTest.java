package org.unitpath.io.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.io.TiledTiffWriter.PixelType;
import org.unitpath.io.HandMadeTiff;
import org.unitpath.io.RgbImage;
import org.unitpath.testing.TestImages;

/** TIFF variants written here: JPEG tiles, the JDK's writer, Aperio-style extra pages, SubIFD pyramids. */
class TiffSlideTest {
    @TempDir
    Path dir;

    @Test
    void jpegTiledTiffDecodesWithinJpegError() throws IOException {
        RgbImage ihc = TestImages.ihc(dir);
        Path file = dir.resolve("jpeg.tif");
        TestImages.writeTiff(file, new Options(128, PixelType.RGB8, Compression.JPEG, false, 0.95f),
                OptionalDouble.of(0.25), "", ihc);
        try (Slide s = Slides.open(file)) {
            RgbImage all = s.read(0, 0, 0, 512, 512);
            assertTrue(TestImages.meanDiff(ihc, all) < 3, "mean error " + TestImages.meanDiff(ihc, all));
            TestImages.assertSame(all.crop(100, 90, 200, 100), s.read(0, 100, 90, 200, 100), "region across JPEG tiles");
            TestImages.assertSame(SlidesTest.expected(all, 1, 2, 511, 510, 2), s.read(0, 1, 2, 511, 510, 2), "subsampled JPEG");
        }
    }

    @Test
    void jdkWrittenTiffsWithJpegTablesAndLzwStrips() throws IOException {
        RgbImage ihc = TestImages.ihc(dir);
        Path jpeg = jdkTiff(ihc, "JPEG", true);
        try (Slide s = Slides.open(jpeg)) {
            double err = TestImages.meanDiff(ihc, s.read(0, 0, 0, 512, 512));
            assertTrue(err < 4, "abbreviated JPEG tiles + JPEGTables, mean error " + err);
        }
        Path lzw = jdkTiff(ihc, "LZW", false);
        try (Slide s = Slides.open(lzw)) {
            TestImages.assertSame(ihc, s.read(0, 0, 0, 512, 512), "LZW strips");
            TestImages.assertSame(ihc.crop(30, 300, 100, 100), s.read(0, 30, 300, 100, 100), "LZW strip region");
        }
    }

    private Path jdkTiff(RgbImage img, String compression, boolean tiled) throws IOException {
        Path file = dir.resolve(compression + (tiled ? "-tiled" : "-strips") + ".tif");
        ImageWriter w = jdkTiffWriter();
        ImageWriteParam p = w.getDefaultWriteParam();
        if (tiled) {
            p.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
            p.setTiling(128, 128, 0, 0);
        }
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionType(compression);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            w.setOutput(out);
            w.write(null, new IIOImage(TestImages.toBuffered(img), null, null), p);
        } finally {
            w.dispose();
        }
        return file;
    }

    private static ImageWriter jdkTiffWriter() {
        for (var it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun")) {
                return w;
            }
        }
        throw new AssertionError("no JDK TIFF writer");
    }

    @Test
    void aperioStyleExtraPagesAreNotLevelsAndDescriptionMppWins() throws IOException {
        RgbImage base = TestImages.pattern(1024, 768, 13);
        RgbImage quarter = TestImages.halve(TestImages.halve(base));
        Path file = dir.resolve("slide.svs");
        ImageWriter w = jdkTiffWriter();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            w.setOutput(out);
            w.prepareWriteSequence(null);
            RgbImage[] pages = {base, quarter, quarter, TestImages.pattern(300, 300, 14)};
            boolean[] tiled = {true, false, true, true};
            for (int i = 0; i < pages.length; i++) {
                ImageWriteParam p = w.getDefaultWriteParam();
                if (tiled[i]) {
                    p.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
                    p.setTiling(128, 128, 0, 0);
                }
                w.writeToSequence(new IIOImage(TestImages.toBuffered(pages[i]), null, null), p);
            }
            w.endWriteSequence();
        } finally {
            w.dispose();
        }
        try (Slide s = Slides.open(file)) {
            assertEquals(2, s.levels(), "striped thumbnail and square label are skipped");
            assertEquals(256, s.width(1));
            TestImages.assertSame(quarter, s.read(1, 0, 0, 256, 192), "reduced level");
        }

        Path aperio = dir.resolve("aperio.tif");
        String description = "Aperio Image Library v12.0.15\r\n1024x768 (128x128) RGB|AppMag = 40|MPP = 0.2520|Left = 1";
        TestImages.writeTiff(aperio, new Options(128, PixelType.RGB8, Compression.NONE, false, 0.9f), OptionalDouble.of(0.5),
                description, base);
        try (Slide s = Slides.open(aperio)) {
            assertEquals(0.252, s.mpp().orElseThrow(), 1e-9);
        }
        Path magnificationOnly = dir.resolve("appmag.tif");
        TestImages.writeTiff(magnificationOnly, new Options(128, PixelType.RGB8, Compression.NONE, false, 0.9f),
                OptionalDouble.empty(), "Aperio Image Library v12.0.15\r\n1024x768 (128x128) RGB|AppMag = 20|Left = 1", base);
        try (Slide s = Slides.open(magnificationOnly)) {
            assertEquals(0.5, s.mpp().orElseThrow(), 1e-9, "20x without MPP: 10 / 20 µm/px");
        }
    }

    @Test
    void subIfdPyramidLevelsAreLevels() throws IOException {
        RgbImage base = TestImages.pattern(512, 512, 41);
        RgbImage sub = TestImages.halve(base);
        Path file = HandMadeTiff.tiled(dir.resolve("ome.tif"), Compression.DEFLATE, 2, base, sub);
        try (Slide s = Slides.open(file)) {
            assertEquals(2, s.levels());
            assertEquals(2.0, s.downsample(1), 1e-9);
            TestImages.assertSame(sub, s.read(1, 0, 0, 256, 256), "SubIFD level");
            TestImages.assertSame(base.crop(200, 200, 100, 100), s.read(0, 200, 200, 100, 100), "main level");
        }
    }

    @Test
    void jfifTilesAreYCbCrWhateverThePhotometricTagSays() throws IOException {
        RgbImage ihc = TestImages.ihc(dir);
        for (int photometric : new int[] {2, 6}) {
            Path file = HandMadeTiff.tiled(dir.resolve("jfif" + photometric + ".tif"), Compression.JPEG, photometric, ihc, null);
            try (Slide s = Slides.open(file)) {
                double err = TestImages.meanDiff(ihc, s.read(0, 0, 0, 512, 512));
                assertTrue(err < 3, "photometric " + photometric + ": mean error " + err);
            }
        }
    }
}
