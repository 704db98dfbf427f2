package org.unitpath.transfer;

/**
 * The eight flips and 90-degree rotations of a square image (the dihedral group D4), the
 * augmentation that suits histology tiles: tissue has no preferred orientation.
 */
final class Dihedral {
    private Dihedral() {}

    /**
     * Applies transform {@code t} (0..7: t & 3 quarter turns, then a horizontal flip when t & 4)
     * to one CHW image of {@code side x side} at {@code offset} in {@code pixels}, in place.
     */
    static void apply(float[] pixels, int offset, int side, int t) {
        if (t == 0) {
            return;
        }
        int plane = side * side;
        float[] src = new float[plane];
        for (int c = 0; c < 3; c++) {
            int base = offset + c * plane;
            System.arraycopy(pixels, base, src, 0, plane);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int sx = x;
                    int sy = y;
                    if ((t & 4) != 0) {
                        sx = side - 1 - sx;
                    }
                    for (int k = 0; k < (t & 3); k++) {
                        int tmp = sx;
                        sx = sy;
                        sy = side - 1 - tmp;
                    }
                    pixels[base + y * side + x] = src[sy * side + sx];
                }
            }
        }
    }
}
