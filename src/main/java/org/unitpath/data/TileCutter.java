package org.unitpath.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.slide.Slides;

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

    /**
     * Checks that every file opens, then cuts them in order, preparing each next slide while the
     * pool still writes the previous one's tiles; fails when no file has any tissue.
     */
    public Counts cutAll(List<Path> files, Path root) throws IOException, InterruptedException {
        for (Path f : files) {
            Slides.open(f).close();
        }
        Path dir = root.resolve(scaleName());
        Files.createDirectories(dir);
        removeStaleTemporaries(dir, files);
        log.info("cutting {} image{} into {} with {} thread{}", files.size(), files.size() == 1 ? "" : "s", dir,
                options.threads(), options.threads() == 1 ? "" : "s");
        int inFlight = 2 * options.threads();
        Semaphore permits = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), daemonThreads());
        SlideJob.Tally tally = new SlideJob.Tally();
        try {
            for (Path f : files) {
                if (failure.get() != null) {
                    break;
                }
                SlideJob.open(f, options, tally).submit(dir, pool, permits, failure);
            }
        } finally {
            permits.acquireUninterruptibly(inFlight);
            pool.shutdownNow();
        }
        rethrow(failure.get());
        Counts total = tally.total();
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

    /** Temporary files that a killed run left behind (see AtomicFiles) for these inputs' tiles. */
    private static void removeStaleTemporaries(Path dir, List<Path> files) throws IOException {
        Set<String> names = new HashSet<>();
        files.forEach(f -> names.add(SlideFiles.baseName(f)));
        int removed = 0;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, ".*.png*.tmp")) {
            for (Path p : stream) {
                String n = p.getFileName().toString();
                int cut = n.lastIndexOf('_', n.lastIndexOf('_') - 1);
                if (cut > 1 && names.contains(n.substring(1, cut)) && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        if (removed > 0) {
            log.info("{}: removed {} temporary files left by an interrupted run", dir, removed);
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
}
