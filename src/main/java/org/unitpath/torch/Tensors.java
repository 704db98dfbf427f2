package org.unitpath.torch;

import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Creating tensors and reading them back into Java. */
public final class Tensors {
    private Tensors() {}

    public static Tensor zeros(long... shape) {
        Torch.init();
        return torch.zeros(shape, new TensorOptions(ScalarType.Float));
    }

    public static Tensor ones(long... shape) {
        Torch.init();
        return torch.ones(shape, new TensorOptions(ScalarType.Float));
    }

    public static Tensor empty(long... shape) {
        Torch.init();
        return torch.empty(shape, new TensorOptions(ScalarType.Float), new org.bytedeco.pytorch.MemoryFormatOptional());
    }

    public static Tensor randn(long... shape) {
        Torch.init();
        return torch.randn(shape, new TensorOptions(ScalarType.Float));
    }

    /** Standard normal values of the given shape with the dtype and device of {@code like}. */
    public static Tensor randnLike(Tensor like, long... shape) {
        return torch.randn(shape, like.options());
    }

    /** A float32 CPU tensor holding a copy of {@code data}. */
    public static Tensor of(float[] data, long... shape) {
        Torch.init();
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " values, got " + data.length);
        }
        Tensor t = empty(shape);
        if (n > 0) {
            new FloatPointer(t.data_ptr()).capacity(n).put(data);
        }
        return t;
    }

    /** The values of {@code t} as float32, row-major (copied to the CPU when needed). */
    public static float[] toFloats(Tensor t) {
        Tensor c = t.detach().to(ScalarType.Float).cpu().contiguous();
        float[] out = new float[(int) c.numel()];
        if (out.length > 0) {
            new FloatPointer(c.data_ptr()).capacity(out.length).get(out);
        }
        return out;
    }

    public static double maxAbsDiff(Tensor a, Tensor b) {
        return torch.sub(a.detach().cpu().to(ScalarType.Double), b.detach().cpu().to(ScalarType.Double))
                .abs().max().item_double();
    }

    public static String shapeOf(Tensor t) {
        return Arrays.toString(t.shape());
    }
}
