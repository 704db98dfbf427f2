package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.TileCutter.Counts;
import org.unitpath.data.TileCutter.Options;
import org.unitpath.io.Png;
import org.unitpath.io.slide.Slide;
import org.unitpath.io.slide.Slides;

/**
 * The tiling of one slide: its grid, level and tissue mask, prepared on the calling thread while
 * the pool still cuts the previous slide's tiles; the slide is closed, and its counts logged, when
 * its last tile is written.
 */
final class SlideJob {
    private static final Logger log = LoggerFactory.getLogger(SlideJob.class);

    private final Path file;
    private final Options options;
    private final Slide slide;
    private final double sourceMpp;
    private final double cell;
    private final int cols;
    private final int rows;
    private final TissueDetector tissue;
    private final CellReader reader;
    private final long start = System.nanoTime();
    // one count per submitted tile plus one for the submission itself: whoever brings it to 0 finishes
    private final AtomicInteger pending = new AtomicInteger(1);
    private final AtomicLong written = new AtomicLong();
    // this slide's first failure: it stops queueing tiles and the slide is reported failed, other slides go on
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Path dir;
    private long background;
    private long present;
    private final Tally tally;

    /**
     * Counts summed over slides as each one ends (finished slides are then dropped, masks and
     * all), and the events passed on; remembers failures and why slides gave no tiles.
     */
    static final class Tally implements TileCutter.Events {
        private final TileCutter.Events events;
        private final AtomicLong written = new AtomicLong();
        private final AtomicLong background = new AtomicLong();
        private final AtomicLong present = new AtomicLong();
        private final AtomicInteger failures = new AtomicInteger();
        private final List<String> empty = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

        Tally(TileCutter.Events events) {
            this.events = events;
        }

        private void add(Counts c) {
            written.addAndGet(c.written());
            background.addAndGet(c.background());
            present.addAndGet(c.present());
        }

        @Override
        public void skipped(Path file, Counts c) {
            add(c);
            events.skipped(file, c);
        }

        @Override
        public void finished(Path file, Counts c, double seconds, String note) {
            add(c);
            if (note != null) {
                empty.add(note);
            }
            events.finished(file, c, seconds, note);
        }

        @Override
        public void failed(Path file, Throwable error, double seconds) {
            failures.incrementAndGet();
            events.failed(file, error, seconds);
        }

        @Override
        public boolean stopping() {
            return events.stopping();
        }

        int failures() {
            return failures.get();
        }

        /** Why the slides that gave no tiles gave none, one line each. */
        List<String> empty() {
            return List.copyOf(empty);
        }

        Counts total() {
            return new Counts(written.get(), background.get(), present.get());
        }
    }

    private SlideJob(Path file, Options options, Slide slide, Path dir, Tally tally) throws IOException {
        this.file = file;
        this.dir = dir;
        this.options = options;
        this.slide = slide;
        this.tally = tally;
        this.sourceMpp = sourceMpp();
        double d = options.targetMpp() / sourceMpp;
        this.cell = options.tile() * d;
        this.cols = (int) Math.floor(slide.width(0) / cell + 1e-9);
        this.rows = (int) Math.floor(slide.height(0) / cell + 1e-9);
        int level = level(slide, d);
        if (d < 1) {
            log.warn("{}: {} µm/px is finer than the image's {} µm/px; tiles are enlarged {}x", file,
                    fmt(options.targetMpp()), fmt(sourceMpp), fmt(1 / d));
        }
        this.tissue = options.minTissue() > 0 && cols * rows > 0 ? TissueDetector.detect(slide) : null;
        this.reader = new CellReader(slide, level, nominal(slide.downsample(level)), d, options.tile());
    }

    /** Opens {@code file} and prepares its grid; its tiles are to go to {@code dir}. */
    static SlideJob open(Path file, Options options, Path dir, Tally tally) throws IOException {
        Slide slide = Slides.open(file);
        try {
            return new SlideJob(file, options, slide, dir, tally);
        } catch (IOException | RuntimeException e) {
            slide.close();
            throw e;
        }
    }

