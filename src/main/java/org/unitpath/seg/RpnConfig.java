package org.unitpath.seg;

/**
 * Detectron2's {@code MODEL.RPN} and {@code MODEL.ANCHOR_GENERATOR} for an FPN: one anchor size
 * per level p2..p6, three aspect ratios, IoU thresholds 0.3/0.7, 256 anchors per image with
 * half positives, L1 box loss, NMS 0.7 and per-level top-k before and after NMS.
 */
public record RpnConfig(double[] anchorSizes, double[] aspectRatios, double iouLow, double iouHigh, int batchSizePerImage,
        double positiveFraction, int preNmsTopkTrain, int postNmsTopkTrain, int preNmsTopkTest, int postNmsTopkTest,
        double nmsThreshold, double minBoxSize, double[] boxWeights) {

    public static final int[] STRIDES = {4, 8, 16, 32, 64};

    public static RpnConfig fpnDefaults() {
        return new RpnConfig(new double[] {32, 64, 128, 256, 512}, new double[] {0.5, 1.0, 2.0}, 0.3, 0.7, 256, 0.5,
                2000, 1000, 1000, 1000, 0.7, 0.0, new double[] {1, 1, 1, 1});
    }

    /** Kumar fine-tuning keeps many more proposals at test time (docs/method.md 6.2). */
    public RpnConfig withTopk(int preTrain, int postTrain, int preTest, int postTest) {
        return new RpnConfig(anchorSizes, aspectRatios, iouLow, iouHigh, batchSizePerImage, positiveFraction, preTrain,
                postTrain, preTest, postTest, nmsThreshold, minBoxSize, boxWeights);
    }
}
