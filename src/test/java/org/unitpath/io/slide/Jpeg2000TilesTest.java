package org.unitpath.io.slide;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.jaiimageio.jpeg2000.J2KImageWriteParam;
import com.github.jaiimageio.jpeg2000.impl.J2KImageWriter;
import com.github.jaiimageio.jpeg2000.impl.J2KImageWriterSpi;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.HandMadeTiff;
import org.unitpath.io.RgbImage;
import org.unitpath.testing.TestImages;

/**
 * Aperio's two JPEG 2000 compressions on tiles written here: 33005 holds RGB (the codestream's own
 * colour transform), 33003 holds Y, Cb, Cr as plain components, which the reader must convert.
 * The real TCGA slide in RealSlidesTest is 33005; no public 33003 file small enough was found.
 */
class Jpeg2000TilesTest {
    @TempDir
    Path dir;

    @Test
    void aperioYCbCrAndRgbTilesDecodeToTheImage() throws IOException {
        RgbImage img = TestImages.ihc(dir).crop(0, 0, 500, 300);
        Path ycc = HandMadeTiff.encodedTiles(dir.resolve("33003.svs"), 33003, 2, img.width(), img.height(), tiles(img, true));
        Path rgb = HandMadeTiff.encodedTiles(dir.resolve("33005.svs"), 33005, 2, img.width(), img.height(), tiles(img, false));
        try (Slide s = Slides.open(rgb)) {
            TestImages.assertSame(img, s.read(0, 0, 0, img.width(), img.height()), "lossless RGB tiles");
            TestImages.assertSame(SlidesTest.expected(img, 250, 200, 300, 200, 3), s.read(0, 250, 200, 300, 200, 3),
                    "subsampled read over the edge tiles");
        }
        try (Slide s = Slides.open(ycc)) {
            RgbImage got = s.read(0, 0, 0, img.width(), img.height());
            int max = 0;
            for (int i = 0; i < got.rgb().length; i++) {
                max = Math.max(max, Math.abs((got.rgb()[i] & 0xff) - (img.rgb()[i] & 0xff)));
            }
            assertTrue(max <= 3, "YCbCr tiles: largest difference " + max + " (8-bit YCbCr rounding allows 3)");
        }
    }

    /** Lossless codestreams of 256-px tiles; with {@code ycbcr} the components are JFIF Y, Cb, Cr and no colour transform. */
    private static List<byte[]> tiles(RgbImage img, boolean ycbcr) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int ty = 0; ty * 256 < img.height(); ty++) {
            for (int tx = 0; tx * 256 < img.width(); tx++) {
                BufferedImage tile = new BufferedImage(256, 256, BufferedImage.TYPE_3BYTE_BGR);
                for (int y = 0; y < 256; y++) {
                    for (int x = 0; x < 256; x++) {
                        int sx = Math.min(tx * 256 + x, img.width() - 1);
                        int sy = Math.min(ty * 256 + y, img.height() - 1);
                        int r = img.get(sx, sy, 0);
                        int g = img.get(sx, sy, 1);
                        int b = img.get(sx, sy, 2);
                        int[] v = ycbcr ? new int[] {clamp(0.299 * r + 0.587 * g + 0.114 * b),
                                clamp(128 - 0.168736 * r - 0.331264 * g + 0.5 * b), clamp(128 + 0.5 * r - 0.418688 * g - 0.081312 * b)}
                                : new int[] {r, g, b};
                        tile.getRaster().setPixel(x, y, v);
                    }
                }
                out.add(encode(tile, !ycbcr));
            }
        }
        return out;
    }

    private static byte[] encode(BufferedImage tile, boolean colourTransform) throws IOException {
        J2KImageWriter writer = new J2KImageWriter(new J2KImageWriterSpi());
        J2KImageWriteParam param = (J2KImageWriteParam) writer.getDefaultWriteParam();
        param.setLossless(true);
        param.setWriteCodeStreamOnly(true);
        param.setComponentTransformation(colourTransform);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(tile, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
