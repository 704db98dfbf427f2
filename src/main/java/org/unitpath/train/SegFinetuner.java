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
import org.unitpath.data.NucleusCrops;
import org.unitpath.data.NucleusImage;
import org.unitpath.seg.GtInstances;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fine-tunes S for nucleus instance segmentation (METHOD.md 6.2): random crops of the training
 * images, Mask R-CNN (+ semantic) losses, Detectron2's SGD and schedule; evaluates on the full
 * test images every TEST.EVAL_PERIOD iterations and keeps the best weights by TEST.BEST_METRIC.
 * Checkpoints are atomic and a run resumes exactly (per-iteration seeds).
 */
public final class SegFinetuner {
    private static final Logger log = LoggerFactory.getLogger(SegFinetuner.class);
    public static final String BEST = "model_best.pt";
    public static final String FINAL = "model_final.pt";

    /** Where the run ended and its best evaluation. */
    public record Result(long iterations, boolean interrupted, Path outputDir, Map<String, Double> bestMetrics,
            long bestIteration, Map<String, Double> lastMetrics) {}

    private final SegFinetuneSettings st;
    private final String configYaml;

    public SegFinetuner(SegFinetuneSettings settings, String configYaml) {
        this.st = settings;
        this.configYaml = configYaml;
    }

    public Result run(boolean resume) throws IOException {
        Device device = Device.parse(st.device());
        Torch.seed(st.seed());
        List<NucleusImage> train = trainingImages(NucleusImage.loadCoco(st.trainJson(), st.trainImages()));
        List<NucleusImage> test = NucleusImage.loadCoco(st.testJson(), st.testImages());
        for (NucleusImage img : test) {
            String resize = InputSizes.testResize(img.image().width(), img.image().height(), st.minSizeTest(), st.maxSizeTest());
            if (resize != null) {
                throw new IllegalArgumentException(st.testJson() + ", " + img.name() + ": " + resize);
            }
        }
        NucleusCrops crops = new NucleusCrops(train, st.crop(), st.flipProb());
        SegmentationNetwork s = new SegmentationNetwork(st.seg());
        Sgd sgd = Sgd.detectron2(s, st.baseLr(), st.momentum(), st.weightDecay(), st.weightDecayNorm());
        Checkpoints checkpoints = new Checkpoints(st.outputDir(), st.checkpointsKept());
        Files.createDirectories(st.outputDir());
        Pretrainer.writeText(st.outputDir().resolve("config.yaml"), configYaml);
        Optional<Path> latest = resume ? checkpoints.latest() : Optional.empty();
        long start = 0;
        Best best = new Best(st.bestMetric());
        if (latest.isPresent()) {
            start = restore(latest.get(), s, sgd, best);
            log.info("resumed from {} at iteration {}", latest.get(), start);
        } else {
            if (resume) {
                log.warn("--resume: no checkpoint in {}, starting from iteration 0", st.outputDir());
            }
            log.info("initial weights: {}", SegWeights.initialise(s, st.weights()));
        }
        s.to(device);
        log.info("fine-tuning on {} training images ({} nuclei), evaluating on {} test images", train.size(),
                train.stream().mapToInt(i -> i.nuclei().size()).sum(), test.size());
        Progress progress = new Progress(st.maxIter(), st.logPeriod(), st.batch());
        Map<String, Double> lastMetrics = Map.of();
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
                    lastMetrics = evaluate(s, test, device, done, best);
                    lastMetrics.forEach((k, v) -> scalars.put("eval_" + k, v));
                }
                metrics.append(done, done * st.batch(), scalars);
                progress.update(done, scalars);
                if (done % st.checkpointPeriod() == 0 && done < st.maxIter()) {
                    checkpoints.save(done, state(s, sgd, best, done));
                }
            }
            progress.finish();
            checkpoints.save(it, state(s, sgd, best, it));
        }
        boolean interrupted = it < st.maxIter();
        if (interrupted) {
            log.info("stopped at iteration {}: checkpoint {}; continue with --resume", it, checkpoints.pathFor(it));
        } else {
            PtFile.write(st.outputDir().resolve(FINAL), new LinkedHashMap<>(s.stateDict()));
        }
        return new Result(it, interrupted, st.outputDir(), best.metrics, best.iteration, lastMetrics);
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

    private Map<String, Double> evaluate(SegmentationNetwork s, List<NucleusImage> test, Device device, long iteration, Best best)
            throws IOException {
        s.eval();
        Map<String, Double> m = SegEvaluation.evaluate(s, test, st.confidenceThreshold(), device, st.maxDets());
        s.train(true);
        log.info("iteration {}: {}", iteration, SegEvaluation.describe(m));
        if (best.offer(m, iteration)) {
            PtFile.write(st.outputDir().resolve(BEST), new LinkedHashMap<>(s.stateDict()));
            Pretrainer.writeText(st.outputDir().resolve("best.json"), SegEvaluation.json(m, iteration, st.bestMetric()));
            log.info("new best {} {} at iteration {}: {}", st.bestMetric(), String.format("%.4f", m.get(st.bestMetric())),
                    iteration, st.outputDir().resolve(BEST));
        }
        return m;
    }

    private Map<String, Object> state(SegmentationNetwork s, Sgd sgd, Best best, long iteration) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", new LinkedHashMap<>(s.stateDict()));
        out.put("optimizer", sgd.stateDict());
        out.put("iteration", iteration);
        out.put("best_iteration", best.iteration);
        out.put("best_metrics", new LinkedHashMap<>(best.metrics));
        out.put("config", configYaml);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static long restore(Path file, SegmentationNetwork s, Sgd sgd, Best best) throws IOException {
        Map<String, Object> ckpt = (Map<String, Object>) PtFile.read(file);
        s.loadStateDict((Map<String, Tensor>) ckpt.get("model"), true);
        sgd.loadStateDict((Map<String, ?>) ckpt.get("optimizer"));
        best.iteration = ((Number) ckpt.get("best_iteration")).longValue();
        ((Map<String, Number>) ckpt.get("best_metrics")).forEach((k, v) -> best.metrics.put(k, v.doubleValue()));
        return ((Number) ckpt.get("iteration")).longValue();
    }

    /** The best evaluation so far by one metric (larger is better). */
    private static final class Best {
        final String metric;
        final Map<String, Double> metrics = new LinkedHashMap<>();
        long iteration = -1;

        Best(String metric) {
            this.metric = metric;
        }

        boolean offer(Map<String, Double> m, long it) {
            Double v = m.get(metric);
            if (v == null || v.isNaN() || iteration >= 0 && v <= metrics.get(metric)) {
                return false;
            }
            metrics.clear();
            metrics.putAll(m);
            iteration = it;
            return true;
        }
    }
}
