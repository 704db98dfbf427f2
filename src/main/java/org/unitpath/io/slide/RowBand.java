package org.unitpath.io.slide;

import java.io.IOException;
import org.unitpath.io.RgbImage;

/**
 * The last band of full-width rows decoded from a page that cannot decode a narrow region
 * cheaply (PNG and JPEG files, TIFF strips), shared by the reads of one slide: a row of grid
 * cells then costs one decode instead of one per cell. Bands above {@link #MAX_BYTES} are not kept.
 */
final class RowBand {
    static final long MAX_BYTES = 32L << 20;

    /** Decodes rows [y0, y1) of a level at full width. */
    interface Decoder {
        RgbImage decode(int level, int y0, int y1) throws IOException;
    }

    private final Decoder decoder;
    private RgbImage rows;
    private int level = -1;
    private int top;

    RowBand(Decoder decoder) {
        this.decoder = decoder;
    }

    /**
     * Copies [x0, x1) x [y0, y1) of {@code level} (width {@code width}) into the full-resolution
     * read {@code r}; false when the band would be too large and the caller must decode directly.
     */
    synchronized boolean read(int level, int width, int x0, int y0, int x1, int y1, SampledRegion r) throws IOException {
        if (r.step != 1 || 3L * width * (y1 - y0) > MAX_BYTES) {
            return false;
        }
        if (rows == null || this.level != level || y0 < top || y1 > top + rows.height()) {
            rows = null;
            rows = decoder.decode(level, y0, y1);
            this.level = level;
            top = y0;
        }
        for (int y = y0; y < y1; y++) {
            System.arraycopy(rows.rgb(), 3 * ((y - top) * rows.width() + x0), r.rgb, r.offset(x0, y), 3 * (x1 - x0));
        }
        return true;
    }

    synchronized void clear() {
        rows = null;
    }
}
