package org.unitpath.gan;

/**
 * Size and switches of the co-modulated StyleGAN2 generator and its discriminator.
 * {@code paper256} is the release's BASE_CONFIG; tests and the CPU demo use small resolutions
 * and channel bases.
 *
 * @param resolution      output side (power of two, at least 8)
 * @param channelBase     channels at resolution r are min(channelBase / r, channelMax)
 * @param condMod         STYLEGAN.CONDMOD: modulate with [w; g] instead of w alone
 * @param skipResolution  STYLEGAN.SKIP_RESOLUTION: encoder features are added up to this resolution
 * @param dropout         dropout on the global code g
 * @param mbstdGroup      minibatch standard-deviation group size of the discriminator
 */
public record StyleGanConfig(int resolution, int channelBase, int channelMax, int zDim, int wDim, int mappingLayers,
        double mappingLrMultiplier, boolean condMod, int skipResolution, double dropout, int mbstdGroup, int imageChannels) {

    public StyleGanConfig {
        if (resolution < 8 || Integer.bitCount(resolution) != 1) {
            throw new IllegalArgumentException("StyleGAN resolution must be a power of two >= 8, got " + resolution);
        }
        if (channelBase < 4 || channelMax < 1 || zDim < 1 || wDim < 1 || mappingLayers < 1) {
            throw new IllegalArgumentException("bad StyleGAN sizes: channel base " + channelBase + ", max " + channelMax
                    + ", z " + zDim + ", w " + wDim + ", mapping layers " + mappingLayers);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("dropout must lie in [0, 1), got " + dropout);
        }
    }

    /** The paper's generator: 256x256, channel base 16384 (0.5 x 32768), max 512, 8 mapping layers, skip up to 64. */
    public static StyleGanConfig paper256() {
        return new StyleGanConfig(256, 16384, 512, 512, 512, 8, 0.01, true, 64, 0.5, 8, 3);
    }

    /** The CPU demo's generator: 64x64, channels 128 at 4..16 down to 32 at 64, 4 mapping layers of 128. */
    public static StyleGanConfig demo64() {
        return new StyleGanConfig(64, 2048, 128, 128, 128, 4, 0.01, true, 32, 0.5, 2, 3);
    }

    public int channels(int res) {
        return Math.max(1, Math.min(channelBase / res, channelMax));
    }

    /** Width of the global conditional code g (twice the 4x4 channel count: 1024 in paper256). */
    public int globalDim() {
        return 2 * channels(4);
    }

    /** Number of w vectors: one per synthesis convolution plus the final toRGB (14 at 256). */
    public int numWs() {
        int log2 = Integer.numberOfTrailingZeros(resolution);
        return 1 + 2 * (log2 - 2) + 1;
    }

    public StyleGanConfig withResolution(int res, int base, int max) {
        return new StyleGanConfig(res, base, max, zDim, wDim, mappingLayers, mappingLrMultiplier, condMod, skipResolution,
                dropout, mbstdGroup, imageChannels);
    }

    public StyleGanConfig withLatent(int z, int w, int layers) {
        return new StyleGanConfig(resolution, channelBase, channelMax, z, w, layers, mappingLrMultiplier, condMod,
                skipResolution, dropout, mbstdGroup, imageChannels);
    }

    public StyleGanConfig withConditioning(boolean cm, int skipRes) {
        return new StyleGanConfig(resolution, channelBase, channelMax, zDim, wDim, mappingLayers, mappingLrMultiplier, cm,
                skipRes, dropout, mbstdGroup, imageChannels);
    }
}
