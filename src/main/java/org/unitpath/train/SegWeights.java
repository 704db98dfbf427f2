package org.unitpath.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.seg.Caffe2Names;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.seg.WeightNames;
import org.unitpath.torch.LoadReport;
import org.unitpath.torch.pt.PtFile;

/**
 * Initial weights of a downstream S, as Detectron2's {@code MODEL.WEIGHTS} loads them: whatever
 * matches by name and shape is copied, the rest keeps its fresh initialisation. Accepts a
 * pretraining checkpoint (its S), an exported {@code S.pt}, a torchvision-named ResNet-50 trunk, or a
 * Caffe2 / Detectron1 ImageNet {@code .pkl} trunk ({@code R-50-GN.pkl}).
 * A file that fills none of the trunk is refused: it is not weights for this network.
 */
public final class SegWeights {
    private SegWeights() {}

    /** Loads {@code weights} (empty: none) into {@code s}; returns a one-line account for the log. */
    public static String initialise(SegmentationNetwork s, String weights) throws IOException {
        if (weights == null || weights.isEmpty()) {
            return "random initialisation (MODEL.WEIGHTS is empty)";
        }
        Path file = Path.of(weights);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(weights, null, "MODEL.WEIGHTS file not found");
        }
        Map<String, Tensor> sd = PtFile.readStateDict(file);
        WeightNames.Naming naming = WeightNames.detect(sd);
        if (naming == WeightNames.Naming.CAFFE2) {
            sd = WeightNames.withPrefix(Caffe2Names.toDetectron2(sd, weights).trunk(), WeightNames.TRUNK_PREFIX);
        } else if (naming == WeightNames.Naming.TORCHVISION) {
            sd = WeightNames.toDetectron2(sd, WeightNames.TRUNK_PREFIX);
        } else if (naming == WeightNames.Naming.DETECTRON2 && WeightNames.trunkPrefix(sd).isEmpty()) {
            sd = WeightNames.withPrefix(sd, WeightNames.TRUNK_PREFIX);
        }
        LoadReport r = s.loadStateDict(sd, false);
        long trunk = s.stateDict().keySet().stream().filter(k -> k.startsWith(WeightNames.TRUNK_PREFIX)).count();
        long trunkMissing = r.missing().stream().filter(k -> k.startsWith(WeightNames.TRUNK_PREFIX)).count()
                + r.mismatched().stream().filter(k -> k.startsWith(WeightNames.TRUNK_PREFIX)).count();
        if (trunkMissing > 0) {
            throw new IllegalArgumentException(weights + " does not hold this network's ResNet trunk: " + trunkMissing + " of "
                    + trunk + " trunk tensors are missing or of another shape (e.g. "
                    + first(r.missing(), r.mismatched()) + "); check MODEL.RESNETS.* and MODEL.WEIGHTS");
        }
        long loaded = s.stateDict().size() - r.missing().size() - r.mismatched().size();
        return String.format("%s: %d tensors loaded (%s naming); newly initialised: %s; unused: %s; shape mismatch: %s",
                weights, loaded, naming.name().toLowerCase(), groups(r.missing()), groups(r.unexpected()), groups(r.mismatched()));
    }

    private static String first(List<String> a, List<String> b) {
        return a.stream().filter(k -> k.startsWith(WeightNames.TRUNK_PREFIX)).findFirst()
                .orElse(b.isEmpty() ? "?" : b.get(0));
    }

    /** Names summarised by their first two components: "roi_heads.mask_head (8)". */
    private static String groups(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        Map<String, Integer> counts = new java.util.TreeMap<>();
        for (String n : names) {
            String[] parts = n.split("[.:]");
            String key = parts.length > 1 ? parts[0] + "." + parts[1] : parts[0];
            counts.merge(key, 1, Integer::sum);
        }
        TreeSet<String> out = new TreeSet<>();
        counts.forEach((k, v) -> out.add(k + " (" + v + ")"));
        return String.join(", ", out);
    }
}