    /**
     * Queues the tissue cells' tiles on {@code pool}, at most as many at a time as {@code permits}
     * allows; after the last one, the slide's completion marker (if it has tiles) and its outcome.
     */
    void submit(ExecutorService pool, Semaphore permits) throws InterruptedException {
        String name = SlideFiles.baseName(file);
        try {
            for (int cy = 0; cy < rows && failure.get() == null; cy++) {
                for (int cx = 0; cx < cols && failure.get() == null; cx++) {
                    double x = cx * cell;
                    double y = cy * cell;
                    if (tissue != null && tissue.fraction(x, y, cell, cell) < options.minTissue()) {
                        background++;
                        continue;
                    }
                    Path out = dir.resolve(name + "_" + cx + "_" + cy + ".png");
                    if (!options.overwrite() && Files.exists(out)) {
                        present++;
                        continue;
                    }
                    permits.acquire();
                    pending.incrementAndGet();
                    pool.execute(() -> {
                        try {
                            Png.write(out, reader.read(x, y));
                            written.incrementAndGet();
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            done();
                            permits.release();
                        }
                    });
                }
            }
        } finally {
            done();
        }
    }

    private void done() {
        if (pending.decrementAndGet() != 0) {
            return;
        }
        try {
            slide.close();
        } catch (IOException e) {
            failure.compareAndSet(null, e);
        }
        Counts c = new Counts(written.get(), background, present);
        double seconds = (System.nanoTime() - start) / 1e9;
        log.info("{}: {}x{} px at {} µm/px, level {} (downsample {}), {}x{} cells of {} px: {} written, {} background, "
                        + "{} already present ({} s{})", file, slide.width(0), slide.height(0), fmt(sourceMpp),
                reader.level(), fmt(slide.downsample(reader.level())), cols, rows, fmt(cell), c.written(),
                c.background(), c.present(), fmt(seconds),
                tissue == null ? "" : ", " + fmt(100 * tissue.tissueFraction()) + "% tissue");
        if (failure.get() != null) {
            tally.failed(file, failure.get(), seconds);
            return;
        }
        String note = null;
        if (cols * rows == 0) {
            note = tooSmall(file, slide.width(0), slide.height(0), sourceMpp, options);
        } else if (c.written() + c.present() == 0) {
            note = file + ": no tissue found (no " + options.tile() + "-px tile at " + plain(options.targetMpp())
                    + " µm/px has a tissue fraction of at least " + options.minTissue() + ")";
        }
        if (note != null) {
            log.warn("{}", note); // no marker: such a slide is cheap to look at again, and the next run says why again
        } else {
            try {
                TileCutter.writeMarker(dir, SlideFiles.baseName(file), c);
            } catch (IOException e) {
                tally.failed(file, e, seconds);
                return;
            }
        }
        tally.finished(file, c, seconds, note);
    }

    /** Why a slide gives no tiles at all: it is smaller than one tile at the target resolution. */
    static String tooSmall(Path file, int width, int height, double sourceMpp, Options options) {
        return file + " is " + width + "x" + height + " px at " + plain(sourceMpp) + " µm/px, smaller than one "
                + options.tile() + "-px tile at " + plain(options.targetMpp()) + " µm/px: no tiles";
    }

    /** A resolution as people write it: 0.25, 0.5, 1.2 (3 significant digits, no trailing zeros). */
    static String plain(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private double sourceMpp() {
        if (options.sourceMpp().isPresent()) {
            return options.sourceMpp().getAsDouble();
        }
        if (slide.mpp().isPresent()) {
            return slide.mpp().getAsDouble();
        }
        log.warn("{}: the file gives no resolution; assuming it is already at {} µm/px (set --source-mpp)",
                file, fmt(options.targetMpp()));
        return options.targetMpp();
    }

    /** The coarsest level whose downsample does not exceed {@code d}: the least data to read without losing detail. */
    static int level(Slide slide, double d) {
        int best = 0;
        for (int l = 1; l < slide.levels(); l++) {
            double ds = nominal(slide.downsample(l));
            if (ds <= d * (1 + 1e-9) && ds > nominal(slide.downsample(best))) {
                best = l;
            }
        }
        return best;
    }

    /** Pyramid levels of odd-sized slides are 2.0003x etc. coarser; within 1% the integer is meant. */
    static double nominal(double downsample) {
        double r = Math.rint(downsample);
        return Math.abs(downsample - r) <= 0.01 * downsample ? r : downsample;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 || v == Math.rint(v) ? "%.0f" : "%.3g", v);
    }
}
