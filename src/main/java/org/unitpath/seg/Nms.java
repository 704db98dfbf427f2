package org.unitpath.seg;

import java.util.Arrays;
import org.bytedeco.pytorch.Tensor;

/**
 * Greedy non-maximum suppression equal to torchvision's CPU {@code nms} and
 * {@code batched_nms}: boxes are visited by decreasing score, each kept box suppresses the later
 * ones whose IoU with it is greater than the threshold, with torchvision's float32 arithmetic.
 * Equal scores are visited lower index first (torchvision's own order for ties depends on its
 * sort implementation; this one is stable). The loop runs on the CPU.
 */
public final class Nms {
    /** torchvision's CPU batched_nms switches from the offset trick to one NMS per group above this many coordinates. */
    private static final long OFFSET_TRICK_MAX_NUMEL = 4000;

    private Nms() {}

    /** Indices (int64) of the kept boxes, by decreasing score. */
    public static Tensor nms(Tensor boxes, Tensor scores, double iouThreshold) {
        checkShapes(boxes, scores, null);
        checkThreshold(iouThreshold);
        float[] b = HostArrays.toFloats(boxes);
        float[] s = HostArrays.toFloats(scores);
        int[] keep = greedy(b, s, allIndices(s.length), iouThreshold);
        return toTensor(keep, boxes);
    }

    /**
     * NMS within each group (e.g. class or level): boxes of different groups never suppress
     * each other. Indices by decreasing score.
     */
    public static Tensor batchedNms(Tensor boxes, Tensor scores, Tensor groups, double iouThreshold) {
        checkShapes(boxes, scores, groups);
        checkThreshold(iouThreshold);
        float[] b = HostArrays.toFloats(boxes);
        float[] s = HostArrays.toFloats(scores);
        long[] g = HostArrays.toLongs(groups);
        int n = s.length;
        if (n == 0) {
            return toTensor(new int[0], boxes);
        }
        if ((long) n * 4 <= OFFSET_TRICK_MAX_NUMEL) {
            return toTensor(offsetTrick(b, s, g, iouThreshold), boxes);
        }
        return toTensor(perGroup(b, s, g, iouThreshold), boxes);
    }

