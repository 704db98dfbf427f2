package org.unitpath.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.unitpath.data.SyntheticNuclei;
import org.unitpath.infer.NucleusClasses;
import org.unitpath.infer.SegmentOutputs;
import org.unitpath.infer.SegmenterWeights;
import org.unitpath.infer.SlideSegmenter;
import org.unitpath.io.RgbImage;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.TileSource;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Times {@code unitpath segment} as a whole: tiling, S, outlines, measurements and the four output files. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = "Megapixels per second of 'unitpath segment' (tiles, S, outlines, measurements, GeoJSON, label TIFF, "
                + "COCO and CSV written to a temporary folder) on a synthetic H&E-like image, median over runs. S is the "
                + "release network with random weights: the speed is that of a trained S, the nuclei it finds are not.")
final class BenchSegment implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    DeviceOption device;

    @Option(names = "--size", defaultValue = "2048", paramLabel = "PX", description = "Side of the image (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--tile", defaultValue = "512", paramLabel = "PX", description = "Tile side (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--overlap", defaultValue = "64", paramLabel = "PX", description = "Tile overlap (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iters", defaultValue = "3", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int iters;

    @Override
    public Integer call() throws IOException {
        if (size < 64 || tile < 64 || tile % 32 != 0 || overlap < 0 || overlap >= tile || iters < 1 || warmup < 0) {
            throw new IllegalArgumentException("need --size >= 64, --tile a multiple of 32 >= 64, 0 <= --overlap < --tile, "
                    + "--iters >= 1 and --warmup >= 0");
        }
        Torch.setThreads(((Main) spec.root().userObject()).threads);
        Device dev = device.get();
        Torch.seed(0);
        SegConfig config = SegConfig.release();
        SegmentationNetwork s = new SegmentationNetwork(config.withHeads(SegConfig.Heads.INSTANCE));
        s.to(dev);
        s.eval();
        SlideSegmenter segmenter = new SlideSegmenter(SegmenterWeights.detector(s, dev), tile, overlap);
        RgbImage image = SyntheticNuclei.generate(size, new SplittableRandom(0)).image();
        TileSource source = TileSource.ofRgb(size, size, (x, y, w, h) -> image.crop(x, y, w, h).rgb());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("bench segment: %dx%d synthetic image, tiles %d (overlap %d), S release size with RANDOM weights "
                + "(%.1fM parameters), device %s, %d threads%n", size, size, tile, overlap, s.parameterCount() / 1e6, dev,
                Torch.threads());
        out.flush();
        Path dir = Files.createTempDirectory("unitpath-bench-segment");
        try {
            double[] seconds = new double[iters];
            long nuclei = 0;
            for (int i = -warmup; i < iters; i++) {
                try (SegmentOutputs outputs = SegmentOutputs.open(dir, "bench", "bench.png", size, size, OptionalDouble.of(0.25),
                        NucleusClasses.defaults(config.roi().numClasses()))) {
                    long t0 = System.nanoTime();
                    SlideSegmenter.Summary r = segmenter.run(source, t -> true, outputs, (done, total, n) -> { });
                    outputs.commit();
                    if (i >= 0) {
                        seconds[i] = (System.nanoTime() - t0) / 1e9;
                        nuclei = r.nuclei();
                    }
                }
            }
            java.util.Arrays.sort(seconds);
            double median = seconds[iters / 2];
            out.printf(java.util.Locale.ROOT, "segment %dx%d: median %.2f s (min %.2f, max %.2f, %d runs)  %.3f Mpx/s, "
                    + "%d nuclei per run%n", size, size, median, seconds[0], seconds[iters - 1], iters,
                    (double) size * size / 1e6 / median, nuclei);
            out.flush();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        }
        return ExitCodes.OK;
    }
}
