package org.unitpath.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.unitpath.bench.SlideReadBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Wires {@code unitpath bench slide} to {@link SlideReadBench}. */
@Command(name = "slide", mixinStandardHelpOptions = true,
        description = "Region reads per second and decoded MB/s of a slide or image (random regions of one level, the same "
                + "ones every run, or a grid), median over runs, with the peak resident memory. Each run opens the slide afresh.")
final class BenchSlide implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A slide or image that unitpath reads.")
    Path file;

    @Option(names = "--level", defaultValue = "0", description = "Pyramid level (default: ${DEFAULT-VALUE}).")
    int level;

    @Option(names = "--size", defaultValue = "512", paramLabel = "PX", description = "Region side (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--reads", defaultValue = "64", description = "Regions per run (default: ${DEFAULT-VALUE}; a grid stops at the "
            + "level's edge).")
    int reads;

    @Option(names = "--read-threads", defaultValue = "1", paramLabel = "N",
            description = "Threads reading at once (default: ${DEFAULT-VALUE}).")
    int readThreads;

    @Option(names = "--grid", description = "Read a non-overlapping grid in reading order (as tiling does) instead of random "
            + "regions (as segmentation's overlapping tiles do).")
    boolean grid;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws Exception {
        if (size < 1 || reads < 1 || readThreads < 1 || runs < 1 || warmup < 0) {
            throw new IllegalArgumentException("need --size, --reads, --read-threads and --runs >= 1 and --warmup >= 0");
        }
        SlideReadBench.Result r = SlideReadBench.run(new SlideReadBench.Settings(file, level, size, reads, readThreads, warmup,
                runs, 0, grid));
        double mb = 3.0 * size * size / 1e6;
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "bench slide %s level %d (%dx%d): %d %s regions of %d px per run, %d thread(s)%n", r.slide(),
                level, r.width(), r.height(), r.reads(), grid ? "grid" : "random", size, readThreads);
        out.printf(Locale.ROOT, "  %.1f reads/s, %.1f MB/s decoded RGB (median of %d runs; min %.1f, max %.1f reads/s)%n",
                r.median(), r.median() * mb, runs, r.min(), r.max());
        out.printf(Locale.ROOT, "  peak RSS %.0f MB%n", r.peakRssBytes() / 1e6);
        out.flush();
        return ExitCodes.OK;
    }
}
