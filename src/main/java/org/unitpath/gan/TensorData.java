package org.unitpath.gan;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

/** Small constant tensors built from Java values on the device and in the dtype of a reference tensor. */
final class TensorData {
    private TensorData() {}

    static Tensor like(Tensor ref, double[] data, long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape holds " + n + " values, got " + data.length);
        }
        Tensor t = torch.empty(shape, new TensorOptions(ScalarType.Double), new MemoryFormatOptional());
        new DoublePointer(t.data_ptr()).capacity(n).put(data);
        return t.to(ref.device(), ref.scalar_type());
    }
}
