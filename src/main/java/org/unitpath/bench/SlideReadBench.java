package org.unitpath.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.unitpath.io.slide.Slide;
import org.unitpath.io.slide.Slides;
import org.unitpath.report.ProcessMemory;

/**
 * Times region reads of one slide: {@code reads} regions of {@code size} px at random places of a
 * level (the same places every run, timed from opening the slide), spread over {@code threads}
 * threads, as tiling and segmentation read a slide. Reports the median over runs and the
 * process's peak resident memory.
 */
public final class SlideReadBench {
    /** The settings of one benchmark. */
    public record Settings(Path file, int level, int size, int reads, int threads, int warmup, int runs, long seed, boolean grid) {}

    /** Region reads per second and decoded megabytes (RGB) per second: median, min and max over the runs. */
    public record Result(String slide, int width, int height, int reads, double[] readsPerSecond, long peakRssBytes) {
        public double median() {
            double[] s = readsPerSecond.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }

        public double min() {
            return Arrays.stream(readsPerSecond).min().orElse(0);
        }

        public double max() {
            return Arrays.stream(readsPerSecond).max().orElse(0);
        }
    }

    private SlideReadBench() {}

    /** Each run opens the slide afresh, so that its decoded-tile cache starts empty, as a new job's would. */
    public static Result run(Settings s) throws Exception {
        int w;
        int h;
        try (Slide slide = Slides.open(s.file())) {
            if (s.level() < 0 || s.level() >= slide.levels()) {
                throw new IllegalArgumentException(s.file() + " has " + slide.levels() + " level(s), --level " + s.level()
                        + " does not exist");
            }
            w = slide.width(s.level());
            h = slide.height(s.level());
        }
        List<int[]> places = s.grid() ? grid(w, h, s) : random(w, h, s);
        double[] rates = new double[s.runs()];
        ExecutorService pool = Executors.newFixedThreadPool(s.threads());
        try {
            for (int run = -s.warmup(); run < s.runs(); run++) {
                long t0 = System.nanoTime();
                try (Slide slide = Slides.open(s.file())) {
                    List<Future<?>> done = new ArrayList<>();
                    for (int[] p : places) {
                        done.add(pool.submit(() -> slide.read(s.level(), p[0], p[1], s.size(), s.size())));
                    }
                    for (Future<?> f : done) {
                        f.get();
                    }
                }
                if (run >= 0) {
                    rates[run] = places.size() / ((System.nanoTime() - t0) / 1e9);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(s.file().getFileName().toString(), w, h, places.size(), rates, ProcessMemory.peak());
    }

    /** Random places, as segmentation's overlapping tiles and a viewer's panning read. */
    private static List<int[]> random(int w, int h, Settings s) {
        SplittableRandom rnd = new SplittableRandom(s.seed());
        List<int[]> places = new ArrayList<>();
        for (int i = 0; i < s.reads(); i++) {
            places.add(new int[] {rnd.nextInt(Math.max(1, w - s.size() + 1)), rnd.nextInt(Math.max(1, h - s.size() + 1))});
        }
        return places;
    }

    /** The first cells of a non-overlapping grid in reading order, as tiling reads a slide. */
    private static List<int[]> grid(int w, int h, Settings s) {
        List<int[]> places = new ArrayList<>();
        for (int y = 0; y + s.size() <= Math.max(h, s.size()) && places.size() < s.reads(); y += s.size()) {
            for (int x = 0; x + s.size() <= Math.max(w, s.size()) && places.size() < s.reads(); x += s.size()) {
                places.add(new int[] {x, y});
            }
        }
        return places;
    }
}
