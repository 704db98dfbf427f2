package org.unitpath.seg;

/**
 * Configuration of S: backbone, FPN, which segmentation heads, and the cycle (mask-image) head.
 *
 * @param heads      INSTANCE = Mask R-CNN (ISG), SEMANTIC = semantic FPN head (SSG), PANOPTIC = both
 *                   (the downstream Panoptic FPN), NONE = backbone and cycle head only
 * @param cycleHead  whether S has the mask-image decoder used by the translation cycle
 * @param pixels     S's input normalisation (MODEL.PIXEL_MEAN / PIXEL_STD)
 */
public record SegConfig(ResNetConfig resnet, int fpnChannels, String fpnNorm, Heads heads, RpnConfig rpn,
        RoiHeadsConfig roi, SemSegConfig semantic, boolean cycleHead, int cycleFilters, PixelNorm pixels) {

    public enum Heads { INSTANCE, SEMANTIC, PANOPTIC, NONE }

    /** S with the release's pixel normalisation. */
    public SegConfig(ResNetConfig resnet, int fpnChannels, String fpnNorm, Heads heads, RpnConfig rpn,
            RoiHeadsConfig roi, SemSegConfig semantic, boolean cycleHead, int cycleFilters) {
        this(resnet, fpnChannels, fpnNorm, heads, rpn, roi, semantic, cycleHead, cycleFilters, PixelNorm.RELEASE);
    }

    /** The release's S: ResNet-50-GN, FPN-GN 256, Mask R-CNN heads for one class, the cycle head. */
    public static SegConfig release() {
        return new SegConfig(ResNetConfig.resnet50GN(), 256, "GN", Heads.INSTANCE, RpnConfig.fpnDefaults(),
                RoiHeadsConfig.nucleus(), SemSegConfig.ssg(), true, CycleDecoder.DEFAULT_NUM_FILTERS);
    }

    public SegConfig withHeads(Heads h) {
        return new SegConfig(resnet, fpnChannels, fpnNorm, h, rpn, roi, semantic, cycleHead, cycleFilters, pixels);
    }

    /** Narrower backbone and heads (all widths divided by {@code factor}) for tests and the CPU demo. */
    public SegConfig narrowed(int factor) {
        RoiHeadsConfig r = new RoiHeadsConfig(roi.numClasses(), roi.iouThreshold(), roi.batchSizePerImage(),
                roi.positiveFraction(), roi.appendGt(), roi.boxResolution(), roi.boxConvs(), roi.boxConvDim() / factor,
                roi.boxFcs(), roi.boxFcDim() / factor, roi.boxNorm(), roi.maskResolution(), roi.maskConvs(),
                roi.maskConvDim() / factor, roi.maskNorm(), roi.boxWeights(), roi.scoreThreshold(), roi.nmsThreshold(),
                roi.detectionsPerImage());
        return new SegConfig(resnet.narrowed(factor), fpnChannels / factor, fpnNorm, heads, rpn, r,
                semantic.withInChannels(fpnChannels / factor).withConvDims(semantic.convDims() / factor), cycleHead,
                cycleFilters / factor, pixels);
    }

    public boolean instanceHeads() {
        return heads == Heads.INSTANCE || heads == Heads.PANOPTIC;
    }

    public boolean semanticHead() {
        return heads == Heads.SEMANTIC || heads == Heads.PANOPTIC;
    }
}
