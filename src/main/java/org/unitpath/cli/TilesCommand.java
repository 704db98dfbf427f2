package org.unitpath.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.unitpath.data.Cohort;
import org.unitpath.data.CohortSummary;
import org.unitpath.data.SlideFiles;
import org.unitpath.data.TileCutter;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Cuts whole-slide images and ordinary images into domain-B training tiles. */
@Command(name = "tiles", mixinStandardHelpOptions = true,
        description = {"Cut real tissue images into domain-B tiles: OUT/<mag>x_<tile>/<name>_<col>_<row>.png, a grid of "
                + "non-overlapping tiles at the target resolution, keeping tiles with enough tissue.",
                "Reads TIFF / BigTIFF / Aperio SVS pyramids (tiled or striped; uncompressed, LZW, deflate or JPEG) without "
                + "loading them whole, and PNG / JPEG images. Folders are searched (with --recursive, their subfolders too) "
                + "for .svs .tif .tiff .png .jpg .jpeg .dcm .ndpi .vms .mrxs .scn .bif .svslide.",
                "After a slide's last tile, OUT/<mag>x_<tile>/.done/<name> marks it complete: a rerun skips complete slides "
                + "and keeps the tiles of the others, so it resumes an interrupted run. A slide that fails is reported and "
                + "the others go on (exit code 3 at the end). OUT/summary.csv has one row per slide.",
                "--threads N sets the number of worker threads (default: one per core)."})
final class TilesCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "Image files or folders of images.")
    List<Path> inputs;

    @Mixin
    CohortOptions cohort;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Dataset folder; tiles go to DIR/<mag>x_<tile>/.")
    Path out;

    @Option(names = "--tile", defaultValue = "256", paramLabel = "PX", description = "Tile side in pixels (default: ${DEFAULT-VALUE}).")
    int tile;

    static final class Resolution {
        @Option(names = "--mpp", paramLabel = "UM", description = "Target resolution in µm per pixel.")
        Double mpp;

        @Option(names = "--magnification", paramLabel = "X",
                description = "Target magnification, mpp = 10 / X: 40 is 0.25 µm/px, 20 is 0.5 (default: 40).")
        Double magnification;
    }

    @ArgGroup(exclusive = true)
    Resolution resolution;

    @Option(names = "--source-mpp", paramLabel = "UM",
            description = "Resolution of the inputs in µm per pixel, overriding the files' own (PNG/JPEG usually have "
                    + "none; then the target resolution is assumed, with a warning).")
    Double sourceMpp;

    @Option(names = "--min-tissue", defaultValue = "0.5", paramLabel = "F",
            description = "Fraction of tissue a tile needs, 0..1; 0 keeps every tile (default: ${DEFAULT-VALUE}).")
    double minTissue;

    @Option(names = "--overwrite", description = "Cut complete slides again and rewrite tiles that already exist "
            + "(default: keep and skip them).")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        double mpp = targetMpp();
        if (sourceMpp != null && !(sourceMpp > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--source-mpp must be positive, got " + sourceMpp);
        }
        if (!(minTissue >= 0 && minTissue <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--min-tissue must be in [0, 1], got " + minTissue);
        }
        if (tile < 16 || tile > 8192) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--tile must be 16..8192, got " + tile);
        }
        int threads = main.threads > 0 ? main.threads : Runtime.getRuntime().availableProcessors();
        TileCutter cutter = new TileCutter(new TileCutter.Options(tile, mpp,
                sourceMpp == null ? OptionalDouble.empty() : OptionalDouble.of(sourceMpp), minTissue, threads, overwrite));
        CohortOptions.Listing listing = cohort.list(spec, inputs, Cohort.Folders.SLIDES);
        listing.cohort().requireDistinctNames(SlideFiles::baseName, n -> "tiles named " + n + "_<x>_<y>.png; rename one",
                false);
        List<Path> files = listing.paths();
        CohortSummary summary = cohort.summary(spec, listing, out);
        long t0 = System.nanoTime();
        TileCutter.Counts c;
        try {
            c = cutter.cutAll(files, out, events(summary));
        } catch (IOException | InterruptedException | RuntimeException e) {
            CohortOptions.writeAfter(summary, e);
            throw e;
        }
        double s = (System.nanoTime() - t0) / 1e9;
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "tiles: %d written, %d background, %d already present from %d image%s in %.1f s (%.0f tiles/s) -> %s%n",
                c.written(), c.background(), c.present(), files.size(), files.size() == 1 ? "" : "s", s,
                c.written() / Math.max(s, 1e-3), out.resolve(cutter.scaleName()));
        w.flush();
        return cohort.finish(spec, summary, "tiles");
    }

    /** The cutter's per-slide outcomes as summary rows: tiles are those on disk, written now or before. */
    private static TileCutter.Events events(CohortSummary summary) {
        return new TileCutter.Events() {
            @Override
            public void skipped(Path file, TileCutter.Counts c) {
                summary.skipped(file, c.written() + c.present(), null);
            }

            @Override
            public void finished(Path file, TileCutter.Counts c, double seconds, String note) {
                summary.done(file, c.written() + c.present(), null, seconds, note);
            }

            @Override
            public void failed(Path file, Throwable error, double seconds) {
                summary.failed(file, error, seconds);
            }

            @Override
            public boolean stopping() {
                return summary.stopping();
            }
        };
    }

    private double targetMpp() {
        if (resolution != null && resolution.mpp != null) {
            if (!(resolution.mpp > 0)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--mpp must be positive, got " + resolution.mpp);
            }
            return resolution.mpp;
        }
        double mag = resolution != null && resolution.magnification != null ? resolution.magnification : 40;
        if (!(mag > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--magnification must be positive, got " + mag);
        }
        return 10 / mag;
    }
}
