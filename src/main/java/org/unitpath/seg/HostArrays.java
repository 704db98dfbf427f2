package org.unitpath.seg;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.unitpath.torch.Tensors;
import org.unitpath.torch.Torch;

/** Copies between Java arrays and tensors for the detection operators' host-side loops. */
final class HostArrays {
    private HostArrays() {}

    /** The first {@code n} values of {@code data} as an int64 tensor on the device of {@code like}. */
    static Tensor longs(long[] data, int n, Tensor like) {
        Torch.init();
        Tensor t = torch.empty(new long[] {n}, new TensorOptions(ScalarType.Long), new MemoryFormatOptional());
        if (n > 0) {
            new LongPointer(t.data_ptr()).capacity(n).put(data, 0, n);
        }
        return like == null || !like.is_cuda() ? t : t.to(like.device(), ScalarType.Long);
    }

    /** The first {@code n} values of {@code data} with the dtype and device of {@code like}. */
    static Tensor floats(float[] data, int n, Tensor like) {
        Torch.init();
        Tensor t = torch.empty(new long[] {n}, new TensorOptions(ScalarType.Float), new MemoryFormatOptional());
        if (n > 0) {
            new FloatPointer(t.data_ptr()).capacity(n).put(data, 0, n);
        }
        return t.to(like.device(), like.scalar_type());
    }

    /** Options for an int64 tensor on the device of {@code like}. */
    static TensorOptions longOptions(Tensor like) {
        return like.options().dtype(new ScalarTypeOptional(ScalarType.Long));
    }

    /** The values of a tensor as float32, row-major, copied to the CPU; empty tensors give an empty array. */
    static float[] toFloats(Tensor t) {
        return t.numel() == 0 ? new float[0] : Tensors.toFloats(t);
    }

    /** The values of an integer tensor, copied to the CPU as int64. */
    static long[] toLongs(Tensor t) {
        Tensor c = t.detach().to(ScalarType.Long).cpu().contiguous();
        long[] out = new long[(int) c.numel()];
        if (out.length > 0) {
            new LongPointer(c.data_ptr()).capacity(out.length).get(out);
        }
        return out;
    }
}
