package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.unitpath.torch.Module;
import org.unitpath.torch.Tensors;

/**
 * G: mask image -> H&E image, a co-modulated StyleGAN2 (CoModGAN): condition encoder E,
 * mapping network M and synthesis network. Output N x 3 x R x R, no final activation.
 */
public final class CoModGenerator extends Module implements Translator {
    public final StyleGanConfig config;
    private final ConditionEncoder encoder;
    private final MappingNetwork mapping;
    private final SynthesisNetwork synthesis;

    public CoModGenerator(StyleGanConfig config) {
        this.config = config;
        encoder = child("encoder", new ConditionEncoder(config));
        mapping = child("mapping", new MappingNetwork(config.zDim(), config.wDim(), config.mappingLayers(),
                config.mappingLrMultiplier()));
        synthesis = child("synthesis", new SynthesisNetwork(config));
    }

    /** A fresh latent batch z ~ N(0, I) on the device and dtype of {@code like}. */
    public Tensor sampleZ(Tensor like, long n) {
        return Tensors.randnLike(like, n, config.zDim());
    }

    @Override
    public Tensor translate(Tensor mask, Tensor z) {
        return forward(mask, z);
    }

    @Override
    public int zDim() {
        return config.zDim();
    }

    /** Training forward: random noise, w average updated, unfused modulation. */
    public Tensor forward(Tensor mask, Tensor z) {
        return forward(mask, z, 1, SynthesisLayer.Noise.RANDOM, false);
    }

    public Tensor forward(Tensor mask, Tensor z, double truncation, SynthesisLayer.Noise noise, boolean fused) {
        return synthesis.forward(mappedWs(z, truncation), encoder.forward(mask), noise, fused);
    }

    /** Sampling for display: truncation and constant noise, no w-average update. */
    public Tensor sample(Tensor mask, Tensor z, double truncation) {
        return synthesis.forward(broadcast(mapping.forward(z, truncation, false)), encoder.forward(mask),
                SynthesisLayer.Noise.CONST, true);
    }

    /** The ws used for a forward pass: N x numWs x wDim (exposed for path-length regularisation). */
    public Tensor mappedWs(Tensor z, double truncation) {
        return broadcast(mapping.forward(z, truncation, true));
    }

    /** The ws of z without truncation; style mixing maps its second latent without updating w_avg, as SG2ADA does. */
    public Tensor mapWs(Tensor z, boolean updateAverage) {
        return broadcast(mapping.forward(z, 1, updateAverage));
    }

    public Tensor synthesize(Tensor ws, Tensor mask, SynthesisLayer.Noise noise) {
        return synthesis.forward(ws, encoder.forward(mask), noise, false);
    }

    private Tensor broadcast(Tensor w) {
        return w.unsqueeze(1).expand(new long[] {w.size(0), config.numWs(), w.size(1)});
    }
}
