package org.unitpath.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.unitpath.io.RgbImage;

/**
 * Fine-tuning samples from annotated images, the Kumar recipe (docs/method.md 6.2): a random square
 * crop of absolute size at native resolution (an image smaller than that gives its shorter side
 * rounded down to a multiple of 32, where Detectron2 would pad), a
 * horizontal flip with probability {@code flipProb}; nuclei cut by the crop keep their visible
 * part with its tight box, nuclei that leave nothing visible are dropped.
 */
public final class NucleusCrops {
    /** Semantic classes as Detectron2's panoptic 'separated' targets: all things are 0, the background stuff class is 1. */
    public static final byte THINGS = 0;
    public static final byte BACKGROUND = 1;

    /** One training crop: CHW floats in [-1, 1], its nuclei and the semantic target map. */
    public record Sample(float[] image, int size, List<Instance> instances, byte[] semantic) {}

    private final List<NucleusImage> images;
    private final int crop;
    private final double flipProb;

    public NucleusCrops(List<NucleusImage> images, int crop, double flipProb) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        if (crop < 32) {
            throw new IllegalArgumentException("INPUT.CROP.SIZE must be at least 32 px, got " + crop);
        }
        this.images = List.copyOf(images);
        this.crop = crop;
        this.flipProb = flipProb;
    }

    /** A sample drawn with {@code rng}: the image uniformly, then the crop position and flip. */
    public Sample sample(SplittableRandom rng) {
        NucleusImage src = images.get(rng.nextInt(images.size()));
        RgbImage img = src.image();
        int side = Math.min(crop, Math.min(img.width(), img.height()) / 32 * 32);
        if (side < 32) {
            throw new IllegalArgumentException(src.name() + " is " + img.width() + "x" + img.height()
                    + " px; training images must be at least 32 px on each side");
        }
        int x0 = rng.nextInt(img.width() - side + 1);
        int y0 = rng.nextInt(img.height() - side + 1);
        boolean flip = rng.nextDouble() < flipProb;
        return crop(src, x0, y0, side, flip);
    }

    static Sample crop(NucleusImage src, int x0, int y0, int side, boolean flip) {
        RgbImage img = src.image();
        float[] chw = new float[3 * side * side];
        byte[] rgb = img.rgb();
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int sx = x0 + (flip ? side - 1 - x : x);
                int s = ((y0 + y) * img.width() + sx) * 3;
                for (int c = 0; c < 3; c++) {
                    chw[(c * side + y) * side + x] = (rgb[s + c] & 0xff) / 127.5f - 1f;
                }
            }
        }
        byte[] semantic = new byte[side * side];
        java.util.Arrays.fill(semantic, BACKGROUND);
        List<Instance> instances = new ArrayList<>();
        for (NucleusImage.Nucleus n : src.nuclei()) {
            Instance inst = visiblePart(n, x0, y0, side, flip);
            if (inst != null) {
                instances.add(inst);
                for (int i = 0; i < semantic.length; i++) {
                    if (inst.mask()[i] != 0) {
                        semantic[i] = THINGS;
                    }
                }
            }
        }
        return new Sample(chw, side, instances, semantic);
    }

    private static Instance visiblePart(NucleusImage.Nucleus n, int x0, int y0, int side, boolean flip) {
        if (n.x() >= x0 + side || n.y() >= y0 + side || n.x() + n.width() <= x0 || n.y() + n.height() <= y0) {
            return null;
        }
        byte[] mask = new byte[side * side];
        int bx0 = side;
        int by0 = side;
        int bx1 = -1;
        int by1 = -1;
        for (int y = 0; y < n.height(); y++) {
            int cy = n.y() + y - y0;
            if (cy < 0 || cy >= side) {
                continue;
            }
            for (int x = 0; x < n.width(); x++) {
                int cx = n.x() + x - x0;
                if (cx < 0 || cx >= side || n.mask()[y * n.width() + x] == 0) {
                    continue;
                }
                int fx = flip ? side - 1 - cx : cx;
                mask[cy * side + fx] = 1;
                bx0 = Math.min(bx0, fx);
                bx1 = Math.max(bx1, fx);
                by0 = Math.min(by0, cy);
                by1 = Math.max(by1, cy);
            }
        }
        return bx1 < 0 ? null : new Instance(bx0, by0, bx1 + 1, by1 + 1, mask);
    }
}
