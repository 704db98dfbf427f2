package org.unitpath.train;

import java.nio.file.Path;
import java.util.List;
import org.unitpath.data.Augment;
import org.unitpath.data.SegGuide;
import org.unitpath.gan.StyleGanConfig;
import org.unitpath.optim.LrSchedule;
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
        int mrcnnInterval, int replayBuffer, boolean identity, double lambdaIdentity, double lambdaGp, boolean gpA,
        boolean gpB, int critic,
        StyleGanConfig stylegan, String augMode, Double augProb, double adaTarget, double r1Gamma, int r1Interval,
        double plWeight, int plInterval, double emaKimg, double styleMixing,
        SegConfig seg,
        double baseLr, double beta1, double beta2, int maxIter, int[] steps, double gamma, int warmupIters,
        double warmupFactor, boolean linearWarmup, int checkpointPeriod, int checkpointsKept,
        int evalPeriod, int samplePeriod, int swdImages, int logPeriod, List<Double> snapshotKimg) {

    public boolean styleGan() {
        return generator.equals("StyleGAN");
    }

    /** D_G is a StyleGAN2 D regularised by R1 in its own phase every R1_INTERVAL iterations. */
    public boolean lazyR1() {
        return styleGan() && r1Gamma > 0;
    }

    /** G is regularised by path length in its own phase every PL_INTERVAL G steps. */
    public boolean pathLength() {
        return styleGan() && plWeight > 0;
    }

    /** The legacy loop's G step every CRITIC_DISCRIMINATOR iterations: {@code (iteration + 1) % critic == 0}. */
    public boolean generatorStepAt(long iteration) {
        return (iteration + 1) % critic == 0;
    }

    /** Whether the G step of {@code iteration} is followed by the path-length phase (G steps counted from 0, as SG2ADA's batch_idx). */
    public boolean pathLengthAt(long iteration) {
        return pathLength() && generatorStepAt(iteration) && ((iteration + 1) / critic - 1) % plInterval == 0;
    }

    /** Whether {@code iteration} has D_G's R1 phase (SG2ADA: batch_idx % interval == 0). */
    public boolean r1At(long iteration) {
        return lazyR1() && iteration % r1Interval == 0;
    }

    public LrSchedule schedule() {
        return new LrSchedule(baseLr, steps, gamma, warmupIters, warmupFactor, linearWarmup);
    }
}
