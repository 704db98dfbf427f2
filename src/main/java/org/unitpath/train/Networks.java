package org.unitpath.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.pytorch.Tensor;
import org.unitpath.gan.AdaController;
import org.unitpath.gan.AugmentPipe;
import org.unitpath.gan.CoModGenerator;
import org.unitpath.gan.Ema;
import org.unitpath.gan.PatchDiscriminator;
import org.unitpath.gan.ResnetGenerator;
import org.unitpath.gan.StyleGanDiscriminator;
import org.unitpath.gan.StyleMixing;
import org.unitpath.gan.SynthesisLayer;
import org.unitpath.gan.Translator;
import org.unitpath.gan.UnetGenerator;
import org.unitpath.seg.SegmentationNetwork;
import org.unitpath.torch.Device;
import org.unitpath.torch.Module;

/**
 * The four networks of the translation cycle and their helpers, built from the settings: G
 * (co-modulated StyleGAN2, or the CycleGAN ResNet / pix2pix U-Net ablations), its EMA copy, S,
 * D_G (StyleGAN2 D for StyleGAN, else PatchGAN) and D_S (PatchGAN), plus the ADA pipe.
 */
final class Networks {
    final PretrainSettings settings;
    final Module g;
    final Module gEma;
    final Ema ema;
    final SegmentationNetwork s;
    final Module dB;
    final PatchDiscriminator dA;
    final AugmentPipe pipe;
    final AdaController ada;

    Networks(PretrainSettings st, int globalBatch, Device device) {
        this.settings = st;
        g = generator(st);
        s = new SegmentationNetwork(st.seg());
        dB = st.styleGan() ? new StyleGanDiscriminator(st.stylegan()) : new PatchDiscriminator();
        dA = new PatchDiscriminator();
        pipe = AugmentPipe.bgc(st.seed());
        ada = switch (st.augMode()) {
            case "noaug" -> AdaController.noaug(pipe, globalBatch);
            case "fixed" -> AdaController.fixed(pipe, st.augProb() == null ? 0 : st.augProb(), globalBatch);
            default -> new AdaController(AdaController.Mode.ADA, pipe, globalBatch, st.adaTarget(),
                    AdaController.DEFAULT_INTERVAL, AdaController.DEFAULT_KIMG);
        };
        if (st.augMode().equals("ada") && st.augProb() != null) {
            pipe.setP(st.augProb());
        }
        for (Module m : List.of(g, s, dB, dA, pipe)) {
            m.to(device);
        }
        if (st.styleGan()) {
            gEma = generator(st);
            gEma.to(device);
            ema = new Ema(g, gEma, st.emaKimg() * 1000);
        } else {
            gEma = null;
            ema = null;
        }
    }

    static Module generator(PretrainSettings st) {
        return switch (st.generator()) {
            case "StyleGAN" -> new CoModGenerator(st.stylegan());
            case "ResNet" -> new ResnetGenerator();
            case "UNet" -> new UnetGenerator();
            default -> throw new IllegalArgumentException("CYCLE.G_AB must be StyleGAN, ResNet or UNet, got " + st.generator());
        };
    }

    Translator translator() {
        return (Translator) g;
    }

    /** G's images and, for StyleGAN, the ws that made them (null for the ablations, which take no latent). */
    record Generated(Tensor image, Tensor ws) {}

    /**
     * G as training runs it (SG2ADA's {@code run_G}): for StyleGAN a fresh z, style mixing with
     * STYLE_MIXING's probability, random noise; the ResNet / U-Net ablations are deterministic.
     */
    Generated generate(Tensor mask) {
        if (g instanceof CoModGenerator c) {
            Tensor ws = StyleMixing.ws(c, c.sampleZ(mask, mask.size(0)), settings.styleMixing());
            return new Generated(c.synthesize(ws, mask, SynthesisLayer.Noise.RANDOM), ws);
        }
        return new Generated(translator().translate(mask, null), null);
    }

    /** G for sample grids and quality signals: the EMA copy when there is one. */
    Translator sampler() {
        return (Translator) (gEma != null ? gEma : g);
    }

    List<Tensor> gsParameters() {
        List<Tensor> out = new ArrayList<>(g.trainableParameters());
        out.addAll(s.trainableParameters());
        return out;
    }

    /** Network weights for checkpoints (S under the release's key G_BA). */
    Map<String, Object> stateDicts() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("G_AB", new LinkedHashMap<>(g.stateDict()));
        if (gEma != null) {
            out.put("G_AB_ema", new LinkedHashMap<>(gEma.stateDict()));
        }
        out.put("G_BA", new LinkedHashMap<>(s.stateDict()));
        out.put("D_B", new LinkedHashMap<>(dB.stateDict()));
        out.put("D_A", new LinkedHashMap<>(dA.stateDict()));
        out.put("augment_pipe", new LinkedHashMap<>(pipe.stateDict()));
        return out;
    }

    /**
     * Loads networks from a checkpoint. With {@code scratchS} (stage 2's BA_SCRATCH) S and D_S
     * keep their fresh initialisation and only G, its EMA, D_G and ADA's p are restored.
     */
    @SuppressWarnings("unchecked")
    void load(Map<String, Object> ckpt, boolean scratchS) {
        g.loadStateDict((Map<String, Tensor>) ckpt.get("G_AB"), true);
        if (gEma != null && ckpt.get("G_AB_ema") != null) {
            gEma.loadStateDict((Map<String, Tensor>) ckpt.get("G_AB_ema"), true);
        }
        dB.loadStateDict((Map<String, Tensor>) ckpt.get("D_B"), true);
        pipe.loadStateDict((Map<String, Tensor>) ckpt.get("augment_pipe"), true);
        if (!scratchS) {
            s.loadStateDict((Map<String, Tensor>) ckpt.get("G_BA"), true);
            dA.loadStateDict((Map<String, Tensor>) ckpt.get("D_A"), true);
        }
    }
}
