package org.unitpath.gan;

import org.bytedeco.pytorch.GeneratorOptional;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.nn.BatchNorm2d;
import org.unitpath.nn.Conv2d;
import org.unitpath.nn.ConvTranspose2d;
import org.unitpath.torch.Init;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;

/**
 * The CycleGAN / pix2pix initialisation ({@code weights_init_normal} of the release): every
 * convolution and transposed convolution gets weights N(0, 0.02) and zero bias, every BatchNorm2d
 * weight N(1, 0.02) and zero bias; other layers keep theirs. Tensors are drawn in module-tree
 * order from libtorch's generator, so {@code Torch.seed} makes the result reproducible.
 */
public final class GanInit {
    public static final double STD = 0.02;

    private GanInit() {}

    public static <M extends Module> M normal(M root) {
        visit(root);
        return root;
    }

    private static void visit(Module m) {
        if (m instanceof Conv2d c) {
            convolution(c.weight(), c.bias());
        } else if (m instanceof ConvTranspose2d c) {
            convolution(c.weight(), c.bias());
        } else if (m instanceof BatchNorm2d bn) {
            Tensor weight = bn.namedParameters().get("weight");
            try (NoGrad ng = NoGrad.enter()) {
                weight.normal_(1.0, STD, new GeneratorOptional());
            }
            Init.constant(bn.namedParameters().get("bias"), 0.0);
        }
        for (Module child : m.children().values()) {
            visit(child);
        }
    }

    private static void convolution(Tensor weight, Tensor bias) {
        Init.normal(weight, STD);
        if (bias != null) {
            Init.constant(bias, 0.0);
        }
    }
}
