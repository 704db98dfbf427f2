package org.unitpath.io.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.HandMadeTiff;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.RgbImage;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.io.TiledTiffWriter.PixelType;
import org.unitpath.testing.TestImages;

class SlidesTest {
    @TempDir
    Path dir;

    /** The part of {@code img} under (x, y, w, h), white outside it: what Slide.read must return. */
    static RgbImage expected(RgbImage img, int x, int y, int w, int h, int step) {
        RgbImage out = RgbImage.blank((w + step - 1) / step, (h + step - 1) / step);
        java.util.Arrays.fill(out.rgb(), (byte) 255);
        for (int j = 0; j < out.height(); j++) {
            for (int i = 0; i < out.width(); i++) {
                int sx = x + i * step;
                int sy = y + j * step;
                if (sx >= 0 && sy >= 0 && sx < img.width() && sy < img.height()) {
                    for (int c = 0; c < 3; c++) {
                        out.set(i, j, c, img.get(sx, sy, c));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void pyramidLevelsSizesResolutionAndRegions() throws IOException {
        RgbImage base = TestImages.pattern(1000, 700, 11);
        RgbImage l1 = TestImages.halve(base);
        RgbImage l2 = TestImages.halve(l1);
        Path file = dir.resolve("pyr.tif");
        TestImages.writeTiff(file, Options.rgb(Compression.DEFLATE), OptionalDouble.of(0.5), "", base, l1, l2);
        try (Slide s = Slides.open(file)) {
            assertEquals(3, s.levels());
            assertEquals(List.of(1000, 500, 250), List.of(s.width(0), s.width(1), s.width(2)));
            assertEquals(List.of(700, 350, 175), List.of(s.height(0), s.height(1), s.height(2)));
            assertEquals(4.0, s.downsample(2), 1e-9);
            assertEquals(0.5, s.mpp().orElseThrow(), 1e-6);
            RgbImage[] levels = {base, l1, l2};
            int[][] regions = {{0, 200, 100, 300, 300}, {0, 255, 255, 2, 2}, {1, 240, 250, 100, 100},
                               {0, 900, 600, 200, 200}, {0, -10, -20, 30, 40}, {2, 0, 0, 250, 175}, {0, 2000, 5, 10, 10}};
            for (int[] r : regions) {
                TestImages.assertSame(expected(levels[r[0]], r[1], r[2], r[3], r[4], 1), s.read(r[0], r[1], r[2], r[3], r[4]),
                        "level " + r[0] + " region " + r[1] + "," + r[2] + " " + r[3] + "x" + r[4]);
            }
            TestImages.assertSame(expected(base, 3, 5, 997, 695, 4), s.read(0, 3, 5, 997, 695, 4), "every 4th pixel");
            TestImages.assertSame(expected(base, -7, 600, 300, 300, 3), s.read(0, -7, 600, 300, 300, 3), "sampled border");
        }
    }

    @Test
    void concurrentReadsAgreeWithTheSource() throws Exception {
        RgbImage base = TestImages.pattern(1200, 900, 12);
        Path file = dir.resolve("par.tif");
        TestImages.writeTiff(file, new Options(128, PixelType.RGB8, Compression.DEFLATE, true, 0.9f),
                OptionalDouble.empty(), "", base);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (Slide s = Slides.open(file)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                long seed = t;
                jobs.add(pool.submit(() -> {
                    Random r = new Random(seed);
                    for (int i = 0; i < 40; i++) {
                        int x = r.nextInt(1100) - 50;
                        int y = r.nextInt(800) - 50;
                        TestImages.assertSame(expected(base, x, y, 200, 150, 1), s.read(0, x, y, 200, 150), "thread read");
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void pngAndJpegAreOneLevelSlides() throws IOException {
        Path png = TestImages.ihcFile(dir, "ihc.png");
        RgbImage ihc = ImageFiles.read(png);
        try (Slide s = Slides.open(png)) {
            assertEquals(1, s.levels());
            assertEquals(512, s.width(0));
            assertTrue(s.mpp().isEmpty(), "ihc.png's pHYs says 96 dpi, a screen default, not a resolution");
            TestImages.assertSame(ihc.crop(300, 0, 212, 256), s.read(0, 300, 0, 212, 256), "band read");
            TestImages.assertSame(ihc.crop(0, 256, 256, 256), s.read(0, 0, 256, 256, 256), "next band");
            TestImages.assertSame(expected(ihc, 400, 450, 256, 256, 1), s.read(0, 400, 450, 256, 256), "over the border");
            TestImages.assertSame(expected(ihc, 1, 0, 512, 512, 8), s.read(0, 1, 0, 512, 512, 8), "subsampled");
        }
        Path jpg = dir.resolve("ihc.jpg");
        ImageIO.write(TestImages.toBuffered(ihc), "jpeg", jpg.toFile());
        try (Slide s = Slides.open(jpg)) {
            TestImages.assertSame(ImageFiles.read(jpg).crop(10, 20, 300, 200), s.read(0, 10, 20, 300, 200), "JPEG region");
            assertTrue(s.mpp().isEmpty());
        }
    }

    @Test
    void pngPhysChunkGivesTheResolution() throws IOException {
        Path png = dir.resolve("phys.png");
        BufferedImage img = TestImages.toBuffered(TestImages.pattern(64, 48, 15));
        ImageWriter w = ImageIO.getImageWritersByFormatName("png").next();
        IIOMetadata meta = w.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        IIOMetadataNode root = new IIOMetadataNode("javax_imageio_png_1.0");
        IIOMetadataNode phys = new IIOMetadataNode("pHYs");
        phys.setAttribute("pixelsPerUnitXAxis", "2000000");
        phys.setAttribute("pixelsPerUnitYAxis", "2000000");
        phys.setAttribute("unitSpecifier", "meter");
        root.appendChild(phys);
        meta.mergeTree("javax_imageio_png_1.0", root);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(png.toFile())) {
            w.setOutput(out);
            w.write(new IIOImage(img, null, meta));
        }
        try (Slide s = Slides.open(png)) {
            assertEquals(0.5, s.mpp().orElseThrow(), 1e-9);
        }
    }

    @Test
    void greyAndSixteenBitImagesBecomeEightBitRgb() throws IOException {
        BufferedImage grey = new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage wide = new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                grey.getRaster().setSample(x, y, 0, (x * 7 + y * 3) % 256);
                wide.getRaster().setSample(x, y, 0, (x * 1601 + y * 977) % 65536);
            }
        }
        Path g = dir.resolve("grey.png");
        Path w = dir.resolve("grey16.png");
        ImageIO.write(grey, "png", g.toFile());
        ImageIO.write(wide, "png", w.toFile());
        try (Slide s8 = Slides.open(g); Slide s16 = Slides.open(w)) {
            RgbImage a = s8.read(0, 0, 0, 40, 30);
            RgbImage b = s16.read(0, 3, 2, 30, 25, 2);
            for (int c = 0; c < 3; c++) {
                assertEquals((11 * 7 + 5 * 3) % 256, a.get(11, 5, c), "grey repeated in channel " + c);
                int v = ((3 + 4 * 2) * 1601 + (2 + 6 * 2) * 977) % 65536;
                assertEquals((v * 255 + 32767) / 65535, b.get(4, 6, c), "16-bit scaled as libtiff does, channel " + c);
            }
        }
    }

    @Test
    void badFilesNameThePathAndTheProblem() throws IOException {
        Path tif = dir.resolve("cut.tif");
        TestImages.writeTiff(tif, Options.rgb(Compression.DEFLATE), OptionalDouble.empty(), "", TestImages.pattern(600, 600, 16));
        byte[] all = Files.readAllBytes(tif);
        Files.write(tif, java.util.Arrays.copyOf(all, all.length / 2));
        assertProblem(tif, "truncated TIFF");

        Path text = dir.resolve("notes.tif");
        Files.writeString(text, "this is not an image\n");
        assertProblem(text, "not a readable image");

        Path empty = dir.resolve("empty.png");
        Files.write(empty, new byte[0]);
        assertProblem(empty, "empty file");

        Path png = TestImages.ihcFile(dir, "cut.png");
        byte[] bytes = Files.readAllBytes(png);
        Files.write(png, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> {
            try (Slide s = Slides.open(png)) {
                s.read(0, 0, 400, 512, 100);
            }
        });
        assertTrue(e.getMessage().startsWith(png + ": ") && e.getMessage().contains("truncated"), e.getMessage());


        Path zstd = HandMadeTiff.tiled(dir.resolve("zstd.tif"), Compression.DEFLATE, 50000, 2, TestImages.pattern(256, 256, 3), null);
        assertProblem(zstd, "Zstandard-compressed TIFF (compression 50000) is not supported");

        assertThrows(java.nio.file.NoSuchFileException.class, () -> Slides.open(dir.resolve("missing.svs")));
        assertFalse(Files.exists(dir.resolve("missing.svs")));
    }

    private static void assertProblem(Path file, String problem) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Slides.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(problem), e.getMessage());
    }
}
