package org.unitpath.train;

import java.nio.file.Path;
import java.util.List;
import org.unitpath.data.Augment;
import org.unitpath.data.SegGuide;
import org.unitpath.gan.StyleGanConfig;
import org.unitpath.seg.SegConfig;

/**
 * Everything a pretraining run needs, resolved from the YAML config: data, the method's
 * switches and loss weights, the networks, the solver and the reporting periods. Batch size is
 * per process. {@code snapshotKimg}: the points (thousands of images) where a snapshot for stage 2 is written.
 */
public record PretrainSettings(
        long seed, Path outputDir, String device,
        Path datasetRoot, String datasetA, String datasetB, List<String> scales, String maskFormat,
        int batchPerProcess, int workers, int prefetch, boolean strictData, int maxRetries, Augment augment,
        String generator, SegGuide guide, boolean baScratch, Path initWeights,
        double lambdaA, double lambdaB, double lambdaDA, double lambdaDB, double lambdaCycle, double lambdaMrcnn,
        int mrcnnInterval, int replayBuffer,
        StyleGanConfig stylegan, String augMode, Double augProb, double adaTarget, double r1Gamma, int r1Interval,
        double plWeight, int plInterval, double emaKimg,
        SegConfig seg,
        double baseLr, double beta1, double beta2, int maxIter, int[] steps, double gamma, int warmupIters,
        double warmupFactor, boolean linearWarmup, int checkpointPeriod, int checkpointsKept,
        int evalPeriod, int samplePeriod, int swdImages, int logPeriod, List<Double> snapshotKimg) {

    public boolean styleGan() {
        return generator.equals("StyleGAN");
    }

    public LrSchedule schedule() {
        return new LrSchedule(baseLr, steps, gamma, warmupIters, warmupFactor, linearWarmup);
    }
}
