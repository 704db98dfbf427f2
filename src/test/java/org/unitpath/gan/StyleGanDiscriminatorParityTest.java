package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;

/**
 * Numerical parity of D_G with NVlabs/stylegan2-ada-pytorch's residual Discriminator (float32,
 * CPU reference paths) at 32x32: fromRGB, one residual block, minibatch stddev, the epilogue and
 * the whole network, loaded from tools/fixtures/make_stylegan_fixtures.py's discriminator.pt.
 */
class StyleGanDiscriminatorParityTest {
    private static final double HALF = Math.sqrt(0.5);
    /** 32x32, channels 32:8, 16:16, 8:16, 4:16, minibatch-stddev group 2 (batch 4). */
    private static final StyleGanConfig CFG = StyleGanParityTest.CFG;

    @Test
    void fromRgbAndResidualBlockWithFirDownsampling() {
        StyleGanFixture fx = StyleGanFixture.load("discriminator.pt");
        int c = CFG.channels(32);
        int next = CFG.channels(16);
        EqConv2d fromRgb = fx.loadInto(new EqConv2d(3, c, 1, true, Activation.LRELU, false), "weights.fromrgb.");
        EqConv2d conv0 = fx.loadInto(new EqConv2d(c, c, 3, true, Activation.LRELU, false), "weights.b32_conv0.");
        EqConv2d conv1 = fx.loadInto(new EqConv2d(c, next, 3, true, Activation.LRELU, true), "weights.b32_conv1.");
        EqConv2d skip = fx.loadInto(new EqConv2d(c, next, 1, false, Activation.LINEAR, true), "weights.b32_skip.");
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            fx.assertClose("D fromRGB", "fromrgb", fromRgb.forward(fx.get("img")));
            // SG2ADA DiscriminatorBlock 'resnet': skip(x, gain=sqrt(.5)) + conv1(conv0(x), gain=sqrt(.5))
            Tensor x = fx.get("fromrgb");
            Tensor out = skip.forward(x, HALF).add(conv1.forward(conv0.forward(x), HALF));
            fx.assertClose("D residual block 32 -> 16", "b32_out", out);
        }
    }

    @Test
    void minibatchStddevUsesGroupsOfMinGN() {
        StyleGanFixture fx = StyleGanFixture.load("discriminator.pt");
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            fx.assertClose("mbstd group 3 of 6", "mbstd_g3", StyleGanDiscriminator.minibatchStd(fx.get("mbstd_in"), 3));
            fx.assertClose("mbstd group 8 > batch 6", "mbstd_g8", StyleGanDiscriminator.minibatchStd(fx.get("mbstd_in"), 8));
            fx.assertClose("mbstd in D (group 2 of 4)", "mbstd",
                    StyleGanDiscriminator.minibatchStd(fx.get("b8_out"), CFG.mbstdGroup()));
        }
    }

    @Test
    void epilogueConvFcAndOutput() {
        StyleGanFixture fx = StyleGanFixture.load("discriminator.pt");
        int c4 = CFG.channels(4);
        EqConv2d conv = fx.loadInto(new EqConv2d(c4 + 1, c4, 3, true, Activation.LRELU, false), "weights.b4_conv.");
        FullyConnected fc = fx.loadInto(new FullyConnected(c4 * 16, c4, Activation.LRELU), "weights.b4_fc.");
        FullyConnected out = fx.loadInto(new FullyConnected(c4, 1, Activation.LINEAR), "weights.b4_out.");
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor logits = out.forward(fc.forward(conv.forward(fx.get("mbstd")).flatten(1, -1)));
            fx.assertClose("D epilogue (from reference mbstd output)", "logits", logits);
        }
    }

    @Test
    void wholeDiscriminator() {
        StyleGanFixture fx = StyleGanFixture.load("discriminator.pt");
        StyleGanDiscriminator d = fx.loadInto(new StyleGanDiscriminator(CFG), "weights.");
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            fx.assertClose("D logits", "logits", d.forward(fx.get("img")));
        }
    }
}
