package org.unitpath.seg;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.ConvTranspose2d;
import org.unitpath.nn.Norms;
import org.unitpath.torch.F;
import org.unitpath.torch.Init;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * Detectron2's MaskRCNNConvUpsampleHead: {@code mask_fcn1..4} (3x3 convs with norm + ReLU), a 2x2
 * stride-2 {@code deconv} + ReLU and a 1x1 {@code predictor}: per-class mask logits at twice the
 * pooled resolution (28x28 from 14x14).
 */
public final class MaskHead extends Module {
    private final List<Conv2d> convs = new ArrayList<>();
    private final ConvTranspose2d deconv;
    private final Conv2d predictor;

    public MaskHead(int channels, int numConvs, int convDim, String norm, int numClasses) {
        int c = channels;
        for (int i = 0; i < numConvs; i++) {
            Conv2d conv = child("mask_fcn" + (i + 1), Conv2d.of(c, convDim, 3).padding(1).norm(Norms.create(norm, convDim)).build());
            Init.msraFill(conv.weight());
            if (conv.bias() != null) {
                Init.constant(conv.bias(), 0);
            }
            convs.add(conv);
            c = convDim;
        }
        deconv = child("deconv", ConvTranspose2d.of(c, convDim, 2).stride(2).build());
        Init.msraFill(deconv.weight());
        Init.constant(deconv.bias(), 0);
        predictor = child("predictor", Conv2d.of(convDim, numClasses, 1).bias(true).build());
        Init.normal(predictor.weight(), 0.001);
        Init.constant(predictor.bias(), 0);
    }

    public Tensor forward(Tensor pooled) {
        List<UnaryOperator<Tensor>> layers = new ArrayList<>();
        for (Conv2d conv : convs) {
            layers.add(x -> F.relu_(conv.forward(x)));
        }
        layers.add(x -> F.relu_(deconv.forward(x)));
        layers.add(predictor::forward);
        return MemoryScope.chain(pooled, layers);
    }
}
