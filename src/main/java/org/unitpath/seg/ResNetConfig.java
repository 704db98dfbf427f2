package org.unitpath.seg;

import java.util.List;

/**
 * Detectron2's {@code MODEL.RESNETS} and {@code MODEL.BACKBONE.FREEZE_AT} for bottleneck
 * ResNets. {@code freezeAt}: 0 or -1 trains everything, 1 freezes the stem, k freezes the stem
 * and res2..res{k}. Channel widths are parameters so tests can build narrow networks.
 */
public record ResNetConfig(int depth, String norm, int freezeAt, boolean strideInOneByOne,
        List<String> outFeatures, int stemOutChannels, int res2OutChannels, int widthPerGroup, int numGroups) {

    public static final List<String> ALL_STAGES = List.of("res2", "res3", "res4", "res5");

    public ResNetConfig {
        outFeatures = List.copyOf(outFeatures);
        if (blocksPerStage(depth) == null) {
            throw new IllegalArgumentException("MODEL.RESNETS.DEPTH " + depth + " is not supported: use 50, 101 or 152");
        }
        for (String f : outFeatures) {
            if (!f.equals("stem") && !ALL_STAGES.contains(f)) {
                throw new IllegalArgumentException("unknown ResNet output feature '" + f + "': expected stem or res2..res5");
            }
        }
        if (freezeAt < -1 || freezeAt > 5) {
            throw new IllegalArgumentException("MODEL.BACKBONE.FREEZE_AT must be in -1..5, got " + freezeAt);
        }
    }

    /** The paper's trunk: ResNet-50, GroupNorm(32), nothing frozen, stride in the 3x3 conv. */
    public static ResNetConfig resnet50GN() {
        return resnet50("GN");
    }

    public static ResNetConfig resnet50(String norm) {
        return new ResNetConfig(50, norm, 0, false, ALL_STAGES, 64, 256, 64, 1);
    }

    public ResNetConfig withNorm(String n) {
        return new ResNetConfig(depth, n, freezeAt, strideInOneByOne, outFeatures, stemOutChannels, res2OutChannels, widthPerGroup, numGroups);
    }

    public ResNetConfig withFreezeAt(int f) {
        return new ResNetConfig(depth, norm, f, strideInOneByOne, outFeatures, stemOutChannels, res2OutChannels, widthPerGroup, numGroups);
    }

    /** Narrower channels (all widths divided by {@code factor}) for tests and tiny demos. */
    public ResNetConfig narrowed(int factor) {
        return new ResNetConfig(depth, norm, freezeAt, strideInOneByOne, outFeatures, stemOutChannels / factor,
                res2OutChannels / factor, widthPerGroup / factor, numGroups);
    }

    static int[] blocksPerStage(int depth) {
        return switch (depth) {
            case 50 -> new int[] {3, 4, 6, 3};
            case 101 -> new int[] {3, 4, 23, 3};
            case 152 -> new int[] {3, 8, 36, 3};
            default -> null;
        };
    }

    /** Output channels of a stage ("res2".."res5") or of the stem. */
    public int channels(String feature) {
        if (feature.equals("stem")) {
            return stemOutChannels;
        }
        return res2OutChannels << ALL_STAGES.indexOf(feature);
    }
}
