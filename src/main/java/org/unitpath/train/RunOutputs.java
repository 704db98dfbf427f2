package org.unitpath.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.data.CycleSample;
import org.unitpath.report.HtmlReport;
import org.unitpath.report.MetricsLog;
import org.unitpath.report.Progress;
import org.unitpath.report.SampleGrid;
import org.unitpath.torch.Device;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * What a run writes besides checkpoints (rank 0 only): config.yaml, the metrics log, sample
 * grids, quality signals (sliced Wasserstein distance of G's images to real tiles, mask
 * recovery), the progress display and the HTML report.
 */
final class RunOutputs {
    private static final Logger log = LoggerFactory.getLogger(RunOutputs.class);
    private static final int GRID_COLUMNS = 8;

    private final PretrainSettings st;
    private final boolean main;
    private final String configYaml;
    private final int globalBatch;
    private MetricsLog metrics;
    private Progress progress;
    private Path latestSamples;
    private final Map<String, Double> pending = new LinkedHashMap<>();

    RunOutputs(PretrainSettings st, boolean main, String configYaml, int globalBatch) {
        this.st = st;
        this.main = main;
        this.configYaml = configYaml;
        this.globalBatch = globalBatch;
    }

    void start(long startIteration) throws IOException {
        if (!main) {
            return;
        }
        Pretrainer.writeText(st.outputDir().resolve(HtmlReport.CONFIG), configYaml);
        metrics = MetricsLog.open(st.outputDir(), startIteration + 1, startIteration * globalBatch);
        progress = new Progress(st.maxIter(), st.logPeriod(), globalBatch);
    }

    void iteration(long done, Map<String, Double> losses) throws IOException {
        if (!main) {
            return;
        }
        progress.update(done, losses);
        if (done % st.logPeriod() == 0 || done == st.maxIter() || !pending.isEmpty()) {
            Map<String, Double> record = new LinkedHashMap<>(losses);
            record.putAll(pending);
            pending.clear();
            metrics.append(done, done * globalBatch, record);
        }
    }

    void samples(long iteration, Networks nets, List<CycleSample> evalSet, Device device) throws IOException {
        if (!main) {
            return;
        }
        List<CycleSample> shown = evalSet.subList(0, Math.min(GRID_COLUMNS, evalSet.size()));
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor a = Batches.maskImages(shown, device);
            Tensor b = Batches.realImages(shown, device);
            Torch.seed(st.seed() + 17);
            Tensor z = nets.sampler().zDim() > 0 ? Tensors.randnLike(a, a.size(0), nets.sampler().zDim()) : null;
            Tensor fakeB = nets.sampler().translate(a, z);
            Tensor fakeA = nets.s.cycle(b);
            latestSamples = SampleGrid.path(st.outputDir(), iteration);
            SampleGrid.write(latestSamples, List.of(a, fakeB, b, fakeA), SampleGrid.PRETRAINING_LABELS);
        }
    }

    void quality(long iteration, Networks nets, List<CycleSample> evalSet, Device device) {
        if (!main) {
            return;
        }
        Map<String, Double> q = new LinkedHashMap<>(QualitySignals.maskRecovery(nets, evalSet, device, st.seed() + 29));
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor a = Batches.maskImages(evalSet, device);
            Tensor b = Batches.realImages(evalSet, device);
            Torch.seed(st.seed() + 31);
            Tensor z = nets.sampler().zDim() > 0 ? Tensors.randnLike(a, a.size(0), nets.sampler().zDim()) : null;
            q.putAll(new SlicedWasserstein(st.seed()).distance(nets.sampler().translate(a, z).clamp(
                    new org.bytedeco.pytorch.ScalarOptional(org.unitpath.torch.F.scalar(-1.0)),
                    new org.bytedeco.pytorch.ScalarOptional(org.unitpath.torch.F.scalar(1.0))), b).asMetrics("swd"));
        }
        log.info("iteration {}: {}", iteration, format(q));
        pending.putAll(q);
    }

    Path finish(long iteration) throws IOException {
        if (!main) {
            return null;
        }
        progress.finish();
        metrics.close();
        return HtmlReport.write(st.outputDir(), new HtmlReport.Options(st.maxIter(), 6, true));
    }

    Path latestSamples() {
        return latestSamples;
    }

    private static String format(Map<String, Double> values) {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(java.util.Locale.ROOT, "%.4g", v)));
        return sb.toString();
    }
}
