package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoCategory;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.io.coco.CocoImage;
import org.unitpath.io.coco.Rle;

/**
 * A small annotated nucleus dataset with exactly known instances, for trying the downstream
 * commands without real data and for tests: H&E-coloured images (pink stroma, dark purple
 * elliptical nuclei that never overlap, stain and noise variation) with COCO annotations,
 * written as {@code images/*.png}, {@code train.json} and {@code test.json}.
 */
public final class SyntheticNuclei {
    private SyntheticNuclei() {}

    /** One generated image: pixels and its instance map (ids 1..K). */
    public record Sample(RgbImage image, int[] labels, int count) {}

    /** Writes {@code train} + {@code test} images of side {@code size} under {@code out}. */
    public static void write(Path out, int train, int test, int size, long seed) throws IOException {
        if (train < 1 || test < 1 || size < 32) {
            throw new IllegalArgumentException("need at least one train and one test image of at least 32 px");
        }
        Path images = Files.createDirectories(out.resolve("images"));
        SplittableRandom rng = new SplittableRandom(seed);
        List<CocoImage> trainImages = new ArrayList<>();
        List<CocoImage> testImages = new ArrayList<>();
        List<CocoAnnotation> trainAnns = new ArrayList<>();
        List<CocoAnnotation> testAnns = new ArrayList<>();
        for (int i = 0; i < train + test; i++) {
            boolean isTrain = i < train;
            String name = String.format("%s_%03d.png", isTrain ? "train" : "test", i);
            Sample s = generate(size, rng.split());
            Png.write(images.resolve(name), s.image());
            CocoImage info = new CocoImage(i + 1, name, size, size);
            (isTrain ? trainImages : testImages).add(info);
            List<CocoAnnotation> anns = isTrain ? trainAnns : testAnns;
            for (int id = 1; id <= s.count(); id++) {
                byte[] mask = new byte[size * size];
                for (int p = 0; p < mask.length; p++) {
                    mask[p] = (byte) (s.labels()[p] == id ? 1 : 0);
                }
                anns.add(CocoAnnotation.truth(anns.size() + 1, info.id(), 1, Rle.encode(mask, size, size)));
            }
        }
        List<CocoCategory> categories = List.of(new CocoCategory(1, "nucleus"));
        new CocoDataset(trainImages, categories, trainAnns).write(out.resolve("train.json"));
        new CocoDataset(testImages, categories, testAnns).write(out.resolve("test.json"));
    }

    /** One image with roughly one nucleus per 900 px^2, radii 4-9 px. */
    public static Sample generate(int size, SplittableRandom rng) {
        int[] labels = new int[size * size];
        int target = Math.max(1, size * size / 900);
        int count = 0;
        for (int attempt = 0; attempt < target * 20 && count < target; attempt++) {
            double cx = 6 + rng.nextDouble() * (size - 12);
            double cy = 6 + rng.nextDouble() * (size - 12);
            double a = 4 + rng.nextDouble() * 5;
            double b = a * (0.55 + 0.45 * rng.nextDouble());
            double theta = rng.nextDouble() * Math.PI;
            if (place(labels, size, cx, cy, a, b, theta, count + 1)) {
                count++;
            }
        }
        return new Sample(paint(labels, size, rng), labels, count);
    }

    /** Paints the ellipse with id {@code id} if it keeps a pixel of gap to every other nucleus. */
    private static boolean place(int[] labels, int size, double cx, double cy, double a, double b, double theta, int id) {
        double c = Math.cos(theta);
        double s = Math.sin(theta);
        int r = (int) Math.ceil(a) + 1;
        List<Integer> pixels = new ArrayList<>();
        for (int y = (int) cy - r; y <= (int) cy + r; y++) {
            for (int x = (int) cx - r; x <= (int) cx + r; x++) {
                if (x < 0 || y < 0 || x >= size || y >= size) {
                    continue;
                }
                double dx = x - cx;
                double dy = y - cy;
                double u = (dx * c + dy * s) / (a + 1.5);
                double v = (-dx * s + dy * c) / (b + 1.5);
                boolean inGap = u * u + v * v <= 1;
                if (inGap && labels[y * size + x] != 0) {
                    return false;
                }
                u = (dx * c + dy * s) / a;
                v = (-dx * s + dy * c) / b;
                if (u * u + v * v <= 1) {
                    pixels.add(y * size + x);
                }
            }
        }
        if (pixels.size() < 12) {
            return false;
        }
        pixels.forEach(p -> labels[p] = id);
        return true;
    }

    private static RgbImage paint(int[] labels, int size, SplittableRandom rng) {
        double stain = 0.85 + 0.3 * rng.nextDouble();
        RgbImage img = RgbImage.blank(size, size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean nucleus = labels[y * size + x] != 0;
                double n = rng.nextGaussian() * 10;
                int[] base = nucleus ? new int[] {95, 60, 140} : new int[] {236, 190, 212};
                for (int ch = 0; ch < 3; ch++) {
                    double v = nucleus ? base[ch] * stain + n : 255 - (255 - base[ch]) * stain + n;
                    img.set(x, y, ch, (int) Math.max(0, Math.min(255, v)));
                }
            }
        }
        return img;
    }
}
