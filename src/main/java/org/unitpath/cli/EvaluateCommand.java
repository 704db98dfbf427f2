package org.unitpath.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.eval.Evaluation;
import org.unitpath.eval.EvaluationInputs;
import org.unitpath.io.AtomicFiles;
import org.unitpath.report.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Scores nucleus instance segmentations against ground truth. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score nucleus instance segmentations against ground truth: Dice, AJI, AJI+, PQ (DQ, SQ), "
                + "detection F1, binary and multi-class PQ, and COCO AP for scored predictions.",
                "Ground truth and predictions are each a folder of instance maps, one instance map, or a COCO .json file. "
                + "Instance maps: .npy integer arrays, grey label images (PNG/TIFF, 8/16/32-bit, 0 = background) or "
                + "colour-coded PNG/TIFF (each colour one nucleus, black background). Images are matched by file name "
                + "without extension (for COCO files: the images' file_name).",
                "Ground truth may also be Aperio ImageScope XML (MoNuSeg): one .xml or a folder of them, converted as "
                + "'unitpath import monuseg' converts them and sized as the matching prediction.",
                "Predictions may also be a COCO detection results array (as Detectron2 writes): nuclei with score >= "
                + "--score-threshold are painted by decreasing score, each pixel keeping the first; COCO AP uses all of them.",
                "Multi-class metrics need classes on both sides: COCO categories, or --classes / --pred-classes tables "
                + "{\"<image>\": {\"<instance id>\": <class>}} for instance maps."})
final class EvaluateCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateCommand.class);

    enum Format { table, json }

    @ParentCommand
    Main main;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--truth", required = true, paramLabel = "DIR|FILE", description = "Ground truth: folder, instance map, COCO .json, or Aperio .xml (file or folder).")
    Path truth;

    @Option(names = "--pred", required = true, paramLabel = "DIR|FILE",
            description = "Predictions: folder, instance map, COCO .json or COCO results .json.")
    Path pred;

    @Option(names = "--classes", paramLabel = "FILE", description = "Classes of the ground-truth instance maps' nuclei (JSON).")
    Path classes;

    @Option(names = "--pred-classes", paramLabel = "FILE", description = "Classes of the predicted instance maps' nuclei (JSON).")
    Path predClasses;

    @Option(names = "--score-threshold", defaultValue = "0.5", paramLabel = "S",
            description = "Detections with a lower score are left out of the nucleus metrics (default: ${DEFAULT-VALUE}).")
    double scoreThreshold;

    @Option(names = "--max-dets", defaultValue = "100", paramLabel = "N",
            description = "COCO AP: detections per image, best first (default: ${DEFAULT-VALUE}; the paper used 1500).")
    int maxDets;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|json",
            description = "A readable table (default) or one JSON object with per-image rows.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of the terminal.")
    Path out;

    @Option(names = "--allow-missing", description = "Skip images present on one side only (default: an error).")
    boolean allowMissing;

    @Override
    public Integer call() throws Exception {
        if (!(scoreThreshold >= 0 && scoreThreshold <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--score-threshold must be in [0, 1], got " + scoreThreshold);
        }
        if (maxDets < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--max-dets must be >= 1, got " + maxDets);
        }
        EvaluationInputs.Matched matched = EvaluationInputs.match(truth, pred,
                new EvaluationInputs.Options(scoreThreshold, allowMissing, classes, predClasses));
        if (!matched.skipped().isEmpty()) {
            LOG.warn("skipped {} image(s) present on one side only: {}", matched.skipped().size(),
                    String.join(", ", matched.skipped().subList(0, Math.min(10, matched.skipped().size()))));
        }
        if (matched.images().isEmpty()) {
            throw new IllegalArgumentException("no image is in both " + truth + " and " + pred);
        }
        Evaluation.Report report = Evaluation.report(score(matched.images()), maxDets);
        String text = format == Format.json ? EvaluationOutput.json(report)
                : EvaluationOutput.table(report, "truth " + truth + ", prediction " + pred);
        PrintWriter w = spec.commandLine().getOut();
        if (out != null) {
            AtomicFiles.write(out, text.getBytes(StandardCharsets.UTF_8));
            w.println("evaluate: " + matched.images().size() + " images -> " + out);
        } else {
            w.print(text);
        }
        w.flush();
        return ExitCodes.OK;
    }

    /** Reads and scores the images on worker threads, keeping their order; only one image per worker is in memory. */
    private List<Evaluation.Scored> score(List<EvaluationInputs.Pending> images) throws Exception {
        int threads = main.threads > 0 ? main.threads : Runtime.getRuntime().availableProcessors();
        Progress progress = images.size() >= 20 ? new Progress(images.size(), images.size() / 20, 1) : null;
        AtomicInteger done = new AtomicInteger();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            List<Evaluation.Scored> scored = pool.submit(() -> IntStream.range(0, images.size()).parallel().mapToObj(i -> {
                EvaluationInputs.Pending p = images.get(i);
                try {
                    Evaluation.Scored s = Evaluation.score(p.id(), p.load());
                    if (progress != null) {
                        synchronized (progress) {
                            progress.update(done.incrementAndGet(), Map.of());
                        }
                    }
                    return s;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList()).get();
            if (progress != null) {
                progress.finish();
            }
            return scored;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw cause instanceof Exception x ? x : e;
        } finally {
            pool.shutdown();
        }
    }
}
