package org.unitpath.io.slide;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;
import org.unitpath.io.RgbImage;

/**
 * A large image read region by region, never whole: a whole-slide TIFF pyramid (level 0 is the
 * full resolution, higher levels are coarser) or a single-level PNG/JPEG. Reads may be called
 * from several threads at once. Open one with {@link Slides#open}.
 */
public interface Slide extends AutoCloseable {
    Path file();

    int levels();

    int width(int level);

    int height(int level);

    /** Level-0 pixels per pixel of {@code level} (1 for level 0). */
    double downsample(int level);

    /** Micrometres per pixel at level 0, when the file says. */
    OptionalDouble mpp();

    /** The rectangle (x, y, w, h) of {@code level}, in that level's pixels; parts outside the image are white. */
    default RgbImage read(int level, int x, int y, int w, int h) throws IOException {
        return read(level, x, y, w, h, 1);
    }

    /**
     * Every {@code step}-th pixel of the rectangle in both directions (a {@code ceil(w/step)} x
     * {@code ceil(h/step)} image): a cheap low-resolution view where the file has no pyramid.
     */
    RgbImage read(int level, int x, int y, int w, int h, int step) throws IOException;

    @Override
    void close() throws IOException;
}
