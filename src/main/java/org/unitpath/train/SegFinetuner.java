package org.unitpath.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.NucleusCrops;
import org.unitpath.data.NucleusImage;
import org.unitpath.optim.Sgd;
import org.unitpath.report.MetricsLog;
import org.unitpath.report.Progress;
import org.unitpath.seg.GtInstances;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;

/**
 * Fine-tunes S for nucleus instance segmentation (docs/method.md 6.2): random crops of the training
 * images, Mask R-CNN (+ semantic) losses, Detectron2's SGD and schedule; evaluates the whole
 * validation and test images every TEST.EVAL_PERIOD iterations and keeps the best weights by
 * TEST.BEST_METRIC on validation ({@link ModelSelection}).
 * Checkpoints are atomic and a run resumes exactly (per-iteration seeds).
 */
public final class SegFinetuner {
    private static final Logger log = LoggerFactory.getLogger(SegFinetuner.class);
    public static final String BEST = "model_best.pt";
    public static final String FINAL = "model_final.pt";

    /**
     * Where the run ended, the evaluation whose weights are model_best.pt ({@code chosenBy} "val_aji",
     * or "last" without a validation set; null when none was chosen) and the last evaluation.
     */
    public record Result(long iterations, boolean interrupted, Path outputDir, String chosenBy, ModelSelection.Point chosen,
            ModelSelection.Point last) {}

    private final SegFinetuneSettings st;
    private final String configYaml;

    public SegFinetuner(SegFinetuneSettings settings, String configYaml) {
        this.st = settings;
        this.configYaml = configYaml;
    }

    public Result run(boolean resume) throws IOException {
        Device device = Device.parse(st.device());
        Torch.seed(st.seed());
        Files.createDirectories(st.outputDir());
        List<NucleusImage> all = NucleusImage.loadCoco(st.trainJson(), st.trainImages());
        List<NucleusImage> val = List.of();
        if (st.valFraction() > 0) {
            ValidationSplit.Parts parts = ValidationSplit.of(all, st.valFraction(), st.valSeed(), st.trainJson());
            ValidationSplit.record(st.outputDir(), parts, st.valFraction(), st.valSeed(), st.trainJson(), resume);
            log.info("validation: {} of {} training images held out (TEST.VAL_FRACTION {}, TEST.VAL_SEED {}), listed in {}: {}",
                    parts.val().size(), all.size(), st.valFraction(), st.valSeed(), st.outputDir().resolve(ValidationSplit.FILE),
                    parts.valNames());
            all = parts.train();
            val = parts.val();
        } else if (st.valJson() != null) {
            val = NucleusImage.loadCoco(st.valJson(), st.valImages());
        }
        List<NucleusImage> train = trainingImages(all);
        List<NucleusImage> test = st.testJson() == null ? List.of() : NucleusImage.loadCoco(st.testJson(), st.testImages());
        checkUnresized(val, st.valJson() == null ? st.trainJson() : st.valJson());
        checkUnresized(test, st.testJson());
        if (!st.validated()) {
            log.warn("no validation set (TEST.VAL_FRACTION 0, DATASETS.VAL_JSON unset): nothing is chosen on the test set; "
                    + "{} and best.json are the last evaluation", BEST);
        }
        NucleusCrops crops = new NucleusCrops(train, st.crop(), st.flipProb());
        SegmentationNetwork s = new SegmentationNetwork(st.seg());
        Sgd sgd = Sgd.detectron2(s, st.baseLr(), st.momentum(), st.weightDecay(), st.weightDecayNorm());
        Checkpoints checkpoints = new Checkpoints(st.outputDir(), st.checkpointsKept());
        Pretrainer.writeText(st.outputDir().resolve("config.yaml"), configYaml);
        Optional<Path> latest = resume ? checkpoints.latest() : Optional.empty();
        long start = 0;
        ModelSelection selection = new ModelSelection(st.bestMetric(), st.validated());
        if (latest.isPresent()) {
            start = restore(latest.get(), s, sgd, selection);
            log.info("resumed from {} at iteration {}", latest.get(), start);
        } else {
            if (resume) {
                log.warn("--resume: no checkpoint in {}, starting from iteration 0", st.outputDir());
            }
            log.info("initial weights: {}", SegWeights.initialise(s, st.weights()));
        }
        s.to(device);
        log.info("fine-tuning on {} training images ({} nuclei), validating on {}, testing on {}", train.size(),
                train.stream().mapToInt(i -> i.nuclei().size()).sum(), val.size(), test.size());
        Progress progress = new Progress(st.maxIter(), st.logPeriod(), st.batch());
        long it = start;
        try (GracefulStop stop = new GracefulStop(); MetricsLog metrics = MetricsLog.open(st.outputDir(), start + 1, start * st.batch())) {
            for (; it < st.maxIter() && !stop.requested(); it++) {
                long mix = Pretrainer.mix(st.seed(), it, 0);
                Torch.seed(mix);
                double lr = st.schedule().at(it);
                sgd.groups().forEach(g -> g.lr = lr);
                Map<String, Double> scalars = step(s, sgd, crops, new SplittableRandom(mix), device, it);
                scalars.put("lr", lr);
                long done = it + 1;
                if (done % st.evalPeriod() == 0 || done == st.maxIter()) {
                    evaluate(s, val, test, device, done, selection, scalars);
                }
                metrics.append(done, done * st.batch(), scalars);
                progress.update(done, scalars);
                if (done % st.checkpointPeriod() == 0 && done < st.maxIter()) {
                    checkpoints.save(done, state(s, sgd, selection, done));
                }
            }
            progress.finish();
            checkpoints.save(it, state(s, sgd, selection, it));
        }
        boolean interrupted = it < st.maxIter();
        if (interrupted) {
            log.info("stopped at iteration {}: checkpoint {}; continue with --resume", it, checkpoints.pathFor(it));
        } else {
            PtFile.write(st.outputDir().resolve(FINAL), new LinkedHashMap<>(s.stateDict()));
        }
        return new Result(it, interrupted, st.outputDir(), selection.chosenBy(), selection.chosen(), selection.last());
    }

