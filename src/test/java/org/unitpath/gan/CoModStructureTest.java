package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/**
 * A written check of the co-modulated generator against zsyzzsoft/co-mod-gan's TF code
 * (training/co_mod_gan.py at c8b9ffe; "line n" below), which cannot run here: channel counts,
 * layer order and shapes, style widths, weight and activation gains, the +1 of the style bias,
 * dropout. The numbers of the same wiring are checked by StyleGanParityTest (comod.pt).
 */
class CoModStructureTest {
    /** 64x64 so both the channel cap (4..16) and the halving (32, 64) occur; skip links up to 32. */
    private static final StyleGanConfig CFG = new StyleGanConfig(64, 1024, 64, 8, 8, 2, 0.01, true, 32, 0.5, 2, 3);

    /** Line 332: nf(stage) = clip(int(fmap_base / 2^stage), 1, fmap_max); unitpath's channel base is 2 fmap_base. */
    private static int nf(StyleGanConfig c, int stage) {
        return Math.max(1, Math.min((c.channelBase() / 2) >> stage, c.channelMax()));
    }

    private static int log2(int r) {
        return Integer.numberOfTrailingZeros(r);
    }

    @Test
    void channelsAndGlobalCodeWidthAreCoModGansNf() {
        for (StyleGanConfig c : new StyleGanConfig[] {CFG, StyleGanConfig.paper256(), StyleGanConfig.demo64()}) {
            for (int r = 4; r <= c.resolution(); r *= 2) {
                // a resolution-r layer has nf(log2 r - 1) maps (lines 345, 350, 416, 419)
                assertEquals(nf(c, log2(r) - 1), c.channels(r), "channels at " + r);
            }
            assertEquals(nf(c, 1) * 2, c.globalDim(), "Dense0 width, line 388");
            // num_layers = 2 log2 R - 2 w vectors (line 336)
            assertEquals(2 * log2(c.resolution()) - 2, c.numWs());
        }
    }

    @Test
    void encoderLayersShapesAndOrderFollowTheTfScopes() {
        Map<String, long[]> expected = new LinkedHashMap<>();
        int top = log2(CFG.resolution());
        // E_<R>/FromRGB, line 345 (TF's input is [mask - 0.5, image * mask]; ours the 3-channel mask image)
        conv(expected, "fromrgb", 1, CFG.imageChannels(), nf(CFG, top - 1));
        for (int res = top; res > 2; res--) {
            // E_block, lines 350 and 353: Conv0 keeps nf(res-1) (stored as E_features), Conv1_down goes to nf(res-2)
            conv(expected, "b" + (1 << res) + "_conv0", 3, nf(CFG, res - 1), nf(CFG, res - 1));
            conv(expected, "b" + (1 << res) + "_conv1", 3, nf(CFG, res - 1), nf(CFG, res - 2));
        }
        conv(expected, "b4_conv", 3, nf(CFG, 1), nf(CFG, 1));          // E_4x4/Conv, line 385
        dense(expected, "fc", nf(CFG, 1) * 16, nf(CFG, 1) * 2);         // E_4x4/Dense0 on the flattened 4x4, line 388
        assertLayout(expected, new ConditionEncoder(CFG));
    }

    @Test
    void synthesisLayersShapesAndOrderFollowTheTfScopes() {
        for (boolean condMod : new boolean[] {true, false}) {
            StyleGanConfig c = CFG.withConditioning(condMod, CFG.skipResolution());
            // mod_vector = [w_i; x_global] when cond_mod (lines 396-399, 432-435): the affine input width
            int styleDim = c.wDim() + (condMod ? nf(c, 1) * 2 : 0);
            Map<String, long[]> expected = new LinkedHashMap<>();
            dense(expected, "fc", nf(c, 1) * 2, nf(c, 1) * 16);          // G_4x4/Dense, line 445
            modulated(expected, "b4_conv1", 4, 3, nf(c, 1), nf(c, 1), styleDim);   // G_4x4/Conv, line 449
            modulated(expected, "b4_torgb", 0, 1, nf(c, 1), c.imageChannels(), styleDim);  // G_4x4/ToRGB, line 451
            for (int res = 3; res <= log2(c.resolution()); res++) {
                String b = "b" + (1 << res);
                modulated(expected, b + "_conv0", 1 << res, 3, nf(c, res - 2), nf(c, res - 1), styleDim);  // Conv0_up, 416
                modulated(expected, b + "_conv1", 1 << res, 3, nf(c, res - 1), nf(c, res - 1), styleDim);  // Conv1, 419
                modulated(expected, b + "_torgb", 0, 1, nf(c, res - 1), c.imageChannels(), styleDim);     // ToRGB, 460
            }
            assertLayout(expected, new SynthesisNetwork(c));
        }
    }

