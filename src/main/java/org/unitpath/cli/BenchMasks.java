package org.unitpath.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unitpath.data.MaskDatasetWriter;
import org.unitpath.masks.MaskConfig;
import org.unitpath.masks.MaskFormat;
import org.unitpath.masks.MaskGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Throughput of mask synthesis including writing tiles and instance maps, per thread. */
@Command(name = "masks", mixinStandardHelpOptions = true,
        description = "Tiles per second of `unitpath masks` (default settings, files written to a temporary folder).")
final class BenchMasks implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--count", defaultValue = "512", description = "Tiles per run (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--runs", defaultValue = "5", description = "Timed runs; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call() throws IOException {
        if (count < 16 || runs < 1) {
            throw new IllegalArgumentException("need --count >= 16 and --runs >= 1");
        }
        int threads = ((Main) spec.root().userObject()).threads;
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        MaskConfig cfg = MaskConfig.defaults();
        int canvases = (count + cfg.tilesPerCanvas() - 1) / cfg.tilesPerCanvas();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("bench masks: %d tiles of 256 px per run (%d canvases of 1024), multichannel, %d threads%n",
                canvases * cfg.tilesPerCanvas(), canvases, workers);
        double[] rates = new double[runs];
        for (int r = 0; r < runs; r++) {
            Path dir = Files.createTempDirectory("unitpath-bench-masks");
            try {
                MaskDatasetWriter.Result res = new MaskDatasetWriter(new MaskGenerator(cfg, r), MaskFormat.MULTICHANNEL,
                        dir, "40x_256").write(canvases, workers);
                rates[r] = canvases * cfg.tilesPerCanvas() / res.seconds();
                out.printf("run %d: %.1f tiles/s%n", r + 1, rates[r]);
                out.flush();
            } finally {
                Tempdirs.delete(dir);
            }
        }
        java.util.Arrays.sort(rates);
        double median = rates[runs / 2];
        out.printf("median %.1f tiles/s = %.1f tiles/s per thread%n", median, median / workers);
        return ExitCodes.OK;
    }
}
