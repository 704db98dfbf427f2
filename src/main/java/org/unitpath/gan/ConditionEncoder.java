package org.unitpath.gan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.Module;

/**
 * The condition encoder E of the co-modulated generator: from the mask image it keeps a skip
 * feature at every resolution (conv 3x3 before each 2x down-sampling, and a 3x3 conv at 4x4)
 * and the global code g (flattened 4x4 features -> FC -> dropout). Dropout acts in training mode
 * only, as AFCM's torch.nn.Dropout; co-mod-gan's TF code also drops at inference (its
 * "if is_training" is commented out), which this deliberately does not.
 */
public final class ConditionEncoder extends Module {
    /** Skip features by resolution (4 .. R) and the global code g. */
    public record Encoding(Map<Integer, Tensor> skips, Tensor global) {}

    private final StyleGanConfig cfg;
    private final EqConv2d fromRgb;
    private final List<EqConv2d[]> blocks = new ArrayList<>();
    private final EqConv2d conv4;
    private final FullyConnected fcIn;

    public ConditionEncoder(StyleGanConfig cfg) {
        this.cfg = cfg;
        int r = cfg.resolution();
        fromRgb = child("fromrgb", new EqConv2d(cfg.imageChannels(), cfg.channels(r), 1, true, Activation.LRELU, false));
        for (int res = r; res > 4; res /= 2) {
            EqConv2d conv0 = child("b" + res + "_conv0",
                    new EqConv2d(cfg.channels(res), cfg.channels(res), 3, true, Activation.LRELU, false));
            EqConv2d conv1 = child("b" + res + "_conv1",
                    new EqConv2d(cfg.channels(res), cfg.channels(res / 2), 3, true, Activation.LRELU, true));
            blocks.add(new EqConv2d[] {conv0, conv1});
        }
        conv4 = child("b4_conv", new EqConv2d(cfg.channels(4), cfg.channels(4), 3, true, Activation.LRELU, false));
        fcIn = child("fc", new FullyConnected(cfg.channels(4) * 16, cfg.globalDim(), Activation.LRELU));
    }

    public Encoding forward(Tensor mask) {
        if (mask.dim() != 4 || mask.size(1) != cfg.imageChannels() || mask.size(2) != cfg.resolution()
                || mask.size(3) != cfg.resolution()) {
            throw new IllegalArgumentException("generator input must be N x " + cfg.imageChannels() + " x "
                    + cfg.resolution() + " x " + cfg.resolution() + ", got " + java.util.Arrays.toString(mask.shape()));
        }
        Map<Integer, Tensor> skips = new LinkedHashMap<>();
        Tensor x = fromRgb.forward(mask);
        int res = cfg.resolution();
        for (EqConv2d[] b : blocks) {
            x = b[0].forward(x);
            skips.put(res, x);
            x = b[1].forward(x);
            res /= 2;
        }
        x = conv4.forward(x);
        skips.put(4, x);
        Tensor g = fcIn.forward(x.flatten(1, -1));
        g = torch.dropout(g, cfg.dropout(), isTraining());
        return new Encoding(skips, g);
    }
}
