package org.unitpath.data;

import org.unitpath.masks.Range;

/**
 * Training augmentation of the release (docs/method.md 2.4): B is cropped at a random scale
 * ({@code bScale} of the crop side, bilinear), then both images and the masks share one
 * relative-range crop (height and width fractions drawn from [relativeCrop, 1]), a nearest
 * resize back to the output size and a horizontal flip with probability {@code flip}.
 */
public record Augment(Range bScale, double relativeCrop, double flip) {
    public Augment {
        if (bScale.min() <= 0 || bScale.max() > 1) {
            throw new IllegalArgumentException("B crop scale must lie in (0, 1], got " + bScale);
        }
        if (relativeCrop <= 0 || relativeCrop > 1) {
            throw new IllegalArgumentException("relative crop must lie in (0, 1], got " + relativeCrop);
        }
        if (flip < 0 || flip > 1) {
            throw new IllegalArgumentException("flip probability must lie in [0, 1], got " + flip);
        }
    }

    public static Augment release() {
        return new Augment(new Range(0.8, 1.0), 0.8, 0.5);
    }

    /** No randomness beyond the crop positions: for evaluation and tests. */
    public static Augment none() {
        return new Augment(new Range(1, 1), 1, 0);
    }
}
