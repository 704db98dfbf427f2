package org.unitpath.io.slide;

/** Reads the colour transform a JPEG stream declares in its JFIF or Adobe marker. */
final class JpegMarkers {
    private JpegMarkers() {}

    /** Whether the markers before the first scan say YCbCr: a JFIF APP0, or an Adobe APP14 with transform 1. */
    static boolean saysYCbCr(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xFF) {
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xDA || length < 2) {
                return false;
            }
            if (marker == 0xE0 && startsWith(jpeg, i + 4, "JFIF\0")) {
                return true;
            }
            if (marker == 0xEE && startsWith(jpeg, i + 4, "Adobe") && i + 15 < jpeg.length) {
                return jpeg[i + 15] == 1;
            }
            i += 2 + length;
        }
        return false;
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (b[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
