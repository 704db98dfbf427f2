package org.unitpath.gan;

import static org.unitpath.gan.AugmentSpec.Augmentation.ANISO;
import static org.unitpath.gan.AugmentSpec.Augmentation.BRIGHTNESS;
import static org.unitpath.gan.AugmentSpec.Augmentation.CONTRAST;
import static org.unitpath.gan.AugmentSpec.Augmentation.HUE;
import static org.unitpath.gan.AugmentSpec.Augmentation.LUMAFLIP;
import static org.unitpath.gan.AugmentSpec.Augmentation.ROTATE;
import static org.unitpath.gan.AugmentSpec.Augmentation.ROTATE90;
import static org.unitpath.gan.AugmentSpec.Augmentation.SATURATION;
import static org.unitpath.gan.AugmentSpec.Augmentation.SCALE;
import static org.unitpath.gan.AugmentSpec.Augmentation.XFLIP;
import static org.unitpath.gan.AugmentSpec.Augmentation.XFRAC;
import static org.unitpath.gan.AugmentSpec.Augmentation.XINT;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Module;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * StyleGAN2-ADA's adaptive discriminator augmentation for RGB images in [-1, 1]: geometric
 * transforms (x-flip, 90° rotations, integer translation, isotropic scaling, pre/post rotation,
 * anisotropic scaling, fractional translation) executed as one resampling, then colour
 * transforms (brightness, contrast, luma flip, hue rotation, saturation) as one 4x4 matrix.
 * Each augmentation is applied to a sample with probability multiplier · p; {@code p} is a
 * buffer, so it is saved and restored with the module's state dict. Random parameters come from
 * a seeded {@link SplittableRandom}, so runs are reproducible. Differentiable twice with
 * respect to the images (R1 back-propagates through it).
 */
public final class AugmentPipe extends Module {
    private final AugmentSpec spec;
    private final Tensor p;
    private SplittableRandom random;
    private long cachedVersion = -1;
    private double cachedP;

    /** A pipe with p = 0 drawing from its own generator seeded with {@code seed}. */
    public AugmentPipe(AugmentSpec spec, long seed) {
        if (spec == null) {
            throw new IllegalArgumentException("augmentation spec must not be null");
        }
        this.spec = spec;
        this.random = new SplittableRandom(seed);
        try (MemoryScope s = MemoryScope.open()) {
            this.p = buffer("p", Tensors.zeros());
        }
    }

    /** The default 'bgc' pipeline. */
    public static AugmentPipe bgc(long seed) {
        return new AugmentPipe(AugmentSpec.bgc(), seed);
    }

    public AugmentSpec spec() {
        return spec;
    }

    /** The augmentation probability, read from the {@code p} buffer (re-read only after it changed). */
    public double p() {
        long version = p._version();
        if (version != cachedVersion) {
            try (MemoryScope s = MemoryScope.open()) {
                cachedP = p.item_double();
            }
            cachedVersion = version;
        }
        return cachedP;
    }

