package org.unitpath.masks;

import java.util.Locale;

/**
 * How a mask image encodes its nuclei ({@code CYCLE.MASK_FORMAT}, docs/method.md 2.2). All are
 * derived from the multichannel image (R contour, G scattered fill, B arranged fill); every
 * nucleus pixel has a non-zero G or B, so the binary mask is recoverable from it too.
 */
public enum MaskFormat {
    MULTICHANNEL("multichannel"),
    TWO_CHANNEL("2channel"),
    GREY("grey"),
    BINARY("binary");

    public final String key;

    MaskFormat(String key) {
        this.key = key;
    }

    public static MaskFormat parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (MaskFormat f : values()) {
            if (f.key.equals(k)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown mask format '" + s + "': expected multichannel, 2channel, grey or binary");
    }

    /** Converts interleaved multichannel RGB bytes in place and returns them. */
    public byte[] fromMultichannel(byte[] rgb) {
        for (int o = 0; o < rgb.length; o += 3) {
            switch (this) {
                case MULTICHANNEL -> { }
                case TWO_CHANNEL -> rgb[o] = 0;
                case GREY -> {
                    byte v = rgb[o + 1] != 0 ? rgb[o + 1] : rgb[o + 2];
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                }
                case BINARY -> {
                    byte v = (rgb[o] | rgb[o + 1] | rgb[o + 2]) != 0 ? (byte) 255 : 0;
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                }
            }
        }
        return rgb;
    }

    @Override
    public String toString() {
        return key;
    }
}
