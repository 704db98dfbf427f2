package org.unitpath.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.Cohort;
import org.unitpath.data.CohortSummary;
import org.unitpath.data.SlideFiles;
import org.unitpath.data.TissueDetector;
import org.unitpath.infer.NucleusClasses;
import org.unitpath.infer.SegmentOutputs;
import org.unitpath.infer.SegmenterWeights;
import org.unitpath.infer.SlideSegmenter;
import org.unitpath.io.slide.Slide;
import org.unitpath.io.slide.Slides;
import org.unitpath.report.Progress;
import org.unitpath.seg.SegConfig;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.TileSource;
import org.unitpath.seg.TiledInference.Tile;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;
import org.unitpath.train.SettingsFromConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code unitpath segment}: nucleus instance segmentation of images and whole slides with S. */
@Command(name = "segment", mixinStandardHelpOptions = true,
        description = {"Find every nucleus in images and whole slides with a trained S (Mask R-CNN), tile by tile, and write "
                + "for each input NAME, in the --out folder:",
                "  NAME.geojson     the nuclei as QuPath detections (File > Import objects from file): outline, class, measurements",
                "  NAME.labels.tif  the label image: 32-bit, 0 = background, n = nucleus n (Fiji, QuPath, Python tifffile)",
"  NAME.coco.json   the nuclei as COCO instances with RLE masks and scores (pycocotools, Detectron2, unitpath evaluate)",
                "  NAME.csv         one row per nucleus: position, area, perimeter, shape, colour and stain measurements",
                "Inputs: PNG, JPEG, TIFF and whole-slide TIFF/SVS files, folders of them (--recursive: with subfolders) or "
                + "a --manifest CSV. Slides are read a tile at a time, never whole. Outputs appear only when an image is "
                + "finished; existing outputs are kept (--overwrite redoes them), so rerunning the command resumes an "
                + "interrupted batch. A slide that fails is reported and the others go on (exit code 3 at the end); "
                + "OUT/summary.csv has one row per slide.",
                "Micrometre measurements need the resolution: from the file (TIFF/SVS) or --mpp."})
