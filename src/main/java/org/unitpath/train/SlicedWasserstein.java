package org.unitpath.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.F;
import org.unitpath.torch.MemoryScope;
import org.unitpath.torch.NoGrad;
import org.unitpath.torch.Tensors;

/**
 * Sliced Wasserstein distance between two image sets, as in Karras et al. 2018 (ProGAN,
 * {@code metrics/sliced_wasserstein.py}): each image's Laplacian pyramid (5x5 binomial kernel,
 * mirror borders) from full size down to 16 px; per level, random 7x7 neighbourhoods of every
 * image, standardised per channel; per level, the mean distance between the sorted projections
 * of the two descriptor sets on random unit directions, x 1e3.
 *
 * <p>Unlike the reference, both sets use the same neighbourhood positions (drawn from the
 * seed), so identical sets give exactly 0 and the distance is exactly symmetric.
 */
public final class SlicedWasserstein {
    /** How descriptors are standardised before projection. */
    public enum Normalization {
        /**
         * Each set by its own per-channel mean and std, as in the reference: the distance then
         * ignores per-channel affine colour changes (a global stain or brightness shift).
         */
        PER_SET,
        /** Both sets by their pooled per-channel mean and std: colour shifts count too. */
        JOINT
    }

    /** Distances per pyramid level (finest first, named by their side in pixels) and their mean. */
    public record Result(int[] resolutions, double[] distances, double average) {
        /** {@code <prefix>_<side>} per level and {@code <prefix>} for the mean, e.g. swd_256 ... swd_16, swd. */
        public Map<String, Double> asMetrics(String prefix) {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put(prefix, average);
            for (int i = 0; i < resolutions.length; i++) {
                out.put(prefix + "_" + resolutions[i], distances[i]);
            }
            return out;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "SWDx1e3 avg %.3f (", average));
            for (int i = 0; i < resolutions.length; i++) {
                sb.append(String.format(Locale.ROOT, "%s%d: %.3f", i == 0 ? "" : ", ", resolutions[i], distances[i]));
            }
            return sb.append(')').toString();
        }
    }

    static final int PATCH = 7;
    static final int MIN_RESOLUTION = 16;

    private final long seed;
    private final int patchesPerImage;
    private final int repeats;
    private final int directionsPerRepeat;
    private final Normalization normalization;

    /** The reference's settings: 128 neighbourhoods per image, 4 repeats of 128 directions, per-set standardisation. */
    public SlicedWasserstein(long seed) {
        this(seed, 128, 4, 128, Normalization.PER_SET);
    }

    public SlicedWasserstein(long seed, int patchesPerImage, int repeats, int directionsPerRepeat, Normalization normalization) {
        if (patchesPerImage < 1 || repeats < 1 || directionsPerRepeat < 1) {
            throw new IllegalArgumentException("patches, repeats and directions must be positive");
        }
        this.seed = seed;
        this.patchesPerImage = patchesPerImage;
        this.repeats = repeats;
        this.directionsPerRepeat = directionsPerRepeat;
        this.normalization = normalization;
    }

    /**
     * The distance between two N x 3 x H x W sets in [-1, 1] (values outside are clamped, as the
     * reference's conversion to 8 bits does) of the same shape, on the device of {@code a}.
     */
    public Result distance(Tensor a, Tensor b) {
        long[] sa = a.shape();
        long[] sb = b.shape();
        if (sa.length != 4 || sa[1] != 3 || !Arrays.equals(sa, sb)) {
            throw new IllegalArgumentException("SWD needs two N x 3 x H x W sets of the same shape, got "
                    + Tensors.shapeOf(a) + " and " + Tensors.shapeOf(b));
        }
        int levels = levelCount(sa[2], sa[3]);
        if (levels == 0) {
            throw new IllegalArgumentException("SWD needs images of at least " + MIN_RESOLUTION + " px, got " + Tensors.shapeOf(a));
        }
        int[] resolutions = new int[levels];
        double[] distances = new double[levels];
        try (MemoryScope scope = MemoryScope.open(); NoGrad ng = NoGrad.enter()) {
            List<Tensor> pa = laplacianPyramid(prepare(a, a), levels);
            List<Tensor> pb = laplacianPyramid(prepare(b, a), levels);
            for (int l = 0; l < levels; l++) {
                resolutions[l] = (int) Math.min(pa.get(l).size(2), pa.get(l).size(3));
                Tensor index = neighbourhoods(pa.get(l), l);
                Tensor da = pa.get(l).flatten().take(index);
                Tensor db = pb.get(l).flatten().take(index);
                Tensor[] standard = standardise(da, db);
                distances[l] = 1e3 * sliced(standard[0], standard[1], l);
            }
        }
        double sum = 0;
        for (double d : distances) {
            sum += d;
        }
        return new Result(resolutions, distances, sum / levels);
    }

    static int levelCount(long height, long width) {
        int levels = 0;
        for (long side = Math.min(height, width); side >= MIN_RESOLUTION; side /= 2) {
            levels++;
        }
        return levels;
    }

    private static Tensor prepare(Tensor x, Tensor like) {
        return x.detach().to(like.device(), ScalarType.Float).clamp(new ScalarOptional(F.scalar(-1.0)),
                new ScalarOptional(F.scalar(1.0))).contiguous();
    }

    /*
     * The binomial kernel is separable ([1 4 6 4 1] / 16 along each axis), and the pyramid steps
     * are written as strided shifted sums along one axis at a time: libtorch's CPU kernels for
     * depthwise (grouped) convolutions and transposed convolutions measured several times slower.
     */

    /** scipy.ndimage.convolve(mode='mirror') with the 5x5 kernel, then [::2, ::2]. */
    static Tensor pyrDown(Tensor x) {
        Tensor p = torch.reflection_pad2d(x, 2, 2, 2, 2);
        return down(down(p, 3, x.size(3)), 2, x.size(2));
    }

    /** Along {@code dim} of a signal of length {@code n} mirror-padded by 2: every second blurred sample. */
    private static Tensor down(Tensor p, int dim, long n) {
        long out = (n + 1) / 2;
        Tensor[] s = new Tensor[5];
        for (int j = 0; j < 5; j++) {
            s[j] = p.slice(dim, new LongOptional(j), new LongOptional(j + 2 * (out - 1) + 1), 2);
        }
        return s[0].add(s[4]).add(s[1].add(s[3]), F.scalar(4.0)).add(s[2], F.scalar(6.0)).mul(F.scalar(1 / 16.0));
    }

    /**
     * The reference's pyr_up (zero insertion, then the kernel x 4 with mirror borders), cropped
     * to {@code h x w}. Per axis, even outputs are (x[i-1] + 6 x[i] + x[i+1]) / 8 and odd ones
     * (x[i] + x[i+1]) / 2, where the mirror of the zero-inserted signal makes x[-1] = x[1] and
     * x[n] = x[n-1].
     */
    static Tensor pyrUp(Tensor x, long h, long w) {
        return up(up(x, 3), 2).narrow(2, 0, h).narrow(3, 0, w);
    }

    private static Tensor up(Tensor x, int dim) {
        long n = x.size(dim);
        Tensor ext = torch.cat(new TensorVector(x.narrow(dim, 1, 1), x, x.narrow(dim, n - 1, 1)), dim);
        Tensor left = ext.narrow(dim, 0, n);
        Tensor mid = ext.narrow(dim, 1, n);
        Tensor right = ext.narrow(dim, 2, n);
        Tensor even = left.add(right).add(mid, F.scalar(6.0)).mul(F.scalar(1 / 8.0));
        Tensor odd = mid.add(right).mul(F.scalar(0.5));
        long[] shape = x.shape();
        shape[dim] = 2 * n;
        return torch.stack(new TensorVector(even, odd), dim + 1).reshape(shape);
    }

    static List<Tensor> laplacianPyramid(Tensor x, int levels) {
        List<Tensor> gauss = new ArrayList<>();
        gauss.add(x);
        for (int l = 1; l < levels; l++) {
            gauss.add(pyrDown(gauss.get(l - 1)));
        }
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < levels - 1; l++) {
            Tensor g = gauss.get(l);
            out.add(g.sub(pyrUp(gauss.get(l + 1), g.size(2), g.size(3))).contiguous());
        }
        out.add(gauss.get(levels - 1));
        return out;
    }

    /**
     * Flat indices of {@code patchesPerImage} random 7x7 neighbourhoods of every image of a
     * level, shaped M x 3 x 49 (M = N x patches), positions drawn from the seed and level only.
     */
    private Tensor neighbourhoods(Tensor level, int l) {
        int n = (int) level.size(0);
        int h = (int) level.size(2);
        int w = (int) level.size(3);
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + l);
        long[] base = new long[n * patchesPerImage];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < patchesPerImage; p++) {
                int y = rng.nextInt(h - PATCH + 1);
                int x = rng.nextInt(w - PATCH + 1);
                base[i * patchesPerImage + p] = (long) i * 3 * h * w + (long) y * w + x;
            }
        }
        long[] offsets = new long[3 * PATCH * PATCH];
        for (int c = 0; c < 3; c++) {
            for (int dy = 0; dy < PATCH; dy++) {
                for (int dx = 0; dx < PATCH; dx++) {
                    offsets[(c * PATCH + dy) * PATCH + dx] = (long) c * h * w + (long) dy * w + dx;
                }
            }
        }
        Tensor b = longs(base, level).reshape(base.length, 1, 1);
        Tensor o = longs(offsets, level).reshape(1, 3, PATCH * PATCH);
        return b.add(o);
    }

    /** Descriptors M x 3 x 49 standardised per channel, flattened to M x 147. */
    private Tensor[] standardise(Tensor a, Tensor b) {
        long[] dims = {0, 2};
        Tensor ma = a.mean(dims, true, new ScalarTypeOptional());
        Tensor mb = b.mean(dims, true, new ScalarTypeOptional());
        Tensor va = a.sub(ma).square().mean(dims, true, new ScalarTypeOptional());
        Tensor vb = b.sub(mb).square().mean(dims, true, new ScalarTypeOptional());
        Tensor[] out = new Tensor[2];
        if (normalization == Normalization.PER_SET) {
            out[0] = a.sub(ma).div(va.sqrt());
            out[1] = b.sub(mb).div(vb.sqrt());
        } else {
            // Pooled moments of two equal-sized sets, written so that swapping them changes no bit.
            Tensor m = ma.add(mb).mul(F.scalar(0.5));
            Tensor half = ma.sub(mb).mul(F.scalar(0.5));
            Tensor sd = va.add(vb).mul(F.scalar(0.5)).add(half.square()).sqrt();
            out[0] = a.sub(m).div(sd);
            out[1] = b.sub(m).div(sd);
        }
        // A constant channel (std 0) gives 0/0; it carries no information, so it contributes 0.
        for (int i = 0; i < 2; i++) {
            out[i] = torch.nan_to_num(out[i].reshape(out[i].size(0), -1), new DoubleOptional(0.0),
                    new DoubleOptional(0.0), new DoubleOptional(0.0));
        }
        return out;
    }

    /**
     * Mean |sorted(A d) - sorted(B d)| over descriptors, directions and repeats. The sorting is
     * done here, not by libtorch: its CPU sort ran single-threaded at about 40 ns per value
     * (3.8 of 7.4 CPU seconds for 64 images of 256 px), a radix sort over directions in
     * parallel takes a small fraction of that.
     */
    private double sliced(Tensor a, Tensor b, int l) {
        int dim = (int) a.size(1);
        int m = (int) a.size(0);
        Random rng = new Random(seed * 31 + 1_000_003L * (l + 1));
        double total = 0;
        for (int r = 0; r < repeats; r++) {
            float[] dirs = new float[directionsPerRepeat * dim];
            for (int i = 0; i < dirs.length; i++) {
                dirs[i] = (float) rng.nextGaussian();
            }
            for (int j = 0; j < directionsPerRepeat; j++) {
                double norm = 0;
                for (int i = 0; i < dim; i++) {
                    norm += dirs[j * dim + i] * (double) dirs[j * dim + i];
                }
                float inv = (float) (1 / Math.sqrt(norm));
                for (int i = 0; i < dim; i++) {
                    dirs[j * dim + i] *= inv;
                }
            }
            float[] pa;
            float[] pb;
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor d = Tensors.of(dirs, directionsPerRepeat, dim).to(a.device(), ScalarType.Float);
                pa = Tensors.toFloats(d.matmul(a.t()));
                pb = Tensors.toFloats(d.matmul(b.t()));
            }
            double[] perDirection = new double[directionsPerRepeat];
            IntStream.range(0, directionsPerRepeat).parallel().forEach(j -> {
                int[] ka = sortedKeys(pa, j * m, m);
                int[] kb = sortedKeys(pb, j * m, m);
                double sum = 0;
                for (int i = 0; i < m; i++) {
                    sum += Math.abs(fromKey(ka[i]) - fromKey(kb[i]));
                }
                perDirection[j] = sum;
            });
            double sum = 0;
            for (double v : perDirection) {
                sum += v;
            }
            total += sum / ((double) m * directionsPerRepeat);
        }
        return total / repeats;
    }

    /**
     * {@code values[from, from + n)} as order-preserving unsigned keys, sorted by an LSD radix
     * sort in three passes of 11, 11 and 10 bits.
     */
    static int[] sortedKeys(float[] values, int from, int n) {
        int[] keys = new int[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(values[from + i]);
            keys[i] = bits ^ (bits >> 31 | 0x80000000);
        }
        int[] tmp = new int[n];
        int[] count = new int[2049];
        for (int shift = 0; shift < 32; shift += 11) {
            Arrays.fill(count, 0);
            for (int k : keys) {
                count[(k >>> shift & 0x7ff) + 1]++;
            }
            for (int i = 1; i < count.length; i++) {
                count[i] += count[i - 1];
            }
            for (int k : keys) {
                tmp[count[k >>> shift & 0x7ff]++] = k;
            }
            int[] t = keys;
            keys = tmp;
            tmp = t;
        }
        return keys;
    }

    static float fromKey(int key) {
        return Float.intBitsToFloat(key < 0 ? key ^ 0x80000000 : ~key);
    }

    private static Tensor longs(long[] values, Tensor like) {
        Tensor t = torch.empty(new long[] {values.length}, new TensorOptions(ScalarType.Long),
                new MemoryFormatOptional());
        new LongPointer(t.data_ptr()).capacity(values.length).put(values);
        return like.is_cuda() ? t.to(like.device(), ScalarType.Long) : t;
    }
}
