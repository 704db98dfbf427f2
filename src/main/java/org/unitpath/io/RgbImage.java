package org.unitpath.io;

/**
 * An 8-bit RGB image held as interleaved bytes (row-major, R G B per pixel), the one image
 * type the pipeline passes around.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != 3L * width * height) {
            throw new IllegalArgumentException("RGB buffer holds " + rgb.length + " bytes, " + width + "x" + height + " needs "
                    + 3L * width * height);
        }
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new byte[3 * width * height]);
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return rgb[3 * (y * width + x) + c] & 0xff;
    }

    public void set(int x, int y, int c, int value) {
        rgb[3 * (y * width + x) + c] = (byte) value;
    }

    /** A copy of the rectangle (x, y, w, h), which must lie inside the image. */
    public RgbImage crop(int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
        }
        byte[] out = new byte[3 * w * h];
        for (int row = 0; row < h; row++) {
            System.arraycopy(rgb, 3 * ((y + row) * width + x), out, 3 * row * w, 3 * w);
        }
        return new RgbImage(w, h, out);
    }
}
