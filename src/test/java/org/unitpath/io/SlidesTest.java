package org.unitpath.io;

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
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void jpegTiledTiffDecodesWithinJpegError() throws IOException {
        RgbImage ihc = TestImages.ihc(dir);
        Path file = dir.resolve("jpeg.tif");
        TestImages.writeTiff(file, new Options(128, PixelType.RGB8, Compression.JPEG, false, 0.95f),
                OptionalDouble.of(0.25), "", ihc);
        try (Slide s = Slides.open(file)) {
            RgbImage all = s.read(0, 0, 0, 512, 512);
            assertTrue(TestImages.meanDiff(ihc, all) < 3, "mean error " + TestImages.meanDiff(ihc, all));
            TestImages.assertSame(all.crop(100, 90, 200, 100), s.read(0, 100, 90, 200, 100), "region across JPEG tiles");
            TestImages.assertSame(expected(all, 1, 2, 511, 510, 2), s.read(0, 1, 2, 511, 510, 2), "subsampled JPEG");
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
            w.write(null, new IIOImage(toBuffered(img), null, null), p);
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

    static BufferedImage toBuffered(RgbImage img) {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                b.setRGB(x, y, img.get(x, y, 0) << 16 | img.get(x, y, 1) << 8 | img.get(x, y, 2));
            }
        }
        return b;
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
                w.writeToSequence(new IIOImage(toBuffered(pages[i]), null, null), p);
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
        ImageIO.write(toBuffered(ihc), "jpeg", jpg.toFile());
        try (Slide s = Slides.open(jpg)) {
            TestImages.assertSame(ImageFiles.read(jpg).crop(10, 20, 300, 200), s.read(0, 10, 20, 300, 200), "JPEG region");
            assertTrue(s.mpp().isEmpty());
        }
    }

    @Test
    void pngPhysChunkGivesTheResolution() throws IOException {
        Path png = dir.resolve("phys.png");
        BufferedImage img = toBuffered(TestImages.pattern(64, 48, 15));
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

        Path grey = dir.resolve("grey.png");
        ImageIO.write(new BufferedImage(20, 20, BufferedImage.TYPE_BYTE_GRAY), "png", grey.toFile());
        assertProblem(grey, "1 colour channel");

        Path jp2 = dir.resolve("jp2k.svs");
        java.nio.ByteBuffer ifd = new TiffIfd().longs(Tiff.IMAGE_WIDTH, 256).longs(Tiff.IMAGE_LENGTH, 256)
                .shorts(Tiff.BITS_PER_SAMPLE, 8, 8, 8).shorts(Tiff.COMPRESSION, 33003).shorts(Tiff.PHOTOMETRIC, 2)
                .shorts(Tiff.SAMPLES_PER_PIXEL, 3).shorts(Tiff.TILE_WIDTH, 256).shorts(Tiff.TILE_LENGTH, 256)
                .offsets(Tiff.TILE_OFFSETS, new long[] {16}).offsets(Tiff.TILE_BYTE_COUNTS, new long[] {100})
                .encode(116, false);
        byte[] file = new byte[116 + ifd.remaining()];
        byte[] head = {'I', 'I', 42, 0, 116, 0, 0, 0};
        System.arraycopy(head, 0, file, 0, 8);
        ifd.get(file, 116, ifd.remaining());
        Files.write(jp2, file);
        assertProblem(jp2, "JPEG 2000-compressed TIFF (compression 33003) is not supported");

        assertThrows(java.nio.file.NoSuchFileException.class, () -> Slides.open(dir.resolve("missing.svs")));
        assertFalse(Files.exists(dir.resolve("missing.svs")));
    }

    private static void assertProblem(Path file, String problem) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Slides.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(problem), e.getMessage());
    }
}
