package org.unitpath.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.CycleLoader;
import org.unitpath.data.CycleSample;
import org.unitpath.dist.Distributed;
import org.unitpath.io.AtomicFiles;
import org.unitpath.optim.Adam;
import org.unitpath.seg.WeightNames;
import org.unitpath.torch.Device;
import org.unitpath.torch.Torch;
import org.unitpath.torch.pt.PtFile;

/**
 * {@code unitpath pretrain}: runs the translation cycle for SOLVER.MAX_ITER iterations with
 * checkpoints, exact resume, sample grids, metrics, quality signals and the final exports
 * ({@code S.pt} with Detectron2 names, {@code backbone_torchvision.pt}). Only rank 0 writes.
 * SIGINT/SIGTERM end the run after the current iteration with a checkpoint.
 */
public final class Pretrainer {
    private static final Logger log = LoggerFactory.getLogger(Pretrainer.class);

    /** Where a finished (or interrupted) run left its results. */
    public record Result(long iterations, boolean interrupted, Path outputDir, Path report, Path samples, Path sExport,
            Path backboneExport) {}

    private final PretrainSettings st;
    private final Distributed dist;
    private final String configYaml;

    public Pretrainer(PretrainSettings settings, Distributed dist, String configYaml) {
        this.st = settings;
        this.dist = dist;
        this.configYaml = configYaml;
    }

    public Result run(boolean resume) throws IOException {
        Device device = Device.parse(st.device());
        int globalBatch = st.batchPerProcess() * dist.worldSize();
        Torch.seed(st.seed());
        Networks nets = new Networks(st, globalBatch, device);
        CycleStep step = new CycleStep(nets, dist, device);
        Checkpoints checkpoints = new Checkpoints(st.outputDir(), st.checkpointsKept());
        RunOutputs outputs = new RunOutputs(st, dist.isMain(), configYaml, globalBatch);
        Snapshots snapshots = new Snapshots(st.snapshotKimg(), globalBatch);
        long start = 0;
        Optional<Path> latest = resume ? checkpoints.latest() : Optional.empty();
        if (resume && latest.isEmpty()) {
            log.warn("--resume: no checkpoint in {}, starting from iteration 0", st.outputDir());
        }
        if (latest.isPresent()) {
            start = restore(latest.get(), nets, step);
            log.info("resumed from {} at iteration {}", latest.get(), start);
        } else if (st.initWeights() != null) {
            initialise(nets, st.initWeights());
        }
        outputs.start(start);
        long it = start;
        try (GracefulStop stop = new GracefulStop();
                CycleLoader loader = DataSetup.loader(st, dist.rank(), dist.worldSize(), st.seed());
                CycleLoader evalLoader = DataSetup.loader(st, 0, 1, st.seed() + 7919)) {
            List<CycleSample> evalSet = DataSetup.evalSet(evalLoader, st.swdImages());
            loader.seek(start);
            for (; it < st.maxIter() && !stop.requested(); it++) {
                long mix = mix(st.seed(), it, dist.rank());
                Torch.seed(mix);
                step.reseed(mix);
                double lr = st.schedule().at(it);
                step.learningRate(lr);
                Map<String, Double> losses;
                try {
                    losses = step.run(loader.next(), it);
                } catch (ArithmeticException e) {
                    throw new ArithmeticException(e.getMessage() + "; the last good checkpoint is "
                            + checkpoints.latest().map(Path::toString).orElse("(none yet)"));
                }
                step.afterStep(globalBatch);
                long done = it + 1;
                losses.put("lr", lr);
                losses.put("skipped_files", (double) loader.skippedFiles());
                if (done % st.samplePeriod() == 0 || done == st.maxIter()) {
                    outputs.samples(done, nets, evalSet, device);
                }
                if (done % st.evalPeriod() == 0 || done == st.maxIter()) {
                    outputs.quality(done, nets, evalSet, device);
                }
                outputs.iteration(done, losses);
                if (done % st.checkpointPeriod() == 0 && done < st.maxIter() && dist.isMain()) {
                    checkpoints.save(done, state(nets, step, done));
                }
                String snapshot = snapshots.due(done);
                if (snapshot != null && dist.isMain()) {
                    PtFile.write(st.outputDir().resolve(snapshot), state(nets, null, done));
                    log.info("iteration {}: snapshot for stage 2 {}", done, st.outputDir().resolve(snapshot));
                }
            }
            boolean interrupted = it < st.maxIter();
            if (dist.isMain()) {
                checkpoints.save(it, state(nets, step, it));
            }
            Result result = interrupted ? new Result(it, true, st.outputDir(), null, null, null, null) : finish(nets, outputs, it);
            if (interrupted) {
                log.info("stopped at iteration {}: checkpoint {}; continue with --resume", it, checkpoints.pathFor(it));
            }
            return result;
        }
    }

