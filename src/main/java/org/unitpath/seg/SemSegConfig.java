package org.unitpath.seg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.unitpath.nn.Norms;

/**
 * Detectron2's {@code MODEL.SEM_SEG_HEAD} for {@link SemSegFpnHead}: input FPN levels
 * ("p2".."p5", stride 2^level), their channels, the width of the head's convs, classes, common
 * stride, norm, loss weight and the ignored label. Levels are kept sorted by stride.
 */
public record SemSegConfig(List<String> inFeatures, int inChannels, int convDims, int numClasses, int commonStride,
        String norm, double lossWeight, int ignoreValue) {

    public static final List<String> FPN_LEVELS = List.of("p2", "p3", "p4", "p5");

    public SemSegConfig {
        if (inFeatures.isEmpty()) {
            throw new IllegalArgumentException("SemSegFPNHead needs at least one input feature");
        }
        List<String> sorted = new ArrayList<>(inFeatures);
        sorted.sort(Comparator.comparingInt(SemSegConfig::level));
        inFeatures = List.copyOf(sorted);
        if (commonStride < 1 || Integer.bitCount(commonStride) != 1) {
            throw new IllegalArgumentException("COMMON_STRIDE must be a power of two, got " + commonStride);
        }
        for (String f : inFeatures) {
            if (stride(f) < commonStride) {
                throw new IllegalArgumentException("input " + f + " (stride " + stride(f) + ") is finer than COMMON_STRIDE "
                        + commonStride);
            }
        }
        if (inChannels < 1 || convDims < 1 || numClasses < 1 || lossWeight < 0) {
            throw new IllegalArgumentException("bad SEM_SEG_HEAD: in " + inChannels + ", CONVS_DIM " + convDims
                    + ", NUM_CLASSES " + numClasses + ", LOSS_WEIGHT " + lossWeight);
        }
        if (!Norms.isNone(norm) && !List.of("GN", "BN", "FrozenBN").contains(norm)) {
            throw new IllegalArgumentException("unknown norm '" + norm + "': expected GN, BN, FrozenBN or none");
        }
        if (norm != null && norm.equals("GN") && convDims % Norms.GN_GROUPS != 0) {
            throw new IllegalArgumentException("CONVS_DIM " + convDims + " is not divisible into " + Norms.GN_GROUPS + " GN groups");
        }
    }

    /**
     * The release's SSG head of S (stage_1.yaml): p2..p5 of a 256-channel FPN, 256-d convs, GN,
     * common stride 4, 3 classes, CE weight 1, label 255 ignored.
     */
    public static SemSegConfig ssg() {
        return new SemSegConfig(FPN_LEVELS, 256, 256, 3, 4, "GN", 1.0, 255);
    }

    /** Panoptic FPN's semantic head with Detectron2's defaults (128-d convs, GN, stride 4); Kumar uses 2 classes. */
    public static SemSegConfig panoptic(int numClasses) {
        return new SemSegConfig(FPN_LEVELS, 256, 128, numClasses, 4, "GN", 1.0, 255);
    }

    public SemSegConfig withInChannels(int c) {
        return new SemSegConfig(inFeatures, c, convDims, numClasses, commonStride, norm, lossWeight, ignoreValue);
    }

    public SemSegConfig withConvDims(int c) {
        return new SemSegConfig(inFeatures, inChannels, c, numClasses, commonStride, norm, lossWeight, ignoreValue);
    }

    public SemSegConfig withNumClasses(int n) {
        return new SemSegConfig(inFeatures, inChannels, convDims, n, commonStride, norm, lossWeight, ignoreValue);
    }

    public SemSegConfig withLossWeight(double w) {
        return new SemSegConfig(inFeatures, inChannels, convDims, numClasses, commonStride, norm, w, ignoreValue);
    }

    /** The level k of "pk". */
    static int level(String feature) {
        if (!feature.matches("p[1-9]")) {
            throw new IllegalArgumentException("semantic head inputs are FPN levels p1..p9, got '" + feature + "'");
        }
        return feature.charAt(1) - '0';
    }

    static int stride(String feature) {
        return 1 << level(feature);
    }
}
