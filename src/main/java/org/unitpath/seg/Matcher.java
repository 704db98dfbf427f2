package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.T_TensorTensor_T;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.F;

/**
 * Detectron2's {@code Matcher}: each prediction takes the ground truth it overlaps most and a
 * label from the band its best quality falls in. With thresholds {0.3, 0.7} and labels
 * {0, -1, 1}, quality < 0.3 is background (0), [0.3, 0.7) ignored (-1), >= 0.7 foreground (1).
 * With low-quality matches allowed, every prediction that ties for the best quality of some
 * ground truth is also labelled 1 (keeping its own best match index), as in Faster R-CNN's RPN.
 */
public final class Matcher {
    private final double[] thresholds;
    private final int[] labels;
    private final boolean allowLowQualityMatches;

    public record Result(Tensor matchedIndex, Tensor label) {}

    public Matcher(double[] thresholds, int[] labels, boolean allowLowQualityMatches) {
        if (thresholds.length == 0 || !(thresholds[0] > 0)) {
            throw new IllegalArgumentException("matcher thresholds must be non-empty with the first > 0, got "
                    + Arrays.toString(thresholds));
        }
        for (int i = 1; i < thresholds.length; i++) {
            if (!(thresholds[i - 1] <= thresholds[i])) {
                throw new IllegalArgumentException("matcher thresholds must be non-decreasing, got " + Arrays.toString(thresholds));
            }
        }
        if (labels.length != thresholds.length + 1) {
            throw new IllegalArgumentException("a matcher with " + thresholds.length + " thresholds needs "
                    + (thresholds.length + 1) + " labels, got " + Arrays.toString(labels));
        }
        for (int l : labels) {
            if (l < -1 || l > 1) {
                throw new IllegalArgumentException("matcher labels must be -1, 0 or 1, got " + Arrays.toString(labels));
            }
        }
        this.thresholds = thresholds.clone();
        this.labels = labels.clone();
        this.allowLowQualityMatches = allowLowQualityMatches;
    }

    /**
     * Matches the predictions (columns) of an M (ground truth) x N (predictions) quality matrix
     * with values >= 0. Without ground truth every prediction gets index 0 and label labels[0].
     */
    public Result match(Tensor qualityMatrix) {
        if (qualityMatrix.dim() != 2) {
            throw new IllegalArgumentException("the quality matrix must be M (ground truth) x N (predictions), got shape "
                    + Arrays.toString(qualityMatrix.shape()));
        }
        long n = qualityMatrix.size(1);
        TensorOptions longs = HostArrays.longOptions(qualityMatrix);
        if (qualityMatrix.numel() == 0) {
            return new Result(torch.zeros(new long[] {n}, longs), torch.full(new long[] {n}, F.scalar((long) labels[0]), longs));
        }
        if (!qualityMatrix.ge(F.scalar(0.0)).all().item_bool()) {
            throw new IllegalArgumentException("match qualities must all be >= 0 (and not NaN)");
        }
        T_TensorTensor_T best = qualityMatrix.max(0);
        Tensor values = best.get0();
        Tensor matches = best.get1();
        Tensor label = torch.full(new long[] {n}, F.scalar(1L), longs);
        for (int i = 0; i < labels.length; i++) {
            Tensor band = null;
            if (i > 0) {
                band = values.ge(F.scalar(thresholds[i - 1]));
            }
            if (i < thresholds.length) {
                Tensor below = values.lt(F.scalar(thresholds[i]));
                band = band == null ? below : band.logical_and(below);
            }
            label.masked_fill_(band, F.scalar((long) labels[i]));
        }
        if (allowLowQualityMatches) {
            Tensor highest = qualityMatrix.max(1).get0();
            Tensor tiesWithBest = qualityMatrix.eq(highest.unsqueeze(1)).any(0);
            label.masked_fill_(tiesWithBest, F.scalar(1L));
        }
        return new Result(matches, label);
    }
}
