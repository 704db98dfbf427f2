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
import org.unitpath.data.TileCutter;
import org.unitpath.torch.Device;
import org.unitpath.transfer.Embedder;
import org.unitpath.transfer.FeatureExtractor;
import org.unitpath.transfer.TrunkWeights;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Tile features of folders of tiles and of slides, for MIL and other downstream models. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = {"Compute tile features with the pretrained trunk: the global average pool of its last stage "
                + "(2048 numbers per tile for a ResNet-50), from RGB tiles resized to --size and normalised with "
                + "mean = std = 0.5.",
                "Each INPUT is a folder of tiles (e.g. one written by 'unitpath tiles') or a slide / large image "
                + "(.svs .tif .tiff .png .jpg), whose tissue tiles are cut on the fly at --magnification (or --mpp) as "
                + "'unitpath tiles' would cut them. Per input it writes OUT/<name>.npy (float32, tiles x features; "
                + "numpy.load reads it), OUT/<name>.tiles.csv (index,file,col,row,x,y,size: which tile each row is; x, y "
                + "and size in level-0 pixels for slides) and with --csv OUT/<name>.csv.",
                "Inputs whose outputs exist are skipped, so rerunning resumes an interrupted run. An input that fails is "
                + "reported and the others go on (exit code 3 at the end); OUT/summary.csv has one row per input.",
                "With --recursive, folders are searched (with their subfolders) for slides, each slide one input, instead "
                + "of being read as folders of tiles. --manifest rows may name slides or folders of tiles."})
final class EmbedCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    FeatureOptions features;

    @Parameters(arity = "0..*", paramLabel = "INPUT", description = "Folders of tiles, or slides.")
    List<Path> inputs;

    @Mixin
    CohortOptions cohort;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the feature files.")
    Path out;

    @Option(names = "--csv", description = "Also write the features as CSV (large: about 20 bytes per number).")
    boolean csv;

    @Option(names = "--magnification", defaultValue = "40", paramLabel = "X",
            description = "Slides only: tile resolution, mpp = 10 / X (default: ${DEFAULT-VALUE}, 0.25 µm/px).")
    double magnification;

    @Option(names = "--mpp", paramLabel = "UM", description = "Slides only: tile resolution in µm per pixel (overrides --magnification).")
    Double mpp;

    @Option(names = "--source-mpp", paramLabel = "UM", description = "Slides only: their resolution when the files do not say.")
    Double sourceMpp;

    @Option(names = "--tile", defaultValue = "256", paramLabel = "PX", description = "Slides only: tile side (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--min-tissue", defaultValue = "0.5", paramLabel = "F",
            description = "Slides only: fraction of tissue a tile needs, 0..1 (default: ${DEFAULT-VALUE}).")
    double minTissue;

    @Override
    public Integer call() throws Exception {
        int threads = ((Main) spec.root().userObject()).threads;
        Device device = features.setUp(threads);
        double target = mpp != null ? mpp : 10 / magnification;
        if (!(target > 0) || !(magnification > 0)) {
            throw new IllegalArgumentException("--mpp and --magnification must be positive");
        }
        TileCutter.Options tiling = new TileCutter.Options(tile, target,
                sourceMpp == null ? OptionalDouble.empty() : OptionalDouble.of(sourceMpp), minTissue, 1, false);
        // a folder is one input, a folder of tiles, unless --recursive asks for the slides inside it
        CohortOptions.Listing listing = cohort.list(spec, inputs, cohort.recursive ? Cohort.Folders.SLIDES
                : Cohort.Folders.TILE_FOLDERS);
        listing.cohort().requireDistinctNames(Embedder::outputName,
                n -> n + ".npy; embed them into different --out folders", csv);
        TrunkWeights.Loaded trunk = TrunkWeights.load(features.weights);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("embed: %s from %s on %s%n", trunk.describe(), features.weights, device);
        w.flush();
        FeatureExtractor fx = new FeatureExtractor(trunk.trunk(), device, features.size, features.batch,
                FeatureOptions.decodeThreads(threads));
        Embedder embedder = new Embedder(fx, new Embedder.Options(csv, tiling));
        CohortSummary summary = cohort.summary(spec, listing, out);
        long t0 = System.nanoTime();
        int tiles = 0;
        for (Path in : listing.paths()) {
            if (summary.stopping()) {
                break;
            }
            long start = System.nanoTime();
            Embedder.Result r;
            try {
                r = embedder.embed(in, out);
            } catch (IOException | RuntimeException e) {
                summary.failed(in, e, (System.nanoTime() - start) / 1e9);
                continue;
            }
            if (r.skipped()) {
                summary.skipped(in, (long) r.rows(), null);
            } else {
                summary.done(in, (long) r.rows(), null, (System.nanoTime() - start) / 1e9, r.note());
                tiles += r.rows();
            }
            w.printf("%s: %d tiles -> %s%s%n", r.input(), r.rows(), r.features(), r.skipped() ? " (already there, skipped)" : "");
            w.flush();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        w.printf(Locale.ROOT, "embed: %d tiles in %.1f s (%.1f tiles/s), %d-d features%n", tiles, s, tiles / Math.max(s, 1e-3),
                fx.features());
        w.flush();
        return cohort.finish(spec, summary, "embed");
    }
}