    /** Evaluation is on whole images, so a set whose images Detectron2's test resize would change is refused. */
    private void checkUnresized(List<NucleusImage> images, Path json) {
        for (NucleusImage img : images) {
            String resize = InputSizes.testResize(img.image().width(), img.image().height(), st.minSizeTest(), st.maxSizeTest());
            if (resize != null) {
                throw new IllegalArgumentException(json + ", " + img.name() + ": " + resize);
            }
        }
    }

    /** Detectron2's DATALOADER.FILTER_EMPTY_ANNOTATIONS: training images without nuclei are dropped. */
    private List<NucleusImage> trainingImages(List<NucleusImage> all) {
        if (!st.filterEmpty()) {
            return all;
        }
        List<NucleusImage> kept = all.stream().filter(i -> !i.nuclei().isEmpty()).toList();
        if (kept.isEmpty()) {
            throw new IllegalArgumentException(st.trainJson() + ": no training image has a nucleus (set "
                    + "DATALOADER.FILTER_EMPTY_ANNOTATIONS False to train on empty images)");
        }
        if (kept.size() < all.size()) {
            log.info("{} training images without nuclei dropped (DATALOADER.FILTER_EMPTY_ANNOTATIONS)", all.size() - kept.size());
        }
        return kept;
    }

    private Map<String, Double> step(SegmentationNetwork s, Sgd sgd, NucleusCrops crops, SplittableRandom rng, Device device,
            long it) {
        s.train(true);
        List<NucleusCrops.Sample> batch = new ArrayList<>();
        for (int i = 0; i < st.batch(); i++) {
            batch.add(crops.sample(rng));
        }
        int size = batch.get(0).size();
        Map<String, Double> out = new LinkedHashMap<>();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor loss;
            try (MemoryScope forward = MemoryScope.open()) {
                Tensor images = Batches.images(batch.stream().map(NucleusCrops.Sample::image).toList(), size, device);
                List<GtInstances> gt = batch.stream().map(b -> Batches.groundTruth(b.instances(), size, device)).toList();
                Tensor semantic = st.seg().semanticHead()
                        ? Batches.semanticMaps(batch.stream().map(NucleusCrops.Sample::semantic).toList(), size, device) : null;
                Map<String, Tensor> losses = s.losses(images, gt, semantic);
                Tensor total = null;
                for (Map.Entry<String, Tensor> e : losses.entrySet()) {
                    total = total == null ? e.getValue() : total.add(e.getValue());
                    out.put(e.getKey(), e.getValue().item_double());
                }
                double value = total.item_double();
                if (!Double.isFinite(value)) {
                    throw new ArithmeticException("the loss is " + value + " at iteration " + it + ": training diverged; "
                            + "lower SOLVER.BASE_LR or resume from an earlier checkpoint");
                }
                out.put("total_loss", value);
                loss = forward.moveOut(total);
            }
            sgd.zeroGrad();
            loss.backward();
            sgd.step();
        }
        Map<String, Double> ordered = new LinkedHashMap<>();
        ordered.put("total_loss", out.remove("total_loss"));
        ordered.putAll(out);
        return ordered;
    }

    /** Scores the validation and test images (logged as val_* and test_*) and lets the validation metrics choose. */
    private void evaluate(SegmentationNetwork s, List<NucleusImage> val, List<NucleusImage> test, Device device, long iteration,
            ModelSelection selection, Map<String, Double> scalars) throws IOException {
        s.eval();
        Map<String, Double> v = val.isEmpty() ? Map.of() : SegEvaluation.evaluate(s, val, st.confidenceThreshold(), device, st.maxDets());
        Map<String, Double> t = test.isEmpty() ? Map.of() : SegEvaluation.evaluate(s, test, st.confidenceThreshold(), device, st.maxDets());
        s.train(true);
        v.forEach((k, x) -> scalars.put("val_" + k, x));
        t.forEach((k, x) -> scalars.put("test_" + k, x));
        log.info("iteration {}: {}{}", iteration, v.isEmpty() ? "" : "val " + SegEvaluation.describe(v) + (t.isEmpty() ? "" : "; "),
                t.isEmpty() ? "" : "test " + SegEvaluation.describe(t));
        if (selection.offer(new ModelSelection.Point(iteration, v, t))) {
            PtFile.write(st.outputDir().resolve(BEST), new LinkedHashMap<>(s.stateDict()));
            if (st.validated()) {
                log.info("new best val_{} {} at iteration {}: {}", st.bestMetric(), String.format("%.4f", v.get(st.bestMetric())),
                        iteration, st.outputDir().resolve(BEST));
            }
        }
        Pretrainer.writeText(st.outputDir().resolve("best.json"), selection.json());
    }

    private Map<String, Object> state(SegmentationNetwork s, Sgd sgd, ModelSelection selection, long iteration) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", new LinkedHashMap<>(s.stateDict()));
        out.put("optimizer", sgd.stateDict());
        out.put("iteration", iteration);
        out.putAll(selection.state());
        out.put("config", configYaml);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static long restore(Path file, SegmentationNetwork s, Sgd sgd, ModelSelection selection) throws IOException {
        Map<String, Object> ckpt = (Map<String, Object>) PtFile.read(file);
        s.loadStateDict((Map<String, Tensor>) ckpt.get("model"), true);
        sgd.loadStateDict((Map<String, ?>) ckpt.get("optimizer"));
        selection.restore(ckpt);
        return ((Number) ckpt.get("iteration")).longValue();
    }
}
