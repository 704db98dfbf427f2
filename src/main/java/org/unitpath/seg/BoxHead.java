package org.unitpath.seg;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.Linear;
import org.unitpath.nn.Norms;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/** Detectron2's FastRCNNConvFCHead: optional 3x3 convs ({@code conv1..}) with norm, then FC layers ({@code fc1..}), all ReLU. */
public final class BoxHead extends Module {
    private final List<Conv2d> convs = new ArrayList<>();
    private final List<Linear> fcs = new ArrayList<>();
    public final int outputDim;

    public BoxHead(int channels, int resolution, int numConvs, int convDim, int numFcs, int fcDim, String norm) {
        int c = channels;
        for (int i = 0; i < numConvs; i++) {
            Conv2d conv = child("conv" + (i + 1), Conv2d.of(c, convDim, 3).padding(1).norm(Norms.create(norm, convDim)).build());
            Init.msraFill(conv.weight());
            if (conv.bias() != null) {
                Init.constant(conv.bias(), 0);
            }
            convs.add(conv);
            c = convDim;
        }
        int in = c * resolution * resolution;
        for (int i = 0; i < numFcs; i++) {
            Linear fc = child("fc" + (i + 1), new Linear(in, fcDim));
            Init.xavierFill(fc.weight());
            Init.constant(fc.namedParameters().get("bias"), 0);
            fcs.add(fc);
            in = fcDim;
        }
        outputDim = in;
    }

    public Tensor forward(Tensor pooled) {
        List<UnaryOperator<Tensor>> layers = new ArrayList<>();
        for (Conv2d conv : convs) {
            layers.add(x -> F.relu_(conv.forward(x)));
        }
        for (int i = 0; i < fcs.size(); i++) {
            Linear fc = fcs.get(i);
            layers.add(i == 0 ? x -> F.relu_(fc.forward(x.flatten(1, -1))) : x -> F.relu_(fc.forward(x)));
        }
        return MemoryScope.chain(pooled, layers);
    }
}
