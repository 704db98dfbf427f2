package org.unitpath.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.OptionalDouble;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.RgbImage;
import org.unitpath.io.TiledTiffWriter;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.io.TiledTiffWriter.Page;

/** Images for the I/O and tiling tests: the demo tissue image, synthetic patterns, comparisons. */
public final class TestImages {
    private TestImages() {}

    /** The 512x512 colon IHC demo image, copied to {@code dir/name}. */
    public static Path ihcFile(Path dir, String name) {
        try (InputStream in = TestImages.class.getResourceAsStream("/org/unitpath/demo/ihc.png")) {
            if (in == null) {
                throw new IllegalStateException("demo image org/unitpath/demo/ihc.png missing from the class path");
            }
            Path file = dir.resolve(name);
            Files.createDirectories(dir);
            Files.copy(in, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RgbImage ihc(Path scratch) {
        try {
            return ImageFiles.read(ihcFile(scratch, "ihc-" + System.nanoTime() + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Smooth colour gradients plus noise: every pixel differs from its neighbours, so misplaced reads show. */
    public static RgbImage pattern(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] rgb = new byte[3 * w * h];
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++, o += 3) {
                rgb[o] = (byte) (x * 255 / Math.max(1, w - 1) ^ r.nextInt(16));
                rgb[o + 1] = (byte) (y * 255 / Math.max(1, h - 1) ^ r.nextInt(16));
                rgb[o + 2] = (byte) ((x + y) * 7 + r.nextInt(32));
            }
        }
        return new RgbImage(w, h, rgb);
    }

    public static RgbImage white(int w, int h) {
        RgbImage img = RgbImage.blank(w, h);
        Arrays.fill(img.rgb(), (byte) 255);
        return img;
    }

    /** {@code img} placed at (x, y) on a white canvas of w x h. */
    public static RgbImage onWhite(RgbImage img, int w, int h, int x, int y) {
        byte[] rgb = new byte[3 * w * h];
        Arrays.fill(rgb, (byte) 255);
        for (int j = 0; j < img.height(); j++) {
            System.arraycopy(img.rgb(), 3 * j * img.width(), rgb, 3 * ((y + j) * w + x), 3 * img.width());
        }
        return new RgbImage(w, h, rgb);
    }

    /** Mean of 2x2 blocks, rounded half up (what area averaging by 2 gives). */
    public static RgbImage halve(RgbImage img) {
        return blockMean(img, 2);
    }

    /** Mean of f x f blocks, rounded half up; a partial block at the right or bottom is dropped. */
    public static RgbImage blockMean(RgbImage img, int f) {
        int w = img.width() / f;
        int h = img.height() / f;
        RgbImage out = RgbImage.blank(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int s = 0;
                    for (int j = 0; j < f; j++) {
                        for (int i = 0; i < f; i++) {
                            s += img.get(f * x + i, f * y + j, c);
                        }
                    }
                    out.set(x, y, c, (s + f * f / 2) / (f * f));
                }
            }
        }
        return out;
    }

    public static void assertSame(RgbImage expected, RgbImage actual, String what) {
        assertEquals(expected.width() + "x" + expected.height(), actual.width() + "x" + actual.height(), what + ": size");
        for (int i = 0; i < expected.rgb().length; i++) {
            if (expected.rgb()[i] != actual.rgb()[i]) {
                int p = i / 3;
                throw new AssertionError(what + ": first difference at pixel (" + p % expected.width() + ", "
                        + p / expected.width() + ") channel " + i % 3 + ": expected " + (expected.rgb()[i] & 0xff)
                        + ", got " + (actual.rgb()[i] & 0xff));
            }
        }
    }

    /** Largest per-channel difference. */
    public static int maxDiff(RgbImage a, RgbImage b) {
        assertEquals(a.width() + "x" + a.height(), b.width() + "x" + b.height(), "size");
        int max = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            max = Math.max(max, Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff)));
        }
        return max;
    }

    public static double meanDiff(RgbImage a, RgbImage b) {
        assertEquals(a.width() + "x" + a.height(), b.width() + "x" + b.height(), "size");
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        }
        return (double) sum / a.rgb().length;
    }

    /** Writes each image as one tiled page; page i > 0 gets mpp * (width of page 0 / its width). */
    public static void writeTiff(Path file, Options options, OptionalDouble mpp, String description, RgbImage... pages)
            throws IOException {
        try (TiledTiffWriter w = TiledTiffWriter.create(file, options)) {
            for (RgbImage img : pages) {
                double scale = (double) pages[0].width() / img.width();
                OptionalDouble m = mpp.isPresent() ? OptionalDouble.of(mpp.getAsDouble() * scale) : mpp;
                w.startPage(new Page(img.width(), img.height(), m, description));
                int ts = options.tileSize();
                for (int ty = 0; ty * ts < img.height(); ty++) {
                    for (int tx = 0; tx * ts < img.width(); tx++) {
                        int cw = Math.min(ts, img.width() - tx * ts);
                        int ch = Math.min(ts, img.height() - ty * ts);
                        w.writeTile(tx, ty, img.crop(tx * ts, ty * ts, cw, ch));
                    }
                }
                w.endPage();
            }
            w.finish();
        }
    }

    public static java.awt.image.BufferedImage toBuffered(RgbImage img) {
        var b = new java.awt.image.BufferedImage(img.width(), img.height(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                b.setRGB(x, y, img.get(x, y, 0) << 16 | img.get(x, y, 1) << 8 | img.get(x, y, 2));
            }
        }
        return b;
    }
}
