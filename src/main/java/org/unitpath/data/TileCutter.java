package org.unitpath.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.io.Slide;
import org.unitpath.io.Slides;

/**
 * Cuts slides into the domain-B tiles of the training set: a non-overlapping grid of
 * {@code tile}-pixel cells at the target resolution (partial cells at the right and bottom are
 * left out), each cell with enough tissue read from the finest-needed pyramid level, resized and
 * written to {@code <root>/<mag>x_<tile>/<name>_<col>_<row>.png}. Work streams through a bounded
 * pool with a bounded queue, so memory stays at a few tiles per thread whatever the slide size.
 * Existing tiles are kept unless {@code overwrite}, so an interrupted run resumes.
 */
public final class TileCutter {
    private static final Logger log = LoggerFactory.getLogger(TileCutter.class);

    /** Tile side, target µm/px, the input's µm/px if known better than the file, min tissue fraction, threads. */
    public record Options(int tile, double targetMpp, OptionalDouble sourceMpp, double minTissue, int threads,
                          boolean overwrite) {
        public Options {
            if (tile < 16 || tile > 8192) {
                throw new IllegalArgumentException("tile side must be 16..8192 px, got " + tile);
            }
            if (!(targetMpp > 0) || sourceMpp.isPresent() && !(sourceMpp.getAsDouble() > 0)) {
                throw new IllegalArgumentException("µm per pixel must be positive");
            }
            if (!(minTissue >= 0 && minTissue <= 1)) {
                throw new IllegalArgumentException("minimum tissue fraction must be in [0, 1], got " + minTissue);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
        }
    }

    /** Tiles written, cells skipped as background, tiles already on disk. */
    public record Counts(long written, long background, long present) {
        public Counts plus(Counts o) {
            return new Counts(written + o.written, background + o.background, present + o.present);
        }
    }

    private final Options options;

    public TileCutter(Options options) {
        this.options = options;
    }

    /** The scale folder, {@code <round(10 / mpp)>x_<tile>}: 0.25 µm/px with 256-px tiles is {@code 40x_256}. */
    public String scaleName() {
        return Math.round(10 / options.targetMpp()) + "x_" + options.tile();
    }

    /** Checks that every file opens, then cuts them one after another; fails when no file has any tissue. */
    public Counts cutAll(List<Path> files, Path root) throws IOException, InterruptedException {
        for (Path f : files) {
            Slides.open(f).close();
        }
        Path dir = root.resolve(scaleName());
        Files.createDirectories(dir);
        removeStaleTemporaries(dir, files);
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), daemonThreads());
        Counts total = new Counts(0, 0, 0);
        try {
            for (Path f : files) {
                total = total.plus(cut(f, dir, pool));
            }
        } finally {
            pool.shutdownNow();
        }
        log.info("all {} image{}: {} tiles written, {} background cells skipped, {} tiles already present in {}", files.size(),
                files.size() == 1 ? "" : "s", total.written(), total.background(), total.present(), dir);
        if (total.written() + total.present() == 0) {
            String what = files.size() == 1 ? files.get(0).toString()
                    : files.get(0) + " and " + (files.size() - 1) + " more image" + (files.size() > 2 ? "s" : "");
            throw new IOException(what + ": no tissue found (no " + options.tile() + "-px tile at " + scaleName()
                    + " has a tissue fraction of at least " + options.minTissue() + ")");
        }
        return total;
    }

    private Counts cut(Path file, Path dir, ExecutorService pool) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        try (Slide slide = Slides.open(file)) {
            double sourceMpp = sourceMpp(slide);
            double d = options.targetMpp() / sourceMpp;
            double cell = options.tile() * d;
            int cols = (int) Math.floor(slide.width(0) / cell + 1e-9);
            int rows = (int) Math.floor(slide.height(0) / cell + 1e-9);
            int level = level(slide, d);
            if (d < 1) {
                log.warn("{}: {} µm/px is finer than the image's {} µm/px; tiles are enlarged {}x", file,
                        fmt(options.targetMpp()), fmt(sourceMpp), fmt(1 / d));
            }
            TissueDetector tissue = options.minTissue() > 0 && cols * rows > 0 ? TissueDetector.detect(slide) : null;
            String name = SlideFiles.baseName(file);
            CellReader reader = new CellReader(slide, level, nominal(slide.downsample(level)), d, options.tile());
            int inFlight = 2 * options.threads();
            Semaphore permits = new Semaphore(inFlight);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong written = new AtomicLong();
            long background = 0;
            long present = 0;
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
                    pool.execute(() -> {
                        try {
                            Png.write(out, reader.read(x, y));
                            written.incrementAndGet();
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            permits.release();
                        }
                    });
                }
            }
            permits.acquire(inFlight);
            rethrow(failure.get());
            Counts counts = new Counts(written.get(), background, present);
            double s = (System.nanoTime() - t0) / 1e9;
            log.info("{}: {}x{} px at {} µm/px, level {} (downsample {}), {}x{} cells of {} px: {} written, {} background, "
                            + "{} already present ({} s{})", file, slide.width(0), slide.height(0), fmt(sourceMpp), level,
                    fmt(slide.downsample(level)), cols, rows, fmt(cell), counts.written(), counts.background(),
                    counts.present(), fmt(s), tissue == null ? "" : ", " + fmt(100 * tissue.tissueFraction()) + "% tissue");
            if (cols * rows == 0) {
                log.warn("{}: {}x{} px is smaller than one {}-px tile at {}", file, slide.width(0), slide.height(0),
                        options.tile(), scaleName());
            } else if (counts.written() + counts.present() == 0) {
                log.warn("{}: no tissue found", file);
            }
            return counts;
        }
    }

    private double sourceMpp(Slide slide) {
        if (options.sourceMpp().isPresent()) {
            return options.sourceMpp().getAsDouble();
        }
        if (slide.mpp().isPresent()) {
            return slide.mpp().getAsDouble();
        }
        log.warn("{}: the file gives no resolution; assuming it is already at {} µm/px (set --source-mpp)",
                slide.file(), fmt(options.targetMpp()));
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

    /** Temporary files that a killed run left behind (see AtomicFiles) for these inputs' tiles. */
    private static void removeStaleTemporaries(Path dir, List<Path> files) throws IOException {
        Set<String> names = new HashSet<>();
        files.forEach(f -> names.add(SlideFiles.baseName(f)));
        AtomicInteger removed = new AtomicInteger();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, ".*.png*.tmp")) {
            for (Path p : stream) {
                String n = p.getFileName().toString();
                int cut = n.lastIndexOf('_', n.lastIndexOf('_') - 1);
                if (cut > 1 && names.contains(n.substring(1, cut)) && Files.deleteIfExists(p)) {
                    removed.incrementAndGet();
                }
            }
        }
        if (removed.get() > 0) {
            log.info("{}: removed {} temporary files left by an interrupted run", dir, removed.get());
        }
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException e) {
            throw e;
        }
        if (t instanceof UncheckedIOException e) {
            throw e.getCause();
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tiles-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 || v == Math.rint(v) ? "%.0f" : "%.3g", v);
    }

    /** Reads one grid cell from the chosen level and brings it to the tile size. */
    private record CellReader(Slide slide, int level, double downsample, double d, int tile) {
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
}
