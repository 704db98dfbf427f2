package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/**
 * Detectron2's {@code subsample_labels}: a random subset of at most {@code batchSizePerImage}
 * labelled elements, with as many positives as available up to
 * {@code (int) (batchSizePerImage * positiveFraction)} and negatives filling the rest.
 * Positives are labels other than -1 (ignore) and the background label. The draws use
 * libtorch's global generator ({@code randperm}), so {@link org.unitpath.torch.Torch#seed}
 * makes them repeatable.
 */
public final class BalancedSampler {
    private BalancedSampler() {}

    /** Indices into {@code labels} of the sampled positives and negatives (int64, in random order). */
    public record Result(Tensor positive, Tensor negative) {}

    public static Result sample(Tensor labels, int batchSizePerImage, double positiveFraction, long backgroundLabel) {
        if (labels.dim() != 1) {
            throw new IllegalArgumentException("labels must be a vector, got shape " + Arrays.toString(labels.shape()));
        }
        if (batchSizePerImage < 0) {
            throw new IllegalArgumentException("batch size per image must be >= 0, got " + batchSizePerImage);
        }
        if (!(positiveFraction >= 0 && positiveFraction <= 1)) {
            throw new IllegalArgumentException("positive fraction must be in [0, 1], got " + positiveFraction);
        }
        Tensor positive = torch.nonzero(labels.ne(F.scalar(-1L)).logical_and(labels.ne(F.scalar(backgroundLabel)))).select(1, 0);
        Tensor negative = torch.nonzero(labels.eq(F.scalar(backgroundLabel))).select(1, 0);
        long numPos = Math.min(positive.numel(), (long) (batchSizePerImage * positiveFraction));
        long numNeg = Math.min(negative.numel(), batchSizePerImage - numPos);
        return new Result(pick(positive, numPos), pick(negative, numNeg));
    }

    private static Tensor pick(Tensor candidates, long count) {
        Tensor perm = torch.randperm(candidates.numel(), HostArrays.longOptions(candidates)).narrow(0, 0, count);
        return candidates.index_select(0, perm);
    }
}
