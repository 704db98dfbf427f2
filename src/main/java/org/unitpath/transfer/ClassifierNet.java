package org.unitpath.transfer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Linear;
import org.unitpath.seg.ResNet;
import org.unitpath.seg.WeightNames;
import org.unitpath.torch.Module;

/** The trunk with a linear head on its pooled features: a tile classifier ({@code trunk.*}, {@code head.*}). */
public final class ClassifierNet extends Module {
    private final ResNet trunk;
    private final Linear head;

    public ClassifierNet(ResNet trunk, int classes) {
        this.trunk = child("trunk", trunk);
        this.head = child("head", new Linear(TrunkWeights.features(trunk), classes));
    }

    /** Class logits, N x classes. */
    public Tensor forward(Tensor x) {
        return head.forward(trunk.pooled(x));
    }

    /**
     * The weights with torchvision names, the head as {@code fc}: loads strictly into
     * {@code torchvision.models.resnet50(num_classes=K, norm_layer=...)}.
     */
    public Map<String, Tensor> torchvisionStateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>(WeightNames.toTorchvision(trunk.stateDict(), 0));
        head.stateDict().forEach((k, v) -> out.put("fc." + k, v));
        return out;
    }

    /** Loads what {@link #torchvisionStateDict} wrote, strictly (FrozenBN trunks ignore the added batch counters). */
    public void loadTorchvisionStateDict(Map<String, Tensor> tv) {
        Map<String, Tensor> own = stateDict();
        Map<String, Tensor> sd = new LinkedHashMap<>();
        WeightNames.toDetectron2(tv, "trunk.").forEach((k, v) -> {
            if (own.containsKey(k) || !k.endsWith(".num_batches_tracked")) {
                sd.put(k, v);
            }
        });
        tv.forEach((k, v) -> {
            if (k.startsWith("fc.")) {
                sd.put("head." + k.substring(3), v);
            }
        });
        loadStateDict(sd, true);
    }
}
