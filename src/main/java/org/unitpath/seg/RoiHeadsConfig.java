package org.unitpath.seg;

/**
 * Detectron2's {@code MODEL.ROI_HEADS}, {@code ROI_BOX_HEAD} and {@code ROI_MASK_HEAD} for
 * StandardROIHeads on p2..p5. {@code boxConvs} > 0 with norm GN gives the "4conv1fc" GN box head.
 */
public record RoiHeadsConfig(int numClasses, double iouThreshold, int batchSizePerImage, double positiveFraction,
        boolean appendGt, int boxResolution, int boxConvs, int boxConvDim, int boxFcs, int boxFcDim, String boxNorm,
        int maskResolution, int maskConvs, int maskConvDim, String maskNorm, double[] boxWeights, double scoreThreshold,
        double nmsThreshold, int detectionsPerImage) {

    public RoiHeadsConfig {
        if (numClasses < 1) {
            throw new IllegalArgumentException("MODEL.ROI_HEADS.NUM_CLASSES must be >= 1, got " + numClasses);
        }
    }

    /** The release's S: one class (nucleus), 2 FC box head, 4-conv GN mask head, 28x28 masks. */
    public static RoiHeadsConfig nucleus() {
        return new RoiHeadsConfig(1, 0.5, 512, 0.25, true, 7, 0, 256, 2, 1024, "", 14, 4, 256, "GN",
                new double[] {10, 10, 5, 5}, 0.05, 0.5, 100);
    }

    public RoiHeadsConfig withInference(double score, double nms, int detections) {
        return new RoiHeadsConfig(numClasses, iouThreshold, batchSizePerImage, positiveFraction, appendGt, boxResolution,
                boxConvs, boxConvDim, boxFcs, boxFcDim, boxNorm, maskResolution, maskConvs, maskConvDim, maskNorm, boxWeights,
                score, nms, detections);
    }

    public RoiHeadsConfig withSampling(int batch, double positive) {
        return new RoiHeadsConfig(numClasses, iouThreshold, batch, positive, appendGt, boxResolution, boxConvs, boxConvDim,
                boxFcs, boxFcDim, boxNorm, maskResolution, maskConvs, maskConvDim, maskNorm, boxWeights, scoreThreshold,
                nmsThreshold, detectionsPerImage);
    }
}
