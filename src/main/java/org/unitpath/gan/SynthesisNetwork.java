package org.unitpath.gan;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;

/**
 * The synthesis network with "skip" RGB outputs: the 4x4 input comes from the global code (FC,
 * reshape) plus the encoder's 4x4 feature; each block at 8..R up-samples with a modulated conv,
 * adds the encoder feature of its resolution (up to SKIP_RESOLUTION), convolves again and adds
 * its RGB output to the up-sampled image so far. Layer i is modulated by ws[i] (co-modulation:
 * concatenated with g).
 */
public final class SynthesisNetwork extends Module {
    private final StyleGanConfig cfg;
    private final FullyConnected fcOut;
    private final SynthesisLayer conv4;
    private final ToRgb rgb4;
    private final List<SynthesisLayer[]> convs = new ArrayList<>();
    private final List<ToRgb> rgbs = new ArrayList<>();

    public SynthesisNetwork(StyleGanConfig cfg) {
        this.cfg = cfg;
        int styleDim = cfg.wDim() + (cfg.condMod() ? cfg.globalDim() : 0);
        fcOut = child("fc", new FullyConnected(cfg.globalDim(), cfg.channels(4) * 16, Activation.LRELU));
        conv4 = child("b4_conv1", new SynthesisLayer(cfg.channels(4), cfg.channels(4), styleDim, 4, false));
        rgb4 = child("b4_torgb", new ToRgb(cfg.channels(4), cfg.imageChannels(), styleDim));
        for (int res = 8; res <= cfg.resolution(); res *= 2) {
            SynthesisLayer c0 = child("b" + res + "_conv0",
                    new SynthesisLayer(cfg.channels(res / 2), cfg.channels(res), styleDim, res, true));
            SynthesisLayer c1 = child("b" + res + "_conv1",
                    new SynthesisLayer(cfg.channels(res), cfg.channels(res), styleDim, res, false));
            convs.add(new SynthesisLayer[] {c0, c1});
            rgbs.add(child("b" + res + "_torgb", new ToRgb(cfg.channels(res), cfg.imageChannels(), styleDim)));
        }
    }

    /** ws: N x numWs x wDim. The toRGB of a block shares its w with the next block's first conv, as in StyleGAN2. */
    public Tensor forward(Tensor ws, ConditionEncoder.Encoding enc, SynthesisLayer.Noise noise, boolean fused) {
        long n = ws.size(0);
        Tensor x = fcOut.forward(enc.global()).reshape(n, cfg.channels(4), 4, 4);
        if (cfg.skipResolution() >= 4) {
            x = x.add(enc.skips().get(4));
        }
        x = conv4.forward(x, style(ws, 0, enc), noise, fused, 1);
        Tensor img = rgb4.forward(x, style(ws, 1, enc), fused);
        int w = 1;
        int res = 8;
        for (int b = 0; b < convs.size(); b++, res *= 2) {
            x = convs.get(b)[0].forward(x, style(ws, w, enc), noise, fused, 1);
            if (res <= cfg.skipResolution()) {
                x = x.add(enc.skips().get(res));
            }
            x = convs.get(b)[1].forward(x, style(ws, w + 1, enc), noise, fused, 1);
            Tensor prev = img;
            Tensor rgb = rgbs.get(b).forward(x, style(ws, w + 2, enc), fused);
            img = MemoryScope.scoped(() -> Upfirdn2d.upsample2d(prev, Upfirdn2d.BINOMIAL, 2, 0, false, 1).add(rgb));
            w += 2;
        }
        return img;
    }

    private Tensor style(Tensor ws, int i, ConditionEncoder.Encoding enc) {
        Tensor w = ws.select(1, i);
        return cfg.condMod() ? torch.cat(new org.bytedeco.pytorch.TensorVector(w, enc.global()), 1) : w;
    }
}
