package org.unitpath.io;

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
import org.unitpath.testing.TestImages;

/** TIFF variants: JPEG tiles, third-party writers, Aperio-style extra pages, SubIFD pyramids. */
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
    }

    /**
     * A hand-made classic TIFF: 256-px tiles of {@code base} with the given compression and
     * photometric tag, and optionally {@code sub} as a SubIFD of the first page (OME-style pyramid).
     */
    private Path handMade(String name, Compression compression, int photometric, RgbImage base, RgbImage sub)
            throws IOException {
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        file.write(new byte[16]);
        long[][] subTiles = sub == null ? null : tiles(sub, compression, file);
        long[][] baseTiles = tiles(base, compression, file);
        int code = compression == Compression.JPEG ? Tiff.COMPRESSION_JPEG : Tiff.COMPRESSION_ADOBE_DEFLATE;
        long subAt = file.size();
        if (sub != null) {
            file.write(array(ifd(sub, code, photometric, subTiles).encode(subAt, false)));
        }
        long at = file.size();
        TiffIfd first = ifd(base, code, photometric, baseTiles);
        if (sub != null) {
            first.longs(Tiff.SUB_IFDS, subAt);
        }
        file.write(array(first.encode(at, false)));
        byte[] bytes = file.toByteArray();
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).put((byte) 'I').put((byte) 'I')
                .putShort((short) 42).putInt((int) at);
        Path out = dir.resolve(name);
        Files.write(out, bytes);
        return out;
    }

    private static long[][] tiles(RgbImage img, Compression compression, java.io.ByteArrayOutputStream file)
            throws IOException {
        int n = (img.width() / 256) * (img.height() / 256);
        long[][] at = new long[2][n];
        try (TileEncoder enc = new TileEncoder(new Options(256, PixelType.RGB8, compression, false, 0.95f))) {
            for (int i = 0; i < n; i++) {
                byte[] payload = enc.encode(img.crop(i % (img.width() / 256) * 256, i / (img.width() / 256) * 256, 256, 256).rgb());
                at[0][i] = file.size();
                at[1][i] = payload.length;
                file.write(payload);
            }
        }
        return at;
    }

    private static TiffIfd ifd(RgbImage img, int compression, int photometric, long[][] tiles) {
        return new TiffIfd().longs(Tiff.IMAGE_WIDTH, img.width()).longs(Tiff.IMAGE_LENGTH, img.height())
                .shorts(Tiff.BITS_PER_SAMPLE, 8, 8, 8).shorts(Tiff.COMPRESSION, compression)
                .shorts(Tiff.PHOTOMETRIC, photometric).shorts(Tiff.SAMPLES_PER_PIXEL, 3)
                .shorts(Tiff.TILE_WIDTH, 256).shorts(Tiff.TILE_LENGTH, 256)
                .offsets(Tiff.TILE_OFFSETS, tiles[0]).offsets(Tiff.TILE_BYTE_COUNTS, tiles[1]);
    }

    private static byte[] array(java.nio.ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Test
    void subIfdPyramidLevelsAreLevels() throws IOException {
        RgbImage base = TestImages.pattern(512, 512, 41);
        RgbImage sub = TestImages.halve(base);
        Path file = handMade("ome.tif", Compression.DEFLATE, Tiff.PHOTOMETRIC_RGB, base, sub);
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
        for (int photometric : new int[] {Tiff.PHOTOMETRIC_RGB, Tiff.PHOTOMETRIC_YCBCR}) {
            Path file = handMade("jfif" + photometric + ".tif", Compression.JPEG, photometric, ihc, null);
            try (Slide s = Slides.open(file)) {
                double err = TestImages.meanDiff(ihc, s.read(0, 0, 0, 512, 512));
                assertTrue(err < 3, "photometric " + photometric + ": mean error " + err);
            }
        }
        byte[] adobeRgb = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0,
                           0, 0, 0, (byte) 0xFF, (byte) 0xDA};
        assertFalse(JpegTiles.isYCbCr(adobeRgb, true), "Adobe marker, transform 0: RGB");
        adobeRgb[17] = 1;
        assertTrue(JpegTiles.isYCbCr(adobeRgb, false), "Adobe marker, transform 1: YCbCr");
    }
}
