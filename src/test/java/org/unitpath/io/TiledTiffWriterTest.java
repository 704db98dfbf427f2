package org.unitpath.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.io.TiledTiffWriter.Page;
import org.unitpath.io.TiledTiffWriter.PixelType;
import org.unitpath.testing.TestImages;

class TiledTiffWriterTest {
    @TempDir
    Path dir;

    /** Whole pages decoded by another reader: TwelveMonkeys ("com.twelvemonkeys") or the JDK's ("com.sun"). */
    static RgbImage[] readAll(Path file, String readerPrefix) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(readerPrefix);
            try {
                reader.setInput(in);
                int n = reader.getNumImages(true);
                RgbImage[] pages = new RgbImage[n];
                for (int i = 0; i < n; i++) {
                    pages[i] = ImageFiles.toRgb(reader.read(i));
                }
                return pages;
            } finally {
                reader.dispose();
            }
        }
    }

    static ImageReader reader(String prefix) {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith(prefix)) {
                return r;
            }
        }
        throw new AssertionError("no TIFF reader " + prefix);
    }

    @Test
    void deflatePyramidReadsBackInTwelveMonkeysAndTheJdk() throws IOException {
        RgbImage base = TestImages.pattern(700, 530, 1);
        RgbImage half = TestImages.halve(base);
        Path file = dir.resolve("pyramid.tif");
        TestImages.writeTiff(file, Options.rgb(Compression.DEFLATE), OptionalDouble.of(0.25), "test", base, half);
        for (String reader : new String[] {"com.twelvemonkeys", "com.sun"}) {
            RgbImage[] pages = readAll(file, reader);
            assertEquals(2, pages.length, reader);
            TestImages.assertSame(base, pages[0], reader + " level 0");
            TestImages.assertSame(half, pages[1], reader + " level 1");
        }
        byte[] head = Files.readAllBytes(file);
        assertEquals(42, head[2], "classic TIFF");
    }

    @Test
    void uncompressedBigTiffReadsBack() throws IOException {
        RgbImage img = TestImages.pattern(300, 260, 2);
        Path file = dir.resolve("big.tif");
        TestImages.writeTiff(file, new Options(128, PixelType.RGB8, Compression.NONE, true, 0.9f),
                OptionalDouble.empty(), "", img);
        assertEquals(43, Files.readAllBytes(file)[2], "BigTIFF magic");
        TestImages.assertSame(img, readAll(file, "com.twelvemonkeys")[0], "BigTIFF page");
    }

    @Test
    void jpegTilesDecodeWithinJpegError() throws IOException {
        RgbImage img = TestImages.ihc(dir);
        Path file = dir.resolve("jpeg.tif");
        TestImages.writeTiff(file, new Options(256, PixelType.RGB8, Compression.JPEG, false, 0.95f),
                OptionalDouble.empty(), "", img);
        RgbImage back = readAll(file, "com.twelvemonkeys")[0];
        assertTrue(TestImages.meanDiff(img, back) < 3, "mean abs error " + TestImages.meanDiff(img, back));
    }

    @Test
    void labelTilesAreDeduplicatedAndBlankAreasCostNothing() throws IOException {
        Path file = dir.resolve("labels.tif");
        int w = 5000;
        int h = 3000;
        int[] labels = new int[256 * 256];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 300 == 0 ? 0 : 70_000 + i / 256;
        }
        int[] border = new int[(w - 19 * 256) * 256];
        java.util.Arrays.fill(border, 7);
        try (TiledTiffWriter t = TiledTiffWriter.create(file, Options.labels())) {
            t.startPage(Page.of(w, h));
            t.writeTile(3, 5, labels);
            t.writeTile(4, 5, labels);
            t.writeTile(19, 0, border);
            t.finish();
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            var ifd = ((com.twelvemonkeys.imageio.metadata.CompoundDirectory) new com.twelvemonkeys.imageio.metadata.tiff.TIFFReader()
                    .read(in)).getDirectory(0);
            long[] offsets = (long[]) ifd.getEntryById(Tiff.TILE_OFFSETS).getValue();
            assertEquals(20 * 12, offsets.length);
            assertEquals(3, java.util.Arrays.stream(offsets).distinct().count(), "label tile, border tile, one blank tile");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader r = reader("com.twelvemonkeys");
            r.setInput(in);
            Raster ras = r.readRaster(0, null);
            r.dispose();
            assertEquals(w, ras.getWidth());
            assertEquals(h, ras.getHeight());
            for (int y = 0; y < 256; y += 17) {
                for (int x = 0; x < 256; x += 13) {
                    assertEquals(labels[y * 256 + x], ras.getSample(3 * 256 + x, 5 * 256 + y, 0));
                    assertEquals(labels[y * 256 + x], ras.getSample(4 * 256 + x, 5 * 256 + y, 0));
                    assertEquals(0, ras.getSample(5 * 256 + x, 5 * 256 + y, 0));
                }
            }
            assertEquals(7, ras.getSample(w - 1, 0, 0));
            assertEquals(0, ras.getSample(w - 1, 256, 0));
        }
    }

    @Test
    void switchesToBigTiffWhenTheFileOutgrowsClassicOffsets() throws IOException {
        RgbImage a = TestImages.pattern(512, 512, 3);
        RgbImage b = TestImages.pattern(256, 256, 4);
        Path file = dir.resolve("grow.tif");
        Options o = new Options(128, PixelType.RGB8, Compression.NONE, false, 0.9f);
        try (TiledTiffWriter w = TiledTiffWriter.create(file, o, (1 << 20) + 900_000)) {
            for (RgbImage img : new RgbImage[] {a, b}) {
                w.startPage(new Page(img.width(), img.height(), OptionalDouble.of(0.5), "page"));
                for (int ty = 0; ty < img.height() / 128; ty++) {
                    for (int tx = 0; tx < img.width() / 128; tx++) {
                        w.writeTile(tx, ty, img.crop(tx * 128, ty * 128, 128, 128));
                    }
                }
                w.endPage();
            }
            assertTrue(w.isBigTiff(), "the second page passed the limit");
            w.finish();
        }
        assertEquals(43, Files.readAllBytes(file)[2]);
        RgbImage[] pages = readAll(file, "com.twelvemonkeys");
        assertEquals(2, pages.length);
        TestImages.assertSame(a, pages[0], "page written before the switch");
        TestImages.assertSame(b, pages[1], "page written after the switch");
    }

    @Test
    void closingWithoutFinishLeavesNothing() throws IOException {
        Path file = dir.resolve("never.tif");
        try (TiledTiffWriter w = TiledTiffWriter.create(file, Options.rgb(Compression.DEFLATE))) {
            w.startPage(Page.of(100, 100));
            w.writeTile(0, 0, TestImages.pattern(100, 100, 5));
        }
        assertFalse(Files.exists(file));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "temporary file removed");
        }
    }

    @Test
    void rejectsBadTiles() throws IOException {
        try (TiledTiffWriter w = TiledTiffWriter.create(dir.resolve("bad.tif"), Options.rgb(Compression.NONE))) {
            w.startPage(Page.of(300, 300));
            assertThrows(IllegalArgumentException.class, () -> w.writeTile(2, 0, RgbImage.blank(44, 256)));
            assertThrows(IllegalArgumentException.class, () -> w.writeTile(1, 0, RgbImage.blank(40, 256)));
            w.writeTile(1, 0, RgbImage.blank(44, 256));
            assertThrows(IllegalArgumentException.class, () -> w.writeTile(1, 0, RgbImage.blank(44, 256)));
            assertThrows(IllegalArgumentException.class, () -> w.writeTile(0, 0, new int[256 * 256]));
        }
        assertThrows(IllegalArgumentException.class, () -> new Options(100, PixelType.RGB8, Compression.NONE, false, 0.9f));
        assertArrayEquals(new long[] {400_000_000, 10_000}, TileEncoder.rational(40_000));
    }
}