    private Result finish(Networks nets, RunOutputs outputs, long it) throws IOException {
        Path sExport = st.outputDir().resolve("S.pt");
        Path backbone = st.outputDir().resolve("backbone_torchvision.pt");
        if (dist.isMain()) {
            PtFile.write(st.outputDir().resolve("model_final.pt"), state(nets, null, it));
            PtFile.write(sExport, new LinkedHashMap<>(nets.s.stateDict()));
            PtFile.write(backbone, new LinkedHashMap<>(WeightNames.toTorchvision(nets.s.stateDict(), 1000)));
        }
        Path report = outputs.finish(it);
        return new Result(it, false, st.outputDir(), report, outputs.latestSamples(), sExport, backbone);
    }

    private Map<String, Object> state(Networks nets, CycleStep step, long iteration) {
        Map<String, Object> out = new LinkedHashMap<>(nets.stateDicts());
        out.put("iteration", iteration);
        out.put("config", configYaml);
        if (step != null) {
            List<Adam> opts = step.optimizers();
            out.put("opt_G_S", opts.get(0).stateDict());
            out.put("opt_D_B", opts.get(1).stateDict());
            out.put("opt_D_A", opts.get(2).stateDict());
            double[] ada = nets.ada.state();
            out.put("ada_state", List.of(ada[0], ada[1], ada[2]));
            if (step.pathLength() != null) {
                out.put("pl_mean", step.pathLength().mean());
            }
            out.put("pool_A", new ArrayList<>(step.poolA().contents()));
            out.put("pool_B", new ArrayList<>(step.poolB().contents()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private long restore(Path file, Networks nets, CycleStep step) throws IOException {
        Map<String, Object> ckpt = (Map<String, Object>) PtFile.read(file);
        nets.load(ckpt, false);
        List<Adam> opts = step.optimizers();
        opts.get(0).loadStateDict(CycleStep.splitSingleGroupState((Map<String, ?>) ckpt.get("opt_G_S"),
                nets.g.trainableParameters().size()));
        opts.get(1).loadStateDict((Map<String, ?>) ckpt.get("opt_D_B"));
        opts.get(2).loadStateDict((Map<String, ?>) ckpt.get("opt_D_A"));
        List<Double> ada = (List<Double>) ckpt.get("ada_state");
        nets.ada.restore(new double[] {ada.get(0), ada.get(1), ada.get(2)});
        if (step.pathLength() != null && ckpt.get("pl_mean") instanceof Number plMean) {
            step.pathLength().restore(plMean.doubleValue());
        }
        step.poolA().restore((List<Tensor>) ckpt.get("pool_A"));
        step.poolB().restore((List<Tensor>) ckpt.get("pool_B"));
        return ((Number) ckpt.get("iteration")).longValue();
    }

    /** MODEL.WEIGHTS: a pretraining checkpoint (stage 2 starts from stage 1's) or a plain S state dict. */
    @SuppressWarnings("unchecked")
    private void initialise(Networks nets, Path weights) throws IOException {
        Object root = PtFile.read(weights);
        if (root instanceof Map<?, ?> m && m.containsKey("G_AB")) {
            nets.load((Map<String, Object>) root, st.baScratch());
            log.info("initialised from {}{}", weights, st.baScratch() ? " (S and D_S re-initialised: BA_SCRATCH)" : "");
        } else {
            nets.s.loadStateDict(PtFile.readStateDict(weights), false);
            log.info("initialised S from {}", weights);
        }
    }

    static long mix(long seed, long iteration, int rank) {
        long h = seed * 0x9E3779B97F4A7C15L + iteration * 0xBF58476D1CE4E5B9L + rank * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 32);
    }

    static void writeText(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