    public void setP(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("augmentation probability p must be finite and >= 0, got " + value);
        }
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            p.fill_(F.scalar(value));
        }
    }

    /** Adds {@code delta} to p in the buffer's own precision and clips it at 0 (ADA's update). */
    void adjustP(double delta) {
        try (MemoryScope s = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            p.add_(F.scalar(delta)).clamp_min_(F.scalar(0.0));
        }
    }

    /** Restarts the pipe's own generator (the loop reseeds each iteration so that resumed runs repeat exactly). */
    public void reseed(long seed) {
        random = new SplittableRandom(seed);
    }

    /** Augments N x 3 x H x W float images with the pipe's own generator. */
    public Tensor forward(Tensor images) {
        return forward(images, random);
    }

    /**
     * Augments N x 3 x H x W float images drawing from {@code rng}. A stage whose transforms are
     * all the identity is skipped, so with p = 0 the input itself is returned.
     */
    public Tensor forward(Tensor images, SplittableRandom rng) {
        checkImages(images);
        int batch = (int) images.size(0);
        double prob = p();
        Tensor x = images;
        double[][][] g = drawGeometric(batch, images.size(2), images.size(3), prob, rng);
        if (!allIdentity(g)) {
            x = GeometricWarp.warp(x, g);
        }
        double[][][] c = drawColor(batch, prob, rng);
        if (!allIdentity(c)) {
            x = recolor(x, c);
        }
        return x;
    }

    /** Per-sample inverse transforms G⁻¹ (3 x 3, output pixel → input pixel, centred coordinates). */
    double[][][] drawGeometric(int batch, long height, long width, double prob, SplittableRandom rng) {
        AugmentSpec.Ranges r = spec.ranges();
        double[][][] g = identities(batch, 3);
        if (spec.enabled(XFLIP)) {
            double[] i = floors(uniform(rng, batch), 2);
            boolean[] on = gates(rng, batch, spec.multiplier(XFLIP) * prob);
            apply(g, on, b -> Homogeneous.scale2d(1 / (1 - 2 * i[b]), 1), false);
        }
        if (spec.enabled(ROTATE90)) {
            double[] i = floors(uniform(rng, batch), 4);
            boolean[] on = gates(rng, batch, spec.multiplier(ROTATE90) * prob);
            apply(g, on, b -> Homogeneous.rotate2dQuarter((int) i[b]), false);
        }
        if (spec.enabled(XINT)) {
            double[] t = uniform(rng, 2 * batch);
            boolean[] on = gates(rng, batch, spec.multiplier(XINT) * prob);
            apply(g, on, b -> Homogeneous.translate2d(-Math.rint((t[2 * b] * 2 - 1) * r.xintMax() * width),
                    -Math.rint((t[2 * b + 1] * 2 - 1) * r.xintMax() * height)), false);
        }
        if (spec.enabled(SCALE)) {
            double[] s = exp2(gaussian(rng, batch), r.scaleStd());
            boolean[] on = gates(rng, batch, spec.multiplier(SCALE) * prob);
            apply(g, on, b -> Homogeneous.scale2d(1 / s[b], 1 / s[b]), false);
        }
        // pre- and post-rotation each at p_rot, so that P(pre or post) = multiplier * p
        double pRot = 1 - Math.sqrt(Math.min(Math.max(1 - spec.multiplier(ROTATE) * prob, 0), 1));
        if (spec.enabled(ROTATE)) {
            double[] theta = uniform(rng, batch);
            boolean[] on = gates(rng, batch, pRot);
            apply(g, on, b -> Homogeneous.rotate2d((theta[b] * 2 - 1) * Math.PI * r.rotateMax()), false);
        }
        if (spec.enabled(ANISO)) {
            double[] s = exp2(gaussian(rng, batch), r.anisoStd());
            boolean[] on = gates(rng, batch, spec.multiplier(ANISO) * prob);
            apply(g, on, b -> Homogeneous.scale2d(1 / s[b], s[b]), false);
        }
        if (spec.enabled(ROTATE)) {
            double[] theta = uniform(rng, batch);
            boolean[] on = gates(rng, batch, pRot);
            apply(g, on, b -> Homogeneous.rotate2d((theta[b] * 2 - 1) * Math.PI * r.rotateMax()), false);
        }
        if (spec.enabled(XFRAC)) {
            double[] t = gaussian(rng, 2 * batch);
            boolean[] on = gates(rng, batch, spec.multiplier(XFRAC) * prob);
            apply(g, on, b -> Homogeneous.translate2d(-t[2 * b] * r.xfracStd() * width,
                    -t[2 * b + 1] * r.xfracStd() * height), false);
        }
        return g;
    }

    /** Per-sample colour transforms C (4 x 4, homogeneous RGB in → RGB out). */
    double[][][] drawColor(int batch, double prob, SplittableRandom rng) {
        AugmentSpec.Ranges r = spec.ranges();
        double[][][] c = identities(batch, 4);
        if (spec.enabled(BRIGHTNESS)) {
            double[] v = gaussian(rng, batch);
            boolean[] on = gates(rng, batch, spec.multiplier(BRIGHTNESS) * prob);
            apply(c, on, b -> Homogeneous.translate3d(v[b] * r.brightnessStd(), v[b] * r.brightnessStd(),
                    v[b] * r.brightnessStd()), true);
        }
        if (spec.enabled(CONTRAST)) {
            double[] s = exp2(gaussian(rng, batch), r.contrastStd());
            boolean[] on = gates(rng, batch, spec.multiplier(CONTRAST) * prob);
            apply(c, on, b -> Homogeneous.scale3d(s[b], s[b], s[b]), true);
        }
        if (spec.enabled(LUMAFLIP)) {
            double[] i = floors(uniform(rng, batch), 2);
            boolean[] on = gates(rng, batch, spec.multiplier(LUMAFLIP) * prob);
            apply(c, on, b -> i[b] == 1 ? Homogeneous.lumaFlip() : Homogeneous.identity(4), true);
        }
        if (spec.enabled(HUE)) {
            double[] theta = uniform(rng, batch);
            boolean[] on = gates(rng, batch, spec.multiplier(HUE) * prob);
            apply(c, on, b -> Homogeneous.rotate3d(Homogeneous.LUMA_AXIS, (theta[b] * 2 - 1) * Math.PI * r.hueMax()), true);
        }
        if (spec.enabled(SATURATION)) {
            double[] s = exp2(gaussian(rng, batch), r.saturationStd());
            boolean[] on = gates(rng, batch, spec.multiplier(SATURATION) * prob);
            apply(c, on, b -> Homogeneous.saturation(s[b]), true);
        }
        return c;
    }

    /** Applies per-sample colour matrices: rgb ← C[:3, :3] · rgb + C[:3, 3]. */
    static Tensor recolor(Tensor images, double[][][] c) {
        long n = images.size(0), h = images.size(2), w = images.size(3);
        if (c.length != n) {
            throw new IllegalArgumentException("need one 4x4 colour matrix per image: " + n + " images, " + c.length + " matrices");
        }
        double[] linear = new double[(int) n * 9];
        double[] offset = new double[(int) n * 3];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < 3; i++) {
                System.arraycopy(c[b][i], 0, linear, b * 9 + i * 3, 3);
                offset[b * 3 + i] = c[b][i][3];
            }
        }
        Tensor rgb = images.reshape(n, 3, h * w);
        Tensor out = torch.bmm(TensorData.like(images, linear, n, 3, 3), rgb).add(TensorData.like(images, offset, n, 3, 1));
        return out.reshape(n, 3, h, w);
    }

    private static void checkImages(Tensor images) {
        if (images.dim() != 4 || images.size(1) != 3) {
            throw new IllegalArgumentException("augmentation expects N x 3 x H x W RGB images, got shape "
                    + Arrays.toString(images.shape()));
        }
        ScalarType t = images.scalar_type().intern();
        if (t != ScalarType.Float && t != ScalarType.Double) {
            throw new IllegalArgumentException("augmentation expects float32 or float64 images, got " + t);
        }
        if (images.size(0) == 0 || images.size(2) < 2 || images.size(3) < 2) {
            throw new IllegalArgumentException("augmentation needs at least one image of at least 2x2 pixels, got shape "
                    + Arrays.toString(images.shape()));
        }
    }

    private interface MatrixOf {
        double[][] at(int sample);
    }

    /** Composes each gated sample's matrix: on the right for geometry (G⁻¹ @ M), on the left for colour (M @ C). */
    private static void apply(double[][][] acc, boolean[] on, MatrixOf m, boolean left) {
        for (int b = 0; b < acc.length; b++) {
            if (on[b]) {
                acc[b] = left ? Homogeneous.mul(m.at(b), acc[b]) : Homogeneous.mul(acc[b], m.at(b));
            }
        }
    }

    private static boolean allIdentity(double[][][] ms) {
        for (double[][] m : ms) {
            if (!Homogeneous.isIdentity(m)) {
                return false;
            }
        }
        return true;
    }

    private static double[][][] identities(int batch, int n) {
        double[][][] out = new double[batch][][];
        for (int b = 0; b < batch; b++) {
            out[b] = Homogeneous.identity(n);
        }
        return out;
    }

    private static double[] uniform(SplittableRandom rng, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = rng.nextDouble();
        }
        return out;
    }

    private static double[] gaussian(SplittableRandom rng, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = rng.nextGaussian();
        }
        return out;
    }

    private static boolean[] gates(SplittableRandom rng, int count, double probability) {
        boolean[] out = new boolean[count];
        for (int i = 0; i < count; i++) {
            out[i] = rng.nextDouble() < probability;
        }
        return out;
    }

    private static double[] floors(double[] u, int levels) {
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = Math.floor(u[i] * levels);
        }
        return out;
    }

    private static double[] exp2(double[] z, double std) {
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = Math.pow(2, z[i] * std);
        }
        return out;
    }
}