    @Test
    void mappingLayersAreDenseWithLrMultiplier() {
        Torch.seed(7);
        MappingNetwork m = new MappingNetwork(CFG.zDim(), 32, 3, 0.01);
        Map<String, long[]> expected = new LinkedHashMap<>();
        // G_mapping Dense<i>, line 291 (unitpath's mapping_fmaps is w_dim)
        for (int i = 0; i < 3; i++) {
            dense(expected, "fc" + i, i == 0 ? CFG.zDim() : 32, 32);
        }
        assertLayout(expected, m);
        try (MemoryScope s = MemoryScope.open()) {
            // get_weight, lines 25-27: stored init std 1/lrmul, scaled at run time by lrmul / sqrt(fan_in)
            double std = m.namedParameters().get("fc1.weight").std().item_double();
            assertTrue(Math.abs(std - 100) < 15, "mapping weights are stored as N(0, 1/lrmul^2): std " + std);
        }
    }

    @Test
    void weightAndActivationGainsMatchGetWeightAndFusedBiasAct() {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            int in = 5;
            int fanIn = 9 * in;
            // conv2d_layer + apply_bias_act(lrelu): w / sqrt(k k in) (line 22), lrelu slope 0.2, gain sqrt 2
            EqConv2d conv = new EqConv2d(in, 2, 3, true, Activation.LRELU, false);
            load(conv, "weight", Tensors.ones(2, in, 3, 3), "bias", Tensors.zeros(2));
            double centre = centre(conv.forward(Tensors.ones(1, in, 5, 5)));
            assertEquals(Math.sqrt(2) * Math.sqrt(fanIn), centre, 1e-4);
            double negative = centre(conv.forward(Tensors.ones(1, in, 5, 5).neg()));
            assertEquals(-0.2 * Math.sqrt(2) * Math.sqrt(fanIn), negative, 1e-4);
            // mapping Dense with lrmul 0.01 (lines 22-27, 66): stored w = b = 1/lrmul give w_eff = 1/sqrt(in), b_eff = 1
            FullyConnected fc = new FullyConnected(16, 1, Activation.LRELU, 0.01, 0);
            load(fc, "weight", Tensors.ones(1, 16).mul(F.scalar(100.0)), "bias", Tensors.ones(1).mul(F.scalar(100.0)));
            assertEquals(Math.sqrt(2) * (4 + 1), fc.forward(Tensors.ones(1, 16)).item_double(), 1e-4);
            // ToRGB (line 437): style s = dense(m)/sqrt(dim) + bias + 1 (lines 97-98), weights / sqrt(C_in), no demodulation.
            // TF's mod_bias 0 is unitpath's affine bias 1.
            int styleDim = 9;
            ToRgb rgb = new ToRgb(in, 3, styleDim);
            load(rgb, "weight", Tensors.ones(3, in, 1, 1), "bias", Tensors.zeros(3), "affine.weight", Tensors.ones(in, styleDim),
                    "affine.bias", Tensors.ones(in));
            double style = Math.sqrt(styleDim) + 1;
            double out = rgb.forward(Tensors.ones(1, in, 4, 4), Tensors.ones(1, styleDim), false).max().item_double();
            assertEquals(in * style / Math.sqrt(in), out, 1e-4);
            // modulated conv with demodulation (lines 99-104): equal styles, unit weights and input give sqrt(k k in)
            // whatever the weight gain (it cancels), then the lrelu gain; noise strength is 0
            SynthesisLayer layer = new SynthesisLayer(in, 2, styleDim, 5, false);
            load(layer, "weight", Tensors.ones(2, in, 3, 3), "affine.weight", Tensors.ones(in, styleDim));
            double interior = centre(layer.forward(Tensors.ones(1, in, 5, 5), Tensors.ones(1, styleDim),
                    SynthesisLayer.Noise.CONST, false, 1));
            assertEquals(Math.sqrt(2) * Math.sqrt(fanIn), interior, 1e-4);
        }
    }

    @Test
    void freshLayersStartAsInTheTfInitialisers() {
        Torch.seed(8);
        SynthesisNetwork net = new SynthesisNetwork(CFG);
        try (MemoryScope s = MemoryScope.open()) {
            for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
                Tensor t = e.getValue();
                if (e.getKey().endsWith("affine.bias")) {
                    // mod_bias starts at 0 and 1 is added (line 98): the style starts at 1 + dense(m)
                    assertEquals(1.0, t.min().item_double(), 0, e.getKey());
                    assertEquals(1.0, t.max().item_double(), 0, e.getKey());
                } else if (e.getKey().endsWith("bias") || e.getKey().endsWith("noise_strength")) {
                    // apply_bias_act biases (line 65) and noise_strength (line 407) start at 0
                    assertEquals(0.0, t.abs().max().item_double(), 0, e.getKey());
                }
            }
        }
    }

    @Test
    void dropoutOnTheGlobalCodeKeepsHalfAndScalesByTwoInTrainingOnly() {
        Torch.seed(9);
        ConditionEncoder enc = new ConditionEncoder(CFG);
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            Tensor mask = Tensors.randn(4, 3, 64, 64);
            enc.eval();
            Tensor clean = enc.forward(mask).global();
            enc.train(true);
            Tensor dropped = enc.forward(mask).global();
            // tf.nn.dropout(x, 0.5) (line 390) in TF 1.x: keep probability 0.5, survivors scaled by 1 / 0.5
            Tensor zero = dropped.eq(F.scalar(0.0));
            double zeroFraction = zero.to(org.bytedeco.pytorch.global.torch.ScalarType.Float).mean().item_double();
            assertTrue(zeroFraction > 0.4 && zeroFraction < 0.6, "dropped fraction " + zeroFraction);
            Tensor kept = dropped.sub(clean.mul(F.scalar(2.0))).abs().masked_fill(zero, F.scalar(0.0));
            assertTrue(kept.max().item_double() < 1e-5, "kept entries are 2x the clean code");
            // co-mod-gan drops at inference too ("# if is_training:" is commented out, line 389);
            // unitpath, as AFCM's torch.nn.Dropout, only while training
            enc.eval();
            assertEquals(0.0, Tensors.maxAbsDiff(clean, enc.forward(mask).global()), 0);
            // E_features[res] (line 351) at every resolution, nf(res-1) maps; E_features[2] from E_4x4/Conv (386)
            Map<Integer, Tensor> skips = enc.forward(mask).skips();
            for (int r = 4; r <= 64; r *= 2) {
                assertArrayEquals(new long[] {4, nf(CFG, log2(r) - 1), r, r}, skips.get(r).shape(), "E_features at " + r);
            }
        }
    }

    /** Sample 0, channel 0, pixel (2, 2): inside the zero-padding border of a 5x5 map. */
    private static double centre(Tensor t) {
        return t.select(0, 0).select(0, 0).select(0, 2).select(0, 2).item_double();
    }

    private static void conv(Map<String, long[]> m, String name, int k, int in, int out) {
        // TF weight [k, k, in, out] is PyTorch's [out, in, k, k]
        m.put(name + ".weight", new long[] {out, in, k, k});
        m.put(name + ".bias", new long[] {out});
    }

    private static void dense(Map<String, long[]> m, String name, int in, int out) {
        m.put(name + ".weight", new long[] {out, in});
        m.put(name + ".bias", new long[] {out});
    }

    /** modulated_conv2d_layer + noise + bias (lines 400-409); resolution 0 marks a ToRGB (no noise). */
    private static void modulated(Map<String, long[]> m, String name, int res, int k, int in, int out, int styleDim) {
        m.put(name + ".affine.weight", new long[] {in, styleDim});
        m.put(name + ".affine.bias", new long[] {in});
        m.put(name + ".weight", new long[] {out, in, k, k});
        if (res > 0) {
            m.put(name + ".noise_strength", new long[] {});
        }
        m.put(name + ".bias", new long[] {out});
    }

    /** Same parameter names and shapes, and the layers (first name segment) in the TF build order. */
    private static void assertLayout(Map<String, long[]> expected, Module net) {
        Map<String, Tensor> actual = net.namedParameters();
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, shape) -> assertArrayEquals(shape, actual.get(k).shape(), k));
        assertEquals(layers(expected.keySet()), layers(actual.keySet()), "layer order");
    }

    private static List<String> layers(Iterable<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String layer = n.substring(0, n.indexOf('.'));
            if (!out.contains(layer)) {
                out.add(layer);
            }
        }
        return out;
    }

    private static void load(Module m, Object... nameTensor) {
        Map<String, Tensor> sd = new LinkedHashMap<>(m.stateDict());
        for (int i = 0; i < nameTensor.length; i += 2) {
            sd.put((String) nameTensor[i], (Tensor) nameTensor[i + 1]);
        }
        m.loadStateDict(sd, true);
    }
}
