package org.unitpath.data;

import org.unitpath.io.RgbImage;

/**
 * The network input made from one tile or dataset image, as the release's classification demo
 * prepares it: RGB resized to {@code side x side} (a non-square image first loses the edges of
 * its longer side, as Resize + CenterCrop would), then normalised with mean = std = 0.5.
 * Shrinking averages the covered source area, enlarging interpolates bilinearly.
 */
public final class ImageFolderInput {
    private ImageFolderInput() {}

    public static RgbImage resized(RgbImage img, int side) {
        int s = Math.min(img.width(), img.height());
        RgbImage square = img.width() == img.height() ? img
                : img.crop((img.width() - s) / 2, (img.height() - s) / 2, s, s);
        return s == side ? square : Resize.window(square, 0, 0, (double) s / side, side);
    }

    /** CHW floats in [-1, 1], {@code 3 * side * side} values. */
    public static float[] normalised(RgbImage img, int side) {
        return CycleDataset.normalised(resized(img, side));
    }
}
