package org.unitpath.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    static RgbImage noise(int w, int h, long seed) {
        byte[] rgb = new byte[3 * w * h];
        new SplittableRandom(seed).nextBytes(rgb);
        return new RgbImage(w, h, rgb);
    }

    @Test
    void ourPngEncoderRoundTripsThroughImageIo() throws IOException {
        RgbImage img = noise(37, 23, 1);
        Path f = dir.resolve("a.png");
        Png.write(f, img);
        assertArrayEquals(img.rgb(), ImageFiles.read(f).rgb());
        RgbImage smooth = RgbImage.blank(64, 64);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                smooth.set(x, y, 1, x + y);
            }
        }
        Png.write(f, smooth);
        assertArrayEquals(smooth.rgb(), ImageFiles.read(f).rgb());
        BufferedImage grey = ImageIO.read(dir.resolve("a.png").toFile());
        assertEquals(64, grey.getWidth());
    }

    @Test
    void readsTheDemoTissueImage() throws Exception {
        Path ihc = Path.of(ImageFilesTest.class.getResource("/org/unitpath/demo/ihc.png").toURI());
        RgbImage img = ImageFiles.read(ihc);
        assertEquals(512, img.width());
        assertEquals(512, img.height());
    }

    @Test
    void badImagesNameTheFileAndTheProblem() throws IOException {
        Path good = dir.resolve("good.png");
        Png.write(good, noise(64, 64, 2));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());

        Path text = dir.resolve("text.png");
        Files.writeString(text, "hello");
        e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(text));
        assertTrue(e.getMessage().contains("not a readable image"), e.getMessage());

        Path grey = dir.resolve("grey.png");
        Files.write(grey, Png.encode(8, 8, 1, new byte[64]));
        e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(grey));
        assertTrue(e.getMessage().contains("1 colour channel, an RGB image is expected"), e.getMessage());
    }
}
