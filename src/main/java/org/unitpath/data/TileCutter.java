package org.unitpath.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.AtomicFiles;

/**
 * Cuts slides into the domain-B tiles of the training set: a non-overlapping grid of
 * {@code tile}-pixel cells at the target resolution (partial cells at the right and bottom are
 * left out), each cell with enough tissue read from the finest-needed pyramid level, resized and
 * written to {@code <root>/<mag>x_<tile>/<name>_<col>_<row>.png}. Work streams through a bounded
 * pool with a bounded queue, so memory stays at a few tiles per thread whatever the slide size.
 * A slide's completion marker is written after its last tile; slides with one are skipped, and
 * existing tiles of the others are kept (unless {@code overwrite}), so an interrupted run resumes.
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
     * What happens to each slide of {@link #cutAll(List, Path, Events)}: told once per slide, from
     * whichever thread ends it, so implementations must be thread-safe.
     */
    public interface Events {
        /** Its completion marker says an earlier run wrote all its tiles; {@code counts} are that run's. */
        void skipped(Path file, Counts counts);

        /** All its tiles are on disk; {@code note} says why it gave none (else null). */
        void finished(Path file, Counts counts, double seconds, String note);

        /** It could not be read or cut; it has no completion marker, so the next run tries it again. */
        void failed(Path file, Throwable error, double seconds);

        /** Asked before each slide: whether to start no more. */
        boolean stopping();
    }

    /** Cuts {@code files} into {@code root}, stopping at the first failure and throwing it. */
    public Counts cutAll(List<Path> files, Path root) throws IOException, InterruptedException {
        AtomicReference<Throwable> first = new AtomicReference<>();
        Counts c = cutAll(files, root, new Events() {
            @Override
            public void skipped(Path file, Counts counts) {}

            @Override
            public void finished(Path file, Counts counts, double seconds, String note) {}

            @Override
            public void failed(Path file, Throwable error, double seconds) {
                first.compareAndSet(null, error);
            }

            @Override
            public boolean stopping() {
                return first.get() != null;
            }
        });
        rethrow(first.get());
        return c;
    }

    /**
     * Cuts the files in order, preparing each next slide while the pool still writes the previous
     * one's tiles. A slide whose completion marker exists is skipped (unless {@code overwrite}); a
     * slide that fails is reported to {@code events} and the others go on. Fails when no slide
     * failed and none has a tile, saying why.
     */
    public Counts cutAll(List<Path> files, Path root, Events events) throws IOException, InterruptedException {
        Path dir = root.resolve(scaleName());
        Files.createDirectories(dir);
        removeStaleTemporaries(dir, files);
        log.info("cutting {} image{} into {} with {} thread{}", files.size(), files.size() == 1 ? "" : "s", dir,
                options.threads(), options.threads() == 1 ? "" : "s");
        int inFlight = 2 * options.threads();
        Semaphore permits = new Semaphore(inFlight);
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), daemonThreads());
        SlideJob.Tally tally = new SlideJob.Tally(events);
        try {
            for (Path f : files) {
                if (tally.stopping()) {
                    break;
                }
                Optional<Counts> done = options.overwrite() ? Optional.empty() : readMarker(dir, SlideFiles.baseName(f));
                if (done.isPresent()) {
                    log.info("{}: its tiles are complete ({}), skipped", f, marker(dir, SlideFiles.baseName(f)));
                    tally.skipped(f, done.get());
                    continue;
                }
                long t0 = System.nanoTime();
                SlideJob job;
                try {
                    job = SlideJob.open(f, options, dir, tally);
                } catch (IOException | RuntimeException e) {
                    tally.failed(f, e, (System.nanoTime() - t0) / 1e9);
                    continue;
                }
                job.submit(pool, permits);
            }
        } finally {
            permits.acquireUninterruptibly(inFlight);
            pool.shutdownNow();
        }
        Counts total = tally.total();
        log.info("all {} image{}: {} tiles written, {} background cells skipped, {} tiles already present in {}", files.size(),
                files.size() == 1 ? "" : "s", total.written(), total.background(), total.present(), dir);
        List<String> empty = tally.empty();
        if (tally.failures() == 0 && !files.isEmpty() && total.written() + total.present() == 0 && !empty.isEmpty()) {
            throw new IOException(empty.size() == 1 ? empty.get(0) : files.get(0) + " and " + (files.size() - 1)
                    + " more image" + (files.size() > 2 ? "s" : "") + " gave no tiles, e.g. " + empty.get(0));
        }
        return total;
    }

    /** The file that says a slide's tiles are all written, {@code <scale>/.done/<name>}, written after its last tile. */
    static Path marker(Path dir, String name) {
        return dir.resolve(".done").resolve(name);
    }

    static void writeMarker(Path dir, String name, Counts c) throws IOException {
        String text = "tiles,background\n" + (c.written() + c.present()) + "," + c.background() + "\n";
        AtomicFiles.write(marker(dir, name), text.getBytes(StandardCharsets.UTF_8));
    }

    /** The counts a marker holds as tiles present; empty without a marker, or with one that is not ours (then redone). */
    static Optional<Counts> readMarker(Path dir, String name) throws IOException {
        Path m = marker(dir, name);
        if (!Files.isRegularFile(m)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(m, StandardCharsets.UTF_8);
        try {
            String[] v = lines.get(1).split(",");
            return Optional.of(new Counts(0, Long.parseLong(v[1].strip()), Long.parseLong(v[0].strip())));
        } catch (RuntimeException e) {
            log.warn("{}: not a completion marker of unitpath tiles; the slide is cut again", m);
            return Optional.empty();
        }
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
