package org.unitpath.data;

import java.io.IOException;
import org.unitpath.io.RgbImage;
import org.unitpath.io.slide.Slide;

/**
 * Reads one grid cell of a slide and brings it to the tile size: a plain copy when the level's
 * scale is the target's and the cell starts on a pixel, else area averaging of the covering window.
 *
 * @param level      the pyramid level read
 * @param downsample that level's (nominal) level-0 pixels per pixel
 * @param d          level-0 pixels per output pixel
 */
record CellReader(Slide slide, int level, double downsample, double d, int tile) {
    /** The tile whose top left corner is at (x0, y0) in level-0 pixels. */
    RgbImage read(double x0, double y0) throws IOException {
        double scale = d / downsample;
        double lx = x0 / downsample;
        double ly = y0 / downsample;
        boolean aligned = Math.abs(lx - Math.rint(lx)) < 1e-6 && Math.abs(ly - Math.rint(ly)) < 1e-6;
        if (Math.abs(scale - 1) < 1e-9 && aligned) {
            return slide.read(level, (int) Math.rint(lx), (int) Math.rint(ly), tile, tile);
        }
        int w = slide.width(level);
        int h = slide.height(level);
        int ix0 = Math.min(w - 1, (int) Math.floor(lx + 1e-9));
        int iy0 = Math.min(h - 1, (int) Math.floor(ly + 1e-9));
        int ix1 = Math.max(ix0 + 1, Math.min(w, (int) Math.ceil(lx + tile * scale - 1e-9)));
        int iy1 = Math.max(iy0 + 1, Math.min(h, (int) Math.ceil(ly + tile * scale - 1e-9)));
        RgbImage src = slide.read(level, ix0, iy0, ix1 - ix0, iy1 - iy0);
        return Resize.window(src, lx - ix0, ly - iy0, scale, tile);
    }
}
