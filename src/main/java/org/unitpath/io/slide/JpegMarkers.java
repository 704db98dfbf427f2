package org.unitpath.io.slide;

/** Reads the colour transform a JPEG stream declares in its JFIF or Adobe marker. */
final class JpegMarkers {
    /** What the markers before the first scan say: YCbCr (JFIF, or Adobe transform 1 or 2), RGB (Adobe 0), or nothing. */
    enum Colour { YCBCR, RGB, UNSAID }

    private JpegMarkers() {}

    static Colour colour(byte[] jpeg) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xFF) {
            int marker = jpeg[i + 1] & 0xff;
            int length = ((jpeg[i + 2] & 0xff) << 8) | (jpeg[i + 3] & 0xff);
            if (marker == 0xDA || length < 2) {
                break;
            }
            if (marker == 0xE0 && startsWith(jpeg, i + 4, "JFIF\0")) {
                return Colour.YCBCR;
            }
            if (marker == 0xEE && startsWith(jpeg, i + 4, "Adobe") && i + 15 < jpeg.length) {
                return jpeg[i + 15] == 0 ? Colour.RGB : Colour.YCBCR;
            }
            i += 2 + length;
        }
        return Colour.UNSAID;
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
