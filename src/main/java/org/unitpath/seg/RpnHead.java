package org.unitpath.seg;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Conv2d;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.Module;

/** Detectron2's StandardRPNHead: shared 3x3 conv + ReLU, then 1x1 objectness (A) and box deltas (4A) per level. */
public final class RpnHead extends Module {
    private final Conv2d conv;
    private final Conv2d objectness;
    private final Conv2d deltas;

    public RpnHead(int channels, int anchorsPerLocation) {
        conv = child("conv", Conv2d.of(channels, channels, 3).padding(1).bias(true).build());
        objectness = child("objectness_logits", Conv2d.of(channels, anchorsPerLocation, 1).bias(true).build());
        deltas = child("anchor_deltas", Conv2d.of(channels, anchorsPerLocation * 4, 1).bias(true).build());
        for (Conv2d c : new Conv2d[] {conv, objectness, deltas}) {
            Init.normal(c.weight(), 0.01);
            Init.constant(c.bias(), 0);
        }
    }

    /** Per level: logits N x (H*W*A) and deltas N x (H*W*A) x 4, flattened in Detectron2's anchor order. */
    public List<Tensor[]> forward(List<Tensor> features) {
        List<Tensor[]> out = new ArrayList<>();
        for (Tensor f : features) {
            Tensor t = F.relu(conv.forward(f));
            long n = f.size(0);
            Tensor logits = objectness.forward(t).permute(0, 2, 3, 1).flatten(1, -1);
            Tensor d = deltas.forward(t);
            d = d.view(n, -1, 4, d.size(2), d.size(3)).permute(0, 3, 4, 1, 2).flatten(1, -2);
            out.add(new Tensor[] {logits, d});
        }
        return out;
    }
}
