package org.unitpath.gan;

import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;

/**
 * Numerical parity of the generator side with NVlabs/stylegan2-ada-pytorch (float32, CPU reference
 * paths), from the fixtures of tools/fixtures/make_stylegan_fixtures.py: mapping network, one
 * synthesis block (modulated convs with FIR up-sampling and constant noise, toRGB, skip image),
 * and the whole co-modulated generator composed from SG2ADA layers in co-mod-gan's order.
 */
class StyleGanParityTest {
    /** The sizes of the fixture script: 32x32, channels 4:16 .. 32:8, z 12, w 10, 3 mapping layers. */
    static final StyleGanConfig CFG = new StyleGanConfig(32, 256, 16, 12, 10, 3, 0.01, true, 16, 0.5, 2, 3);
    private static final SynthesisLayer.Noise[] MODES = {SynthesisLayer.Noise.CONST, SynthesisLayer.Noise.NONE};

    @Test
    void mappingNormalisesZAppliesTheLrMultiplierAndTracksWAverage() {
        StyleGanFixture fx = StyleGanFixture.load("mapping.pt");
        MappingNetwork m = fx.loadInto(new MappingNetwork(CFG.zDim(), CFG.wDim(), CFG.mappingLayers(),
                CFG.mappingLrMultiplier()), "weights.");
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor z = fx.get("z");
            m.eval();
            fx.assertClose("mapping w", "w", m.forward(z, 1, false));
            fx.assertClose("mapping w, truncation 0.7", "w_psi07", m.forward(z, 0.7, false));
            m.train(true);
            m.forward(z, 1, true);
            fx.assertClose("mapping w_avg after one update", "w_avg_after_update", m.namedBuffers().get("w_avg"));
        }
    }

    @Test
    void synthesisBlockMatchesLayerByLayer() {
        StyleGanFixture fx = StyleGanFixture.load("synthesis_block.pt");
        int styleDim = CFG.wDim() + CFG.globalDim();
        int in = CFG.channels(16);
        int out = CFG.channels(32);
        SynthesisLayer conv0 = fx.loadInto(new SynthesisLayer(in, out, styleDim, 32, true), "weights.b32_conv0.");
        SynthesisLayer conv1 = fx.loadInto(new SynthesisLayer(out, out, styleDim, 32, false), "weights.b32_conv1.");
        ToRgb torgb = fx.loadInto(new ToRgb(out, 3, styleDim), "weights.b32_torgb.");
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor ws = fx.get("ws");
            for (SynthesisLayer.Noise mode : MODES) {
                String m = mode.name().toLowerCase();
                for (boolean fused : new boolean[] {false, true}) {
                    String tag = m + (fused ? " fused" : " unfused");
                    // each layer is fed the reference input, so a difference points at that layer
                    fx.assertClose("synthesis conv0 (up, FIR) " + tag, "conv0." + m,
                            conv0.forward(fx.get("x"), ws.select(1, 0), mode, fused, 1));
                    fx.assertClose("synthesis conv1 " + tag, "conv1." + m,
                            conv1.forward(fx.get("conv0." + m), ws.select(1, 1), mode, fused, 1));
                    Tensor rgb = torgb.forward(fx.get("conv1." + m), ws.select(1, 2), fused);
                    fx.assertClose("toRGB " + tag, "torgb." + m, rgb);
                    // the "skip" architecture: previous image FIR-up-sampled plus this block's RGB
                    Tensor img = Upfirdn2d.upsample2d(fx.get("img"), Upfirdn2d.BINOMIAL, 2, 0, false, 1).add(rgb);
                    fx.assertClose("synthesis block image " + tag, "block_img." + m, img);
                }
            }
        }
    }

    @Test
    void coModulatedGeneratorMatchesTheComposedReference() {
        checkGenerator("comod.", CFG);
    }

    @Test
    void styleOnlyModulationWithSkipAt4MatchesTheComposedReference() {
        checkGenerator("stylemod.", CFG.withConditioning(false, 4));
    }

    private static void checkGenerator(String p, StyleGanConfig cfg) {
        StyleGanFixture fx = StyleGanFixture.load("comod.pt");
        CoModGenerator g = fx.loadInto(new CoModGenerator(cfg), p + "weights.");
        ConditionEncoder e = fx.loadInto(new ConditionEncoder(cfg), p + "weights.encoder.");
        g.eval();
        e.eval();
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor mask = fx.get(p + "mask");
            Tensor z = fx.get(p + "z");
            ConditionEncoder.Encoding enc = e.forward(mask);
            for (Map.Entry<Integer, Tensor> skip : enc.skips().entrySet()) {
                fx.assertClose(p + "encoder skip " + skip.getKey(), p + "skip" + skip.getKey(), skip.getValue());
            }
            fx.assertClose(p + "encoder global code g", p + "g", enc.global());
            fx.assertClose(p + "ws", p + "ws", g.mappedWs(z, 1));
            fx.assertClose(p + "image, const noise, fused", p + "img_const", g.forward(mask, z, 1, SynthesisLayer.Noise.CONST, true));
            fx.assertClose(p + "image, const noise, unfused", p + "img_const",
                    g.forward(mask, z, 1, SynthesisLayer.Noise.CONST, false));
            fx.assertClose(p + "image, truncation 0.6", p + "img_const_psi06", g.forward(mask, z, 0.6,
                    SynthesisLayer.Noise.CONST, false));
            fx.assertClose(p + "sample(), truncation 0.6", p + "img_const_psi06", g.sample(mask, z, 0.6));
            fx.assertClose(p + "image, no noise", p + "img_none", g.forward(mask, z, 1, SynthesisLayer.Noise.NONE, false));
            fx.assertClose(p + "image, a different w per layer", p + "img_ws_mixed",
                    g.synthesize(fx.get(p + "ws_mixed"), mask, SynthesisLayer.Noise.CONST));
        }
    }
}