final class SegmentCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(SegmentCommand.class);

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "IN", description = "Images, slides or folders of them.")
    List<Path> inputs;

    @Mixin
    CohortOptions cohort;

    @Option(names = "--weights", required = true, paramLabel = "S.pt",
            description = "Trained S with Detectron2 names (the S.pt pretraining or fine-tuning writes, or a Detectron2 "
                    + "Mask R-CNN checkpoint of the same architecture).")
    Path weights;

    @Option(names = "--config", paramLabel = "CFG",
            description = "The pretraining or fine-tuning YAML S was trained with, or a bundled one by name (quickstart, "
                    + "stage1, stage2, kumar, kumar-quickstart); default: the release network (ResNet-50-FPN-GN, one nucleus class).")
    String config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the outputs.")
    Path out;

    @Option(names = "--score-threshold", defaultValue = "0.5", paramLabel = "S",
            description = "Keep nuclei scored at least S, 0..1 (default: ${DEFAULT-VALUE}, the paper's).")
    double scoreThreshold;

    @Mixin
    DeviceOption device;

    @Option(names = "--tile", defaultValue = "512", paramLabel = "PX",
            description = "Side of the tiles S sees, a multiple of 32 (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--overlap", defaultValue = "64", paramLabel = "PX",
            description = "Overlap of neighbouring tiles; nuclei up to this size are never cut at tile seams "
                    + "(default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--mpp", paramLabel = "UM", description = "Micrometres per pixel of the inputs, overriding the files' own.")
    Double mpp;

    @Option(names = "--min-tissue", defaultValue = "0.05", paramLabel = "F",
            description = "Skip tiles whose core has less tissue than this fraction, 0..1 (glass, blank areas); 0 segments "
                    + "every tile (default: ${DEFAULT-VALUE}).")
    double minTissue;

    @Option(names = "--max-detections", defaultValue = "1000", paramLabel = "N",
            description = "Most nuclei S may report per tile (default: ${DEFAULT-VALUE}).")
    int maxDetections;

    @Option(names = "--classes", split = ",", paramLabel = "NAME",
            description = "Names of S's classes, comma-separated (default: Nucleus for one class, else Class 1, Class 2, ...).")
    List<String> classNames;

    @Option(names = "--overwrite", description = "Redo images whose outputs already exist.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        validate();
        Torch.setThreads(((Main) spec.root().userObject()).threads);
        Device dev = device.get();
        SegConfig segConfig = config == null ? SegConfig.release()
                : SettingsFromConfig.seg(BundledConfigs.load(config, List.of()));
        NucleusClasses classes = classNames == null ? NucleusClasses.defaults(segConfig.roi().numClasses())
                : new NucleusClasses(classNames);
        if (classes.names().size() != segConfig.roi().numClasses()) {
            throw new IllegalArgumentException("--classes names " + classes.names().size() + " classes, S has "
                    + segConfig.roi().numClasses());
        }
        CohortOptions.Listing listing = cohort.list(spec, inputs, Cohort.Folders.SLIDES);
        listing.cohort().requireDistinctNames(SlideFiles::baseName,
                n -> n + ".geojson; segment them into different --out folders", true);
        SegmentationNetwork s = SegmenterWeights.load(weights, segConfig, scoreThreshold, maxDetections, dev);
        SlideSegmenter segmenter = new SlideSegmenter(SegmenterWeights.detector(s, dev), tile, overlap);
        CohortSummary summary = cohort.summary(spec, listing, out);
        PrintWriter w = spec.commandLine().getOut();
        long nuclei = 0;
        double seconds = 0;
        double megapixels = 0;
        for (Path file : listing.paths()) {
            if (summary.stopping()) {
                break;
            }
            String name = SlideFiles.baseName(file);
            if (!overwrite && SegmentOutputs.files(out, name).stream().allMatch(Files::exists)) {
                w.printf("segment: %s: outputs exist, skipped (--overwrite redoes them)%n", name);
                w.flush();
                summary.skipped(file, null, null);
                continue;
            }
            long t0 = System.nanoTime();
            SlideSegmenter.Summary r;
            try {
                r = segment(segmenter, file, name, classes);
            } catch (IOException | RuntimeException e) {
                summary.failed(file, e, (System.nanoTime() - t0) / 1e9);
                continue;
            }
            summary.done(file, (long) r.tiles(), r.nuclei(), (System.nanoTime() - t0) / 1e9, null);
            nuclei += r.nuclei();
            seconds += r.seconds();
            megapixels += r.pixels() / 1e6;
            w.printf(Locale.ROOT, "segment: %s: %d nuclei in %.1f Mpx, %.1f s (%.2f Mpx/s), %d tiles segmented, %d background "
                    + "tiles skipped -> %s%n", name, r.nuclei(), r.pixels() / 1e6, r.seconds(), r.megapixelsPerSecond(),
                    r.tiles(), r.skippedTiles(), out.resolve(name + ".{geojson,labels.tif,coco.json,csv}"));
            w.flush();
        }
        if (summary.count(CohortSummary.Status.DONE) > 1) {
            w.printf(Locale.ROOT, "segment: %d nuclei in %.1f Mpx, %.1f s in all%n", nuclei, megapixels, seconds);
        }
        w.flush();
        return cohort.finish(spec, summary, "segment");
    }

    private void validate() {
        CommandLine cl = spec.commandLine();
        if (tile < 64 || tile % 32 != 0) {
            throw new CommandLine.ParameterException(cl, "--tile must be a multiple of 32 and at least 64, got " + tile);
        }
        if (overlap < 0 || overlap >= tile) {
            throw new CommandLine.ParameterException(cl, "--overlap must be at least 0 and smaller than --tile (" + tile
                    + "), got " + overlap);
        }
        if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
            throw new CommandLine.ParameterException(cl, "--score-threshold must be in [0, 1], got " + scoreThreshold);
        }
        if (!(minTissue >= 0 && minTissue <= 1)) {
            throw new CommandLine.ParameterException(cl, "--min-tissue must be in [0, 1], got " + minTissue);
        }
        if (mpp != null && !(mpp > 0 && mpp < 1000)) {
            throw new CommandLine.ParameterException(cl, "--mpp must be a positive number of micrometres per pixel, got " + mpp);
        }
        if (maxDetections < 1) {
            throw new CommandLine.ParameterException(cl, "--max-detections must be at least 1, got " + maxDetections);
        }
    }

    private SlideSegmenter.Summary segment(SlideSegmenter segmenter, Path file, String name, NucleusClasses classes)
            throws IOException {
        try (Slide slide = Slides.open(file)) {
            int width = slide.width(0);
            int height = slide.height(0);
            OptionalDouble resolution = mpp != null ? OptionalDouble.of(mpp) : slide.mpp();
            if (resolution.isEmpty()) {
                log.warn("{}: the file gives no resolution; measurements are in pixels only (set --mpp)", file);
            }
            Predicate<Tile> process = t -> true;
            if (minTissue > 0) {
                TissueDetector tissue = TissueDetector.detect(slide);
                process = SlideSegmenter.tissueFilter(tissue, minTissue, width, height);
            }
            TileSource source = TileSource.ofRgb(width, height, (x, y, w, h) -> slide.read(0, x, y, w, h).rgb());
            Progress progress = new Progress(Math.max(1, segmenter.tileCount(width, height)), 10, 1);
            try (SegmentOutputs outputs = SegmentOutputs.open(out, name, file.getFileName().toString(), width, height, resolution, classes)) {
                log.info("{}: {}x{} px{}", file, width, height, resolution.isPresent()
                        ? String.format(Locale.ROOT, " at %.4g µm/px", resolution.getAsDouble()) : "");
                SlideSegmenter.Summary r = segmenter.run(source, process, outputs,
                        (done, total, found) -> progress.update(done, Map.of("nuclei", found)));
                progress.finish();
                outputs.commit();
                return r;
            }
        }
    }
}
