package org.unitpath.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unitpath.data.MaskDatasetWriter;
import org.unitpath.masks.Distribution;
import org.unitpath.masks.MaskConfig;
import org.unitpath.masks.MaskFormat;
import org.unitpath.masks.MaskGenerator;
import org.unitpath.masks.Range;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Synthesises a domain-A dataset of pseudo nucleus masks. */
@Command(name = "masks", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Synthesise pseudo nucleus mask images with known instance maps (domain A).",
                "Writes OUT/<mag>x_<tile>/<id>_<x>_<y>.png, OUT/cell_mask/<id>.npy (int32 instance map of each canvas), "
                + "OUT/stats.json (measured statistics) and OUT/preview.png. Ranges are MIN:MAX in pixels at 40x."})
final class MasksCommand implements Callable<Integer> {
    static final class RangeConverter implements ITypeConverter<Range> {
        @Override
        public Range convert(String value) {
            return Range.parse(value);
        }
    }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, description = "Output dataset folder.")
    Path out;

    @Option(names = "--count", defaultValue = "256", description = "Number of tiles, rounded up to whole canvases (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed; the same seed gives the same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--format", defaultValue = "multichannel", description = "multichannel, 2channel, grey or binary (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--distribution", defaultValue = "colon", description = "colon or random (default: ${DEFAULT-VALUE}).")
    String distribution;

    @Option(names = "--canvas", defaultValue = "1024", description = "Canvas side in pixels (default: ${DEFAULT-VALUE}).")
    int canvas;

    @Option(names = "--tile", defaultValue = "256", description = "Tile side in pixels (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--magnification", defaultValue = "40", description = "Magnification the sizes refer to; names the scale folder (default: ${DEFAULT-VALUE}).")
    int magnification;

    @Option(names = "--nuclei-per-tile", defaultValue = "7:18", converter = RangeConverter.class, description = "Nuclei (centres) per tile area (default: ${DEFAULT-VALUE}).")
    Range nucleiPerTile;

    @Option(names = "--arranged-share", defaultValue = "0.35:0.65", converter = RangeConverter.class, description = "Share of epithelial (arranged, blue) nuclei (default: ${DEFAULT-VALUE}).")
    Range arrangedShare;

    @Option(names = "--round-diameter", defaultValue = "20:32", converter = RangeConverter.class, description = "Round scattered nuclei (default: ${DEFAULT-VALUE}).")
    Range roundDiameter;

    @Option(names = "--spindle-length", defaultValue = "30:56", converter = RangeConverter.class, description = "Spindle nuclei length (default: ${DEFAULT-VALUE}).")
    Range spindleLength;

    @Option(names = "--spindle-width", defaultValue = "9:14", converter = RangeConverter.class, description = "Spindle nuclei width (default: ${DEFAULT-VALUE}).")
    Range spindleWidth;

    @Option(names = "--spindle-share", defaultValue = "0.3", description = "Share of scattered nuclei that are spindles (default: ${DEFAULT-VALUE}).")
    double spindleShare;

    @Option(names = "--arranged-major", defaultValue = "36:60", converter = RangeConverter.class, description = "Epithelial nuclei length (default: ${DEFAULT-VALUE}).")
    Range arrangedMajor;

    @Option(names = "--arranged-minor", defaultValue = "18:30", converter = RangeConverter.class, description = "Epithelial nuclei width (default: ${DEFAULT-VALUE}).")
    Range arrangedMinor;

    @Option(names = "--boundary-noise", defaultValue = "0.12", description = "Relative amplitude of outline irregularity (default: ${DEFAULT-VALUE}).")
    double boundaryNoise;

    @Option(names = "--gland-radius", defaultValue = "80:300", converter = RangeConverter.class, description = "Radius of gland-like curves (default: ${DEFAULT-VALUE}).")
    Range glandRadius;

    @Option(names = "--open-gland-share", defaultValue = "0.3", description = "Share of gland curves that are open arcs (default: ${DEFAULT-VALUE}).")
    double openGlandShare;

    @Option(names = "--texture", defaultValue = "60:170", converter = RangeConverter.class, description = "Grey levels of the nuclear fill (default: ${DEFAULT-VALUE}).")
    Range texture;

    @Option(names = "--max-overlap", defaultValue = "0.05", description = "Fraction of a scattered nucleus that may cover earlier ones (default: ${DEFAULT-VALUE}).")
    double maxOverlap;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, got " + count);
        }
        if (magnification < 1) {
            throw new IllegalArgumentException("--magnification must be >= 1, got " + magnification);
        }
        MaskConfig cfg = new MaskConfig(canvas, tile, Distribution.parse(distribution), nucleiPerTile, arrangedShare,
                roundDiameter, spindleLength, spindleWidth, spindleShare, arrangedMajor, arrangedMinor, boundaryNoise,
                glandRadius, openGlandShare, texture, maxOverlap);
        int canvases = (count + cfg.tilesPerCanvas() - 1) / cfg.tilesPerCanvas();
        int threads = ((Main) spec.root().userObject()).threads;
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        String scale = magnification + "x_" + tile;
        MaskDatasetWriter writer = new MaskDatasetWriter(new MaskGenerator(cfg, seed), MaskFormat.parse(format), out, scale);
        MaskDatasetWriter.Result r = writer.write(canvases, workers);
        spec.commandLine().getOut().printf("masks: %d canvases, %d tiles written (%d already present) to %s in %.1f s "
                        + "(%.0f tiles/s on %d threads); statistics in %s%n", r.canvases(), r.tilesWritten(), r.tilesKept(),
                out.resolve(scale), r.seconds(), canvases * cfg.tilesPerCanvas() / r.seconds(), workers, r.stats());
        return ExitCodes.OK;
    }
}
