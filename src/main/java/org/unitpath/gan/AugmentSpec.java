package org.unitpath.gan;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which augmentations an {@link AugmentPipe} applies: a probability multiplier per augmentation
 * (each is applied with probability multiplier · p) and the ranges of their random parameters.
 * Defaults follow StyleGAN2-ADA's AugmentPipe; {@link #bgc()} is its default 'bgc' pipeline.
 */
public final class AugmentSpec {
    /** The augmentations, in the order the pipe draws and applies them. */
    public enum Augmentation {
        XFLIP, ROTATE90, XINT, SCALE, ROTATE, ANISO, XFRAC, BRIGHTNESS, CONTRAST, LUMAFLIP, HUE, SATURATION
    }

    /**
     * Parameter ranges: {@code xintMax} and {@code xfracStd} relative to the image size, the
     * scale and contrast/saturation spreads as log2 standard deviations, {@code rotateMax} and
     * {@code hueMax} as fractions of a full circle.
     */
    public record Ranges(double xintMax, double scaleStd, double rotateMax, double anisoStd, double xfracStd,
            double brightnessStd, double contrastStd, double hueMax, double saturationStd) {
        public Ranges {
            double[] all = {xintMax, scaleStd, rotateMax, anisoStd, xfracStd, brightnessStd, contrastStd, hueMax, saturationStd};
            for (double v : all) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("augmentation ranges must be finite and >= 0, got " + Arrays.toString(all));
                }
            }
        }

        public static Ranges defaults() {
            return new Ranges(0.125, 0.2, 1, 0.2, 0.125, 0.2, 0.5, 1, 1);
        }
    }

    private final EnumMap<Augmentation, Double> multipliers;
    private final Ranges ranges;

    private AugmentSpec(Map<Augmentation, Double> multipliers, Ranges ranges) {
        this.multipliers = new EnumMap<>(Augmentation.class);
        for (Augmentation a : Augmentation.values()) {
            double m = multipliers.getOrDefault(a, 0.0);
            if (!(m >= 0) || Double.isInfinite(m)) {
                throw new IllegalArgumentException("probability multiplier of " + a + " must be finite and >= 0, got " + m);
            }
            this.multipliers.put(a, m);
        }
        if (ranges == null) {
            throw new IllegalArgumentException("augmentation ranges must not be null");
        }
        this.ranges = ranges;
    }

    /** The 'bgc' pipeline (blit + geometric + colour): every augmentation at multiplier 1, default ranges. */
    public static AugmentSpec bgc() {
        return only(Augmentation.values());
    }

    /** The given augmentations at multiplier 1, all others off, default ranges. */
    public static AugmentSpec only(Augmentation... augmentations) {
        Map<Augmentation, Double> m = new EnumMap<>(Augmentation.class);
        for (Augmentation a : augmentations) {
            m.put(a, 1.0);
        }
        return new AugmentSpec(m, Ranges.defaults());
    }

    public AugmentSpec withMultiplier(Augmentation augmentation, double multiplier) {
        Map<Augmentation, Double> m = new EnumMap<>(multipliers);
        m.put(augmentation, multiplier);
        return new AugmentSpec(m, ranges);
    }

    public AugmentSpec withRanges(Ranges newRanges) {
        return new AugmentSpec(multipliers, newRanges);
    }

    public double multiplier(Augmentation augmentation) {
        return multipliers.get(augmentation);
    }

    public boolean enabled(Augmentation augmentation) {
        return multipliers.get(augmentation) > 0;
    }

    public Ranges ranges() {
        return ranges;
    }

    @Override
    public String toString() {
        return "AugmentSpec" + multipliers + " " + ranges;
    }
}
