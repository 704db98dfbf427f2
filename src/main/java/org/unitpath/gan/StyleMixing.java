package org.unitpath.gan;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.Tensors;

/**
 * StyleGAN2-ADA's style-mixing regularisation ({@code StyleGAN2Loss.run_G}): with probability
 * {@code prob} per batch, the ws from a layer index {@code cutoff}, drawn uniformly from
 * 1..numWs-1, on come from a second latent. With co-modulation only the stochastic part w of
 * each layer's style [w_i; g] is mixed: the mask's global code g is the same for every layer.
 */
public final class StyleMixing {
    private StyleMixing() {}

    /** The N x numWs x wDim ws for latents {@code z}, updating G's w average as a training forward does. */
    public static Tensor ws(CoModGenerator g, Tensor z, double prob) {
        if (!(prob >= 0 && prob <= 1)) {
            throw new IllegalArgumentException("style-mixing probability must lie in [0, 1], got " + prob);
        }
        Tensor ws = g.mapWs(z, true);
        if (prob == 0) {
            return ws;
        }
        long numWs = ws.size(1);
        long cutoff = cutoff(numWs, prob);
        // drawn whether or not this batch mixes, as SG2ADA does, so the random stream does not depend on the coin
        Tensor z2 = Tensors.randnLike(z, z.shape());
        if (cutoff >= numWs) {
            return ws;
        }
        Tensor mixed = g.mapWs(z2, false);
        return torch.cat(new TensorVector(ws.narrow(1, 0, cutoff), mixed.narrow(1, cutoff, numWs - cutoff)), 1);
    }

    /** The first layer index that takes the second latent; numWs when this batch does not mix. */
    static long cutoff(long numWs, double prob) {
        if (numWs < 2) {
            return numWs;
        }
        float[] u = Tensors.toFloats(torch.rand(new long[] {2}, new TensorOptions(ScalarType.Float)));
        long cutoff = 1 + Math.min(numWs - 2, (long) (u[0] * (numWs - 1)));
        return u[1] < prob ? cutoff : numWs;
    }
}
