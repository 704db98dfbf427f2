package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.RgbImage;
import org.unitpath.io.slide.Slide;
import org.unitpath.io.slide.Slides;

/**
 * The tissue tiles of one slide, read on demand instead of written to disk (for embedding):
 * the same grid, level choice, resampling and tissue test as {@link TileCutter}, so tile i here
 * is the tile {@code unitpath tiles} would write for the same cell. Only the cell list is held in
 * memory; reads may run on several threads at once.
 */
public final class SlideTiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SlideTiles.class);

    /** A grid cell: level-0 position of its top left corner, its column and row, and its level-0 side. */
    public record Cell(double x, double y, int col, int row, double side) {}

    private final Slide slide;
    private final CellReader reader;
    private final List<Cell> cells;
    private final String note;

    private SlideTiles(Slide slide, TileCutter.Options options) throws IOException {
        this.slide = slide;
        double sourceMpp = options.sourceMpp().isPresent() ? options.sourceMpp().getAsDouble()
                : slide.mpp().orElse(options.targetMpp());
        if (options.sourceMpp().isEmpty() && slide.mpp().isEmpty()) {
            log.warn("{}: the file gives no resolution; assuming it is already at {} µm/px", slide.file(),
                    SlideJob.fmt(options.targetMpp()));
        }
        double d = options.targetMpp() / sourceMpp;
        double side = options.tile() * d;
        int cols = (int) Math.floor(slide.width(0) / side + 1e-9);
        int rows = (int) Math.floor(slide.height(0) / side + 1e-9);
        TissueDetector tissue = options.minTissue() > 0 && cols * rows > 0 ? TissueDetector.detect(slide) : null;
        List<Cell> found = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (tissue == null || tissue.fraction(c * side, r * side, side, side) >= options.minTissue()) {
                    found.add(new Cell(c * side, r * side, c, r, side));
                }
            }
        }
        this.cells = List.copyOf(found);
        this.note = cols * rows == 0 ? SlideJob.tooSmall(slide.file(), slide.width(0), slide.height(0), sourceMpp, options)
                : cells.isEmpty() ? slide.file() + ": no tissue tile found" : null;
        int level = SlideJob.level(slide, d);
        this.reader = new CellReader(slide, level, SlideJob.nominal(slide.downsample(level)), d, options.tile());
    }

    /** Opens {@code file} and finds its tissue cells ({@code options.threads} and {@code overwrite} are not used). */
    public static SlideTiles open(Path file, TileCutter.Options options) throws IOException {
        Slide slide = Slides.open(file);
        try {
            return new SlideTiles(slide, options);
        } catch (IOException | RuntimeException e) {
            slide.close();
            throw e;
        }
    }

    public Path file() {
        return slide.file();
    }

    public List<Cell> cells() {
        return cells;
    }

    /** Why the slide has no tiles (it is smaller than one tile, or has no tissue), or null when it has some. */
    public String note() {
        return note;
    }

    /** The tile of cell {@code i}, {@code tile x tile} pixels at the target resolution. */
    public RgbImage read(int i) throws IOException {
        Cell c = cells.get(i);
        return reader.read(c.x(), c.y());
    }

    @Override
    public void close() throws IOException {
        slide.close();
    }
}
