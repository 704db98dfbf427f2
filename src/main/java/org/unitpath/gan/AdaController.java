package org.unitpath.gan;

import java.util.Locale;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * Controls the augmentation probability p of an {@link AugmentPipe} as StyleGAN2-ADA's training
 * loop does. In {@code ADA} mode the signs of D's logits on real images are accumulated, and
 * every {@code interval} iterations p ← max(0, p + sign(mean sign − target) · batch · interval /
 * (adaKimg · 1000)). {@code FIXED} keeps p constant; {@code NOAUG} never applies the pipe and
 * keeps p at 0.
 *
 * <p>Per iteration the loop calls {@link #augment} on every image D sees, {@link #observe} with
 * D's logits on the (augmented) reals, and {@link #step} once after the iteration. The sign sum
 * is accumulated on the logits' device and read back once per iteration.
 */
public final class AdaController {
    public enum Mode { ADA, FIXED, NOAUG }

    public static final double DEFAULT_TARGET = 0.6;
    public static final int DEFAULT_INTERVAL = 4;
    public static final double DEFAULT_KIMG = 500;

    private final Mode mode;
    private final AugmentPipe pipe;
    private final int batchSize;
    private final double target;
    private final int interval;
    private final double adaKimg;
    /** This process's signs since the last {@link #step}: on the logits' device, and from the host. */
    private Tensor signSum;
    private double hostSignSum;
    private long localCount;
    /** Signs of every process since the last update of p. */
    private double pendingSum;
    private long pendingCount;
    private long iterations;
    private double lastSignMean = Double.NaN;

    /**
     * @param batchSize images per iteration over all processes (the step size scales with it)
     */
    public AdaController(Mode mode, AugmentPipe pipe, int batchSize, double target, int interval, double adaKimg) {
        if (mode == null || pipe == null) {
            throw new IllegalArgumentException("ADA needs a mode and an augmentation pipe");
        }
        if (batchSize < 1 || interval < 1) {
            throw new IllegalArgumentException("batch size and interval must be >= 1, got batch " + batchSize + ", interval " + interval);
        }
        if (!(target >= 0 && target <= 1)) {
            throw new IllegalArgumentException("ADA target must be between 0 and 1, got " + target);
        }
        if (!(adaKimg > 0) || Double.isInfinite(adaKimg)) {
            throw new IllegalArgumentException("ADA kimg must be finite and > 0, got " + adaKimg);
        }
        this.mode = mode;
        this.pipe = pipe;
        this.batchSize = batchSize;
        this.target = target;
        this.interval = interval;
        this.adaKimg = adaKimg;
    }

    /** Adaptive p with StyleGAN2-ADA's defaults (target 0.6, every 4 iterations, 500 kimg); p starts where the pipe's is. */
    public static AdaController ada(AugmentPipe pipe, int batchSize) {
        return new AdaController(Mode.ADA, pipe, batchSize, DEFAULT_TARGET, DEFAULT_INTERVAL, DEFAULT_KIMG);
    }

    /** A constant p in [0, 1]. */
    public static AdaController fixed(AugmentPipe pipe, double p, int batchSize) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("fixed augmentation probability must be between 0 and 1, got " + p);
        }
        pipe.setP(p);
        return new AdaController(Mode.FIXED, pipe, batchSize, DEFAULT_TARGET, DEFAULT_INTERVAL, DEFAULT_KIMG);
    }

    /** No augmentation: images pass through untouched and p stays 0. */
    public static AdaController noaug(AugmentPipe pipe, int batchSize) {
        pipe.setP(0);
        return new AdaController(Mode.NOAUG, pipe, batchSize, DEFAULT_TARGET, DEFAULT_INTERVAL, DEFAULT_KIMG);
    }

    /** The images as D should see them: augmented, or the input itself under NOAUG. */
    public Tensor augment(Tensor images) {
        return mode == Mode.NOAUG ? images : pipe.forward(images);
    }

    /** Records the signs of D's logits on real images (any shape; detached). */
    public void observe(Tensor realLogits) {
        if (mode != Mode.ADA) {
            return;
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor sum = realLogits.detach().sign().sum().to(ScalarType.Double);
            if (signSum == null || !signSum.device().equals(sum.device())) {
                signSum = MemoryScope.keep(Tensors.zeros().to(sum.device(), ScalarType.Double));
            }
            signSum.add_(sum);
        }
        localCount += realLogits.numel();
    }

    /** Records a sign sum over {@code count} logits of this process computed elsewhere. */
    public void observe(double signSumValue, long count) {
        if (count < 0 || Double.isNaN(signSumValue) || Math.abs(signSumValue) > count) {
            throw new IllegalArgumentException("a sign sum must lie in [-count, count], got " + signSumValue + " over " + count);
        }
        if (mode == Mode.ADA) {
            hostSignSum += signSumValue;
            localCount += count;
        }
    }

    /** Ends one iteration of a single process: see {@link #step(UnaryOperator)}. */
    public boolean step() {
        return step(UnaryOperator.identity());
    }

    /**
     * Ends one training iteration. {@code sumOverProcesses} maps this process's {sign sum, count}
     * to their sums over all processes (an all-reduce; every process must call this at every
     * iteration), so p moves by the sign of the mean over every process's logits, as
     * StyleGAN2-ADA's {@code Collector} reduces its stats, and stays identical on every process.
     * Reducing every iteration, rather than every {@code interval}, keeps the pending sums
     * identical on every process at all times, so rank 0's checkpoint resumes every rank.
     * Every {@code interval}-th call updates p from the signs since the last update (leaving p
     * unchanged if none were observed). Returns whether p was updated.
     */
    public boolean step(UnaryOperator<double[]> sumOverProcesses) {
        iterations++;
        if (mode != Mode.ADA) {
            return false;
        }
        double local = hostSignSum;
        if (signSum != null) {
            try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                local += signSum.item_double();
                signSum.zero_();
            }
        }
        double[] all = sumOverProcesses.apply(new double[] {local, localCount});
        hostSignSum = 0;
        localCount = 0;
        pendingSum += all[0];
        pendingCount += Math.round(all[1]);
        if (iterations % interval != 0) {
            return false;
        }
        double total = pendingSum;
        long count = pendingCount;
        pendingSum = 0;
        pendingCount = 0;
        if (count == 0) {
            return false;
        }
        lastSignMean = total / count;
        pipe.adjustP(Math.signum(lastSignMean - target) * stepSize());
        return true;
    }

    /**
     * The sign sum and count accumulated over all processes since the last update, and the
     * iteration counter, for checkpoints: between iterations the same on every process.
     */
    public double[] state() {
        return new double[] {pendingSum, pendingCount, iterations};
    }

    /** Continues from a {@link #state()} saved by an earlier run (p itself lives in the pipe's state dict). */
    public void restore(double[] state) {
        if (state.length != 3) {
            throw new IllegalArgumentException("ADA state needs 3 values, got " + state.length);
        }
        if (signSum != null) {
            try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
                signSum.zero_();
            }
        }
        hostSignSum = 0;
        localCount = 0;
        pendingSum = state[0];
        pendingCount = (long) state[1];
        iterations = (long) state[2];
    }

    /** The change of p per update: batch · interval / (adaKimg · 1000). */
    public double stepSize() {
        return (double) batchSize * interval / (adaKimg * 1000);
    }

    public double p() {
        return mode == Mode.NOAUG ? 0 : pipe.p();
    }

    public Mode mode() {
        return mode;
    }

    public AugmentPipe pipe() {
        return pipe;
    }

    /** The mean sign of D(real) used by the last update (NaN before the first). */
    public double lastSignMean() {
        return lastSignMean;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ADA[%s, p=%.4f, target=%.2f, r_t=%.3f]", mode, p(), target, lastSignMean);
    }
}
