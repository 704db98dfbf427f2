package org.unitpath.seg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.Norms;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * Detectron2's FPN over a ResNet ({@code backbone} of S): 1x1 lateral convs
 * {@code fpn_lateral2..5} and 3x3 output convs {@code fpn_output2..5}, each with an optional
 * norm, a top-down path of nearest x2 up-sampling and sums, and P6 = P5 sub-sampled by 2
 * (LastLevelMaxPool). The trunk is the child {@code bottom_up}. Returns p2..p6.
 */
public final class Fpn extends Module {
    public static final int SIZE_DIVISIBILITY = 32;
    public final int outChannels;
    private final ResNet bottomUp;
    private final List<String> inFeatures;
    private final List<Conv2d> laterals = new ArrayList<>();
    private final List<Conv2d> outputs = new ArrayList<>();

    public Fpn(ResNet bottomUp, List<String> inFeatures, int outChannels, String norm) {
        this.inFeatures = List.copyOf(inFeatures);
        this.outChannels = outChannels;
        boolean bias = Norms.isNone(norm);
        for (String f : inFeatures) {
            if (!bottomUp.config.outFeatures().contains(f)) {
                throw new IllegalArgumentException("FPN input '" + f + "' is not an output of the ResNet " + bottomUp.config.outFeatures());
            }
            String level = f.substring(3);
            Conv2d lateral = child("fpn_lateral" + level, Conv2d.of(bottomUp.config.channels(f), outChannels, 1)
                    .bias(bias).norm(Norms.create(norm, outChannels)).build());
            Conv2d output = child("fpn_output" + level, Conv2d.of(outChannels, outChannels, 3).padding(1)
                    .bias(bias).norm(Norms.create(norm, outChannels)).build());
            for (Conv2d c : new Conv2d[] {lateral, output}) {
                Init.xavierFill(c.weight());
                if (c.bias() != null) {
                    Init.constant(c.bias(), 0);
                }
            }
            laterals.add(lateral);
            outputs.add(output);
        }
        this.bottomUp = child("bottom_up", bottomUp);
    }

    /** The paper's backbone: ResNet-50-GN with a 256-channel GN FPN on res2..res5. */
    public static Fpn resnet50GN() {
        return new Fpn(new ResNet(ResNetConfig.resnet50GN()), ResNetConfig.ALL_STAGES, 256, "GN");
    }

    public ResNet bottomUp() {
        return bottomUp;
    }

    /** Pyramid levels "p2".."p6" (strides 4..64) for an image batch whose sides are multiples of 32. */
    public Map<String, Tensor> forward(Tensor x) {
        if (x.dim() == 4 && (x.size(2) % SIZE_DIVISIBILITY != 0 || x.size(3) % SIZE_DIVISIBILITY != 0)) {
            throw new IllegalArgumentException("FPN input height and width must be multiples of " + SIZE_DIVISIBILITY
                    + ", got " + x.size(2) + "x" + x.size(3));
        }
        return MemoryScope.scopedMap(() -> levels(bottomUp.forward(x)));
    }

    private Map<String, Tensor> levels(Map<String, Tensor> features) {
        int n = inFeatures.size();
        Tensor[] results = new Tensor[n];
        Tensor prev = laterals.get(n - 1).forward(features.get(inFeatures.get(n - 1)));
        results[n - 1] = outputs.get(n - 1).forward(prev);
        for (int i = n - 2; i >= 0; i--) {
            Tensor topDown = F.upsampleNearest(prev, 2);
            prev = laterals.get(i).forward(features.get(inFeatures.get(i))).add(topDown);
            results[i] = outputs.get(i).forward(prev);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            out.put("p" + inFeatures.get(i).substring(3), results[i]);
        }
        int top = Integer.parseInt(inFeatures.get(n - 1).substring(3));
        out.put("p" + (top + 1), F.maxPool2d(results[n - 1], 1, 2, 0));
        return out;
    }
}
