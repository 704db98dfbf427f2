package org.unitpath.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.Test;
import org.unitpath.gan.AugmentSpec.Augmentation;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** The pipe as a whole, and each geometric augmentation against its closed form. */
class AugmentPipeTest {
    private static final double ROUND_TRIP = 2e-5;

    private static Tensor images(long seed, long n, long size) {
        Torch.seed(seed);
        return torch.rand(new long[] {n, 3, size, size}, new TensorOptions(ScalarType.Float)).mul(F.scalar(2.0)).sub(F.scalar(1.0));
    }

    private static double[][][] repeat(double[][] m, int n) {
        double[][][] out = new double[n][][];
        java.util.Arrays.fill(out, m);
        return out;
    }

    @Test
    void zeroProbabilityIsExactlyTheIdentityAndOneChangesEveryImage() {
        AugmentPipe pipe = AugmentPipe.bgc(1);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = images(1, 2, 32);
            Tensor same = pipe.forward(x);
            assertSame(x, same, "p = 0 must not touch the images");
            pipe.setP(1);
            Tensor y = pipe.forward(x);
            assertArrayEquals(x.shape(), y.shape());
            assertTrue(torch.isfinite(y).all().item_bool());
            for (int i = 0; i < 2; i++) {
                double diff = Tensors.maxAbsDiff(x.select(0, i), y.select(0, i));
                assertTrue(diff > 0.1, "image " + i + " unchanged at p = 1 (max diff " + diff + ")");
            }
        }
    }

    @Test
    void sameSeedSameAugmentation() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = images(2, 2, 32);
            AugmentPipe a = AugmentPipe.bgc(7);
            AugmentPipe b = AugmentPipe.bgc(7);
            AugmentPipe c = AugmentPipe.bgc(8);
            for (AugmentPipe p : new AugmentPipe[] {a, b, c}) {
                p.setP(0.8);
            }
            Tensor ya = a.forward(x);
            assertEquals(0, Tensors.maxAbsDiff(ya, b.forward(x)));
            assertTrue(Tensors.maxAbsDiff(ya, c.forward(x)) > 0.01);
            assertEquals(0, Tensors.maxAbsDiff(ya, a.forward(x, new SplittableRandom(7))));
        }
    }

    @Test
    void pIsASavedBufferAndLoadingItChangesTheProbability() {
        AugmentPipe pipe = AugmentPipe.bgc(0);
        assertEquals(0, pipe.p());
        pipe.setP(0.25);
        assertEquals(0.25, pipe.p());
        Map<String, Tensor> state = pipe.stateDict();
        assertEquals(java.util.List.of("p"), java.util.List.copyOf(state.keySet()));
        assertEquals(0, state.get("p").dim());
        try (MemoryScope s = MemoryScope.open()) {
            pipe.loadStateDict(Map.of("p", Tensors.zeros().add(F.scalar(0.5))), true);
        }
        assertEquals(0.5, pipe.p());
        assertThrows(IllegalArgumentException.class, () -> pipe.setP(-0.1));
        assertThrows(IllegalArgumentException.class, () -> pipe.setP(Double.NaN));
    }

    @Test
    void identityRoundTripThroughTheWaveletReproducesTheImage() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = images(3, 2, 32);
            Tensor y = GeometricWarp.warp(x, repeat(Homogeneous.identity(3), 2));
            assertEquals(0, Tensors.maxAbsDiff(x, y), ROUND_TRIP);
        }
    }

    /**
     * sym6 is not symmetric, so (as in the reference) a mirrored or turned image comes back
     * shifted by a fraction of a pixel: close to flip / rot90 on smooth images, exact only for
     * the identity and integer shifts. AugmentReferenceTest checks them against the reference.
     */
    @Test
    void xFlipAndQuarterTurnsAreFlipAndRot90UpToASubPixelShift() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = smoothImage(32);
            Tensor flipped = GeometricWarp.warp(x, repeat(Homogeneous.scale2d(-1, 1), 1));
            assertEquals(0, Tensors.maxAbsDiff(x.flip(3), flipped), 0.06);
            for (int k = 1; k < 4; k++) {
                Tensor y = GeometricWarp.warp(x, repeat(Homogeneous.rotate2dQuarter(k), 1));
                assertEquals(0, Tensors.maxAbsDiff(torch.rot90(x, k, 2, 3), y), 0.06, "k = " + k);
                if (k != 2) {
                    assertTrue(Tensors.maxAbsDiff(torch.rot90(x, 4 - k, 2, 3), y) > 0.5, "k = " + k + " turned the other way");
                }
            }
        }
    }

    private static Tensor smoothImage(int size) {
        float[] v = new float[3 * size * size];
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    v[(ch * size + y) * size + x] = (float) smooth(ch, x - 13.0, y - 17.0);
                }
            }
        }
        return Tensors.of(v, 1, 3, size, size);
    }

    @Test
    void integerTranslationShiftsTheImageInsideTheValidArea() {
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = images(6, 1, 32);
            int tx = 3, ty = -2;
            // G⁻¹ = translate(-t): output pixel p reads input pixel p - t
            Tensor y = GeometricWarp.warp(x, repeat(Homogeneous.translate2d(-tx, -ty), 1));
            Tensor shifted = y.narrow(2, 0, 32 + ty).narrow(3, tx, 32 - tx);
            Tensor source = x.narrow(2, -ty, 32 + ty).narrow(3, 0, 32 - tx);
            assertEquals(0, Tensors.maxAbsDiff(shifted, source), ROUND_TRIP);
        }
    }

    /** A smooth image f(x, y) resampled by a general G⁻¹ reads f(G⁻¹ p) away from the reflected border. */
    @Test
    void generalTransformReadsTheInputAtTheInverseMappedPoint() {
        int size = 48;
        double[][] g = Homogeneous.mul(Homogeneous.mul(Homogeneous.rotate2d(0.5), Homogeneous.scale2d(1.2, 0.9)),
                Homogeneous.translate2d(1.7, -0.6));
        double c = (size - 1) / 2.0;
        float[] in = new float[3 * size * size];
        float[] expected = new float[3 * size * size];
        for (int ch = 0; ch < 3; ch++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double u = x - c, v = y - c;
                    double su = g[0][0] * u + g[0][1] * v + g[0][2];
                    double sv = g[1][0] * u + g[1][1] * v + g[1][2];
                    in[(ch * size + y) * size + x] = (float) smooth(ch, u, v);
                    expected[(ch * size + y) * size + x] = (float) smooth(ch, su, sv);
                }
            }
        }
        try (MemoryScope s = MemoryScope.open()) {
            Tensor y = GeometricWarp.warp(Tensors.of(in, 1, 3, size, size), new double[][][] {g});
            Tensor centre = y.narrow(2, 12, 24).narrow(3, 12, 24);
            Tensor want = Tensors.of(expected, 1, 3, size, size).narrow(2, 12, 24).narrow(3, 12, 24);
            assertEquals(0, Tensors.maxAbsDiff(centre, want), 0.01);
        }
    }

    private static double smooth(int ch, double u, double v) {
        return 0.8 * Math.sin(0.25 * u + 0.15 * v + ch) * Math.cos(0.1 * v - 0.2 * ch);
    }

    @Test
    void drawnXFlipsAndQuarterTurnsAreTheirTransforms() {
        AugmentPipe flips = new AugmentPipe(AugmentSpec.only(Augmentation.XFLIP), 3);
        AugmentPipe turns = new AugmentPipe(AugmentSpec.only(Augmentation.ROTATE90), 3);
        flips.setP(1);
        turns.setP(1);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor x = images(7, 6, 16);
            Tensor f = flips.forward(x);
            Tensor r = turns.forward(x);
            Tensor mirrored = GeometricWarp.warp(x, repeat(Homogeneous.scale2d(-1, 1), 6));
            Tensor[] quarter = new Tensor[4];
            for (int k = 0; k < 4; k++) {
                quarter[k] = GeometricWarp.warp(x, repeat(Homogeneous.rotate2dQuarter(k), 6));
            }
            int flipped = 0;
            int turned = 0;
            for (int i = 0; i < 6; i++) {
                double kept = Tensors.maxAbsDiff(x.select(0, i), f.select(0, i));
                double flip = Tensors.maxAbsDiff(mirrored.select(0, i), f.select(0, i));
                assertTrue(Math.min(kept, flip) < ROUND_TRIP, "image " + i + " neither kept nor flipped");
                flipped += flip < ROUND_TRIP ? 1 : 0;
                double best = Double.MAX_VALUE;
                for (int k = 0; k < 4; k++) {
                    double d = Tensors.maxAbsDiff(quarter[k].select(0, i), r.select(0, i));
                    best = Math.min(best, d);
                    turned += k > 0 && d < ROUND_TRIP ? 1 : 0;
                }
                assertTrue(best < ROUND_TRIP, "image " + i + " is not a quarter turn");
            }
            assertTrue(flipped > 0 && turned > 0, "six draws at p = 1 should flip and turn some images");
        }
    }

    @Test
    void probabilitiesFollowTheMultipliersAndTheRotationSplit() {
        AugmentPipe scale = new AugmentPipe(AugmentSpec.only(Augmentation.SCALE).withMultiplier(Augmentation.SCALE, 0.5), 0);
        AugmentPipe rotate = new AugmentPipe(AugmentSpec.only(Augmentation.ROTATE), 0);
        SplittableRandom rng = new SplittableRandom(9);
        int n = 20000;
        double[][][] scaled = scale.drawGeometric(n, 32, 32, 0.6, rng);
        double[][][] rotated = rotate.drawGeometric(n, 32, 32, 0.6, rng);
        double fracScaled = 0;
        double fracRotated = 0;
        for (int i = 0; i < n; i++) {
            fracScaled += Homogeneous.isIdentity(scaled[i]) ? 0 : 1.0 / n;
            fracRotated += Homogeneous.isIdentity(rotated[i]) ? 0 : 1.0 / n;
        }
        assertEquals(0.3, fracScaled, 0.015, "scale at multiplier 0.5 x p 0.6");
        assertEquals(0.6, fracRotated, 0.015, "pre or post rotation together at p");
        double[][][] none = AugmentPipe.bgc(0).drawGeometric(100, 32, 32, 0, rng);
        for (double[][] m : none) {
            assertTrue(Homogeneous.isIdentity(m));
        }
    }

    @Test
    void rejectsImagesThatAreNotFloatRgbBatches() {
        AugmentPipe pipe = AugmentPipe.bgc(0);
        try (MemoryScope s = MemoryScope.open()) {
            assertThrows(IllegalArgumentException.class, () -> pipe.forward(Tensors.zeros(3, 8, 8)));
            assertThrows(IllegalArgumentException.class, () -> pipe.forward(Tensors.zeros(1, 4, 8, 8)));
            assertThrows(IllegalArgumentException.class, () -> pipe.forward(Tensors.zeros(1, 3, 8, 8).to(ScalarType.Int)));
            assertThrows(IllegalArgumentException.class, () -> pipe.forward(Tensors.zeros(1, 3, 1, 8)));
            assertThrows(IllegalArgumentException.class, () -> GeometricWarp.warp(Tensors.zeros(2, 3, 8, 8), new double[1][][]));
        }
        assertThrows(IllegalArgumentException.class, () -> new AugmentPipe(null, 0));
    }
}
