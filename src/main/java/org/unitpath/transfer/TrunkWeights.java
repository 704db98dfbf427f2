package org.unitpath.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.seg.Caffe2Names;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.ResNetConfig;
import org.unitpath.seg.WeightNames;
import org.unitpath.seg.WeightNames.Naming;
import org.unitpath.torch.StateDictException;
import org.unitpath.torch.pt.PtFile;

/**
 * Builds the ResNet trunk that a weights file holds and loads it strictly. Accepts our exports
 * ({@code backbone_torchvision.pt}, {@code S.pt} with Detectron2 names; only the trunk of S is
 * used), torchvision-named ResNets written by Python ({@code fc} is ignored) and Caffe2 / Detectron1
 * ImageNet {@code .pkl} trunks such as {@code R-50-GN.pkl}. The
 * architecture is read from the tensors: depth from the blocks per stage, GroupNorm / BatchNorm /
 * FrozenBN from the norm entries, channel widths from the shapes; the stride sits in the 3x3
 * convolution as in torchvision and the paper's trunk.
 */
public final class TrunkWeights {
    private TrunkWeights() {}

    /** A loaded trunk and what it was read as. */
    public record Loaded(ResNet trunk, Naming naming, Path file) {
        /** e.g. "ResNet-50, GN, 2048 features, torchvision names". */
        public String describe() {
            ResNetConfig c = trunk.config;
            return String.format(Locale.ROOT, "ResNet-%d, %s, %d features, %s names", c.depth(), c.norm(),
                    features(trunk), naming.name().toLowerCase(Locale.ROOT));
        }
    }

    /** Width of the pooled feature: the channels of the last stage. */
    public static int features(ResNet trunk) {
        return trunk.config.channels("res5");
    }

    public static Loaded load(Path file) throws IOException {
        Map<String, Tensor> sd = PtFile.readStateDict(file);
        Naming naming = WeightNames.detect(sd);
        Map<String, Tensor> d2 = switch (naming) {
            case TORCHVISION -> fromTorchvision(sd, file);
            case DETECTRON2 -> trunkOf(sd);
            case CAFFE2 -> Caffe2Names.toDetectron2(sd, file.toString()).trunk();
            case UNKNOWN -> throw new IllegalArgumentException(file + ": no ResNet trunk found (neither torchvision names "
                    + "conv1.weight + layer1.* nor Detectron2 names *stem.conv1.weight nor Caffe2 names conv1_w + "
                    + "res2_0_branch2a_w); first names: "
                    + sd.keySet().stream().limit(5).toList());
        };
        ResNet trunk = new ResNet(config(d2, file));
        try {
            trunk.loadStateDict(d2, true);
        } catch (StateDictException e) {
            throw new IllegalArgumentException(file + ": the weights do not fit the ResNet trunk they describe: "
                    + e.report().describe(), e);
        }
        return new Loaded(trunk, naming, file);
    }

    private static Map<String, Tensor> fromTorchvision(Map<String, Tensor> tv, Path file) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tv.entrySet()) {
            if (!e.getKey().startsWith("fc.") && WeightNames.toDetectron2(Map.of(e.getKey(), e.getValue()), "").isEmpty()) {
                unknown.add(e.getKey());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(file + ": " + unknown.size() + " entries are not part of a torchvision ResNet: "
                    + unknown.stream().limit(5).toList() + (unknown.size() > 5 ? " ..." : ""));
        }
        return WeightNames.toDetectron2(tv, "");
    }

    /** The entries under the trunk's prefix, with the prefix removed (S's FPN and heads are left out). */
    private static Map<String, Tensor> trunkOf(Map<String, Tensor> d2) {
        String prefix = WeightNames.trunkPrefix(d2);
        Map<String, Tensor> out = new LinkedHashMap<>();
        d2.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** The trunk architecture that bare Detectron2-named weights describe. */
    static ResNetConfig config(Map<String, Tensor> sd, Path file) {
        int[] blocks = new int[4];
        for (int s = 0; s < 4; s++) {
            while (sd.containsKey("res" + (s + 2) + "." + blocks[s] + ".conv1.weight")) {
                blocks[s]++;
            }
        }
        int depth = depthOf(blocks);
        if (depth < 0) {
            throw new IllegalArgumentException(file + ": blocks per stage res2..res5 are " + java.util.Arrays.toString(blocks)
                    + "; a ResNet-50/101/152 trunk has [3, 4, 6|23|36, 3] (res5 is needed for the pooled features)");
        }
        String norm;
        if (sd.containsKey("stem.conv1.norm.running_mean")) {
            norm = sd.containsKey("stem.conv1.norm.num_batches_tracked") ? "BN" : "FrozenBN";
        } else if (sd.containsKey("stem.conv1.norm.weight")) {
            norm = "GN";
        } else {
            throw new IllegalArgumentException(file + ": the stem has no normalisation layer (stem.conv1.norm.* / bn1.*)");
        }
        int stem = (int) tensor(sd, "stem.conv1.weight", file).size(0);
        int res2 = (int) tensor(sd, "res2.0.conv3.weight", file).size(0);
        int width = (int) tensor(sd, "res2.0.conv1.weight", file).size(0);
        int groups = (int) (width / tensor(sd, "res2.0.conv2.weight", file).size(1));
        return new ResNetConfig(depth, norm, 0, false, List.of("res5"), stem, res2, width / groups, groups);
    }

    private static Tensor tensor(Map<String, Tensor> sd, String name, Path file) {
        Tensor t = sd.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + ": trunk entry " + name + " is missing");
        }
        return t;
    }

    private static int depthOf(int[] blocks) {
        if (blocks[0] != 3 || blocks[3] != 3) {
            return -1;
        }
        if (blocks[1] == 4 && blocks[2] == 6) {
            return 50;
        }
        if (blocks[1] == 4 && blocks[2] == 23) {
            return 101;
        }
        return blocks[1] == 8 && blocks[2] == 36 ? 152 : -1;
    }
}
