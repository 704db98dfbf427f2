package org.unitpath.eval;

/**
 * Matched (TP), unmatched predicted (FP) and unmatched true (FN) nuclei with the summed IoU of
 * the matches: everything panoptic quality needs, per image or summed over images.
 */
public record PqCounts(long tp, long fp, long fn, double sumIou) {
    public static final PqCounts ZERO = new PqCounts(0, 0, 0, 0);

    public PqCounts plus(PqCounts o) {
        return new PqCounts(tp + o.tp, fp + o.fp, fn + o.fn, sumIou + o.sumIou);
    }

    /** HoVer-Net's {@code get_fast_pq}: TP / (TP + FP/2 + FN/2), NaN when there is nothing at all. */
    public double dq() {
        return tp / (tp + 0.5 * fp + 0.5 * fn);
    }

    /** HoVer-Net's: ΣIoU / (TP + 1e-6), 0 without matches. */
    public double sq() {
        return sumIou / (tp + 1e-6);
    }

    public double pq() {
        return dq() * sq();
    }

    /** The summed-over-images form of the paper and CoNIC: TP / (TP + FP/2 + FN/2 + 1e-6). */
    public double summedDq() {
        return tp / (tp + 0.5 * fp + 0.5 * fn + 1e-6);
    }

    public double summedPq() {
        return summedDq() * sq();
    }

    public double precision() {
        return tp / (double) (tp + fp);
    }

    public double recall() {
        return tp / (double) (tp + fn);
    }

    /** Object-level F1 = 2TP / (2TP + FP + FN), which equals DQ. */
    public double f1() {
        return 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