    /** Shifts each group's boxes by group * (max coordinate + 1) so that groups cannot overlap, then one NMS. */
    private static int[] offsetTrick(float[] b, float[] s, long[] g, double iouThreshold) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : b) {
            max = Math.max(max, v);
        }
        float step = max + 1f;
        float[] shifted = new float[b.length];
        for (int i = 0; i < g.length; i++) {
            float offset = (float) g[i] * step;
            for (int c = 0; c < 4; c++) {
                shifted[4 * i + c] = b[4 * i + c] + offset;
            }
        }
        return greedy(shifted, s, allIndices(s.length), iouThreshold);
    }

    private static int[] perGroup(float[] b, float[] s, long[] g, double iouThreshold) {
        int n = s.length;
        Integer[] byGroup = new Integer[n];
        for (int i = 0; i < n; i++) {
            byGroup[i] = i;
        }
        Arrays.sort(byGroup, (x, y) -> g[x] != g[y] ? Long.compare(g[x], g[y]) : Integer.compare(x, y));
        boolean[] kept = new boolean[n];
        int start = 0;
        while (start < n) {
            int end = start;
            while (end < n && g[byGroup[end]] == g[byGroup[start]]) {
                end++;
            }
            int[] members = new int[end - start];
            for (int i = start; i < end; i++) {
                members[i - start] = byGroup[i];
            }
            for (int k : greedy(b, s, members, iouThreshold)) {
                kept[k] = true;
            }
            start = end;
        }
        int count = 0;
        for (boolean k : kept) {
            count += k ? 1 : 0;
        }
        int[] keep = new int[count];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (kept[i]) {
                keep[j++] = i;
            }
        }
        return byDecreasingScore(keep, s);
    }

    /**
     * Greedy NMS over the boxes listed in {@code members}; returns their kept indices by
     * decreasing score. A kept box only visits the boxes that can overlap it in x: with the
     * boxes sorted by x0, those with x0 in (x0_i - widest width, x1_i), one contiguous run.
     * Whether a box is suppressed depends only on the pair, so the visiting order does not
     * change the result.
     */
    private static int[] greedy(float[] b, float[] s, int[] members, double iouThreshold) {
        int[] order = byDecreasingScore(members, s);
        int n = order.length;
        float[] x0 = new float[n];
        float[] y0 = new float[n];
        float[] x1 = new float[n];
        float[] y1 = new float[n];
        float[] area = new float[n];
        int[] ranks = new int[n];
        double widest = 0;
        for (int i = 0; i < n; i++) {
            int k = order[i];
            x0[i] = b[4 * k];
            y0[i] = b[4 * k + 1];
            x1[i] = b[4 * k + 2];
            y1[i] = b[4 * k + 3];
            area[i] = (x1[i] - x0[i]) * (y1[i] - y0[i]);
            ranks[i] = i;
            double width = (double) x1[i] - x0[i];
            if (width > widest) {
                widest = width;
            }
        }
        int[] byX = byIncreasing(ranks, x0);
        float[] sortedX0 = new float[n];
        for (int p = 0; p < n; p++) {
            sortedX0[p] = x0[byX[p]];
        }
        widest = Math.nextUp(widest);
        boolean[] suppressed = new boolean[n];
        int[] keep = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (suppressed[i]) {
                continue;
            }
            keep[count++] = order[i];
            if (!(x1[i] > x0[i])) {
                continue;
            }
            double lowest = Math.nextDown(x0[i] - widest);
            for (int p = firstAtLeast(sortedX0, lowest); p < n && sortedX0[p] < x1[i]; p++) {
                int j = byX[p];
                if (j <= i || suppressed[j]) {
                    continue;
                }
                float w = Math.min(x1[i], x1[j]) - Math.max(x0[i], x0[j]);
                if (!(w > 0f)) {
                    continue;
                }
                float h = Math.max(0f, Math.min(y1[i], y1[j]) - Math.max(y0[i], y0[j]));
                float inter = w * h;
                float iou = inter / (area[i] + area[j] - inter);
                if (iou > iouThreshold) {
                    suppressed[j] = true;
                }
            }
        }
        return Arrays.copyOf(keep, count);
    }

    /** The first position of ascending {@code sorted} (NaN last) holding a value >= {@code bound}. */
    private static int firstAtLeast(float[] sorted, double bound) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < bound) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * The given indices ordered by decreasing score, equal scores by increasing index. Scores
     * are turned into order-preserving integers and packed with the index into one long, so a
     * primitive sort does it (NaN first, as torch's descending sort; -0 equals +0).
     */
    static int[] byDecreasingScore(int[] indices, float[] scores) {
        long[] keys = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            keys[i] = ((long) ~orderedBits(scores[indices[i]]) << 32) | indices[i];
        }
        Arrays.sort(keys);
        int[] out = new int[indices.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }

    /** The given indices ordered by increasing value (NaN last), equal values by increasing index. */
    private static int[] byIncreasing(int[] indices, float[] values) {
        long[] keys = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            keys[i] = ((long) orderedBits(values[indices[i]]) << 32) | indices[i];
        }
        Arrays.sort(keys);
        int[] out = new int[indices.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) keys[i];
        }
        return out;
    }

    /** An int whose signed order is the float order (-0 taken as +0, NaN above +infinity). */
    private static int orderedBits(float v) {
        int bits = Float.floatToIntBits(v == 0f ? 0f : v);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static int[] allIndices(int n) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        return all;
    }

    private static Tensor toTensor(int[] keep, Tensor like) {
        long[] values = new long[keep.length];
        for (int i = 0; i < keep.length; i++) {
            values[i] = keep[i];
        }
        return HostArrays.longs(values, values.length, like);
    }

    private static void checkThreshold(double iouThreshold) {
        if (!(iouThreshold >= 0)) {
            throw new IllegalArgumentException("NMS IoU threshold must be >= 0, got " + iouThreshold);
        }
    }

    private static void checkShapes(Tensor boxes, Tensor scores, Tensor groups) {
        Boxes.check(boxes, "NMS boxes");
        if (scores.dim() != 1 || scores.size(0) != boxes.size(0)) {
            throw new IllegalArgumentException("NMS needs one score per box: " + boxes.size(0) + " boxes, scores of shape "
                    + Arrays.toString(scores.shape()));
        }
        if (groups != null && (groups.dim() != 1 || groups.size(0) != boxes.size(0))) {
            throw new IllegalArgumentException("batched NMS needs one group per box: " + boxes.size(0)
                    + " boxes, groups of shape " + Arrays.toString(groups.shape()));
        }
    }
}
