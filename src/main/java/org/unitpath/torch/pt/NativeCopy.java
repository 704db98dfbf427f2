package org.unitpath.torch.pt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** Moves raw tensor bytes between Java streams and native memory in bounded chunks. */
final class NativeCopy {
    private static final int CHUNK = 1 << 20;

    private NativeCopy() {}

    static Tensor empty(DType dtype, long[] shape) {
        return torch.empty(shape, new TensorOptions(dtype.scalarType), new org.bytedeco.pytorch.MemoryFormatOptional());
    }

    static Tensor fromBytes(byte[] data, DType dtype, long[] shape, Path file) throws PtFormatException {
        long numel = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (numel * dtype.bytes != data.length) {
            throw new PtFormatException(file, "array of shape " + Arrays.toString(shape) + " needs "
                    + numel * dtype.bytes + " bytes, found " + data.length);
        }
        Tensor t = empty(dtype, shape);
        if (data.length > 0) {
            new BytePointer(t.data_ptr()).capacity(data.length).put(data);
        }
        return t;
    }

    /** Reads exactly {@code numel} elements from {@code in} into a new 1-D tensor. */
    static Tensor fromStream(InputStream in, DType dtype, long numel, Path file, String what) throws IOException {
        Tensor t = empty(dtype, new long[] {numel});
        long total = numel * dtype.bytes;
        BytePointer dst = total == 0 ? null : new BytePointer(t.data_ptr()).capacity(total);
        byte[] buf = new byte[CHUNK];
        long done = 0;
        while (done < total) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, total - done));
            if (n < 0) {
                throw new PtFormatException(file, what + " holds " + done + " bytes, expected " + total + " (truncated file?)");
            }
            dst.position(done).put(buf, 0, n);
            done += n;
        }
        return t;
    }

    /** Contiguous CPU copy of {@code t} viewed as bytes (zero-size tensors give an empty pointer). */
    static BytePointer bytesOf(Tensor contiguousCpu) {
        long n = contiguousCpu.nbytes();
        return n == 0 ? new BytePointer(0) : new BytePointer(contiguousCpu.data_ptr()).capacity(n);
    }

    static long crc32(BytePointer bytes) {
        CRC32 crc = new CRC32();
        long n = bytes.capacity();
        for (long off = 0; off < n; off += CHUNK) {
            int len = (int) Math.min(CHUNK, n - off);
            crc.update(bytes.position(off).limit(off + len).asByteBuffer());
        }
        bytes.position(0).limit(n);
        return crc.getValue();
    }

    static void write(BytePointer bytes, OutputStream out) throws IOException {
        long n = bytes.capacity();
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
        for (long off = 0; off < n; off += buf.length) {
            int len = (int) Math.min(buf.length, n - off);
            bytes.position(off).get(buf, 0, len);
            out.write(buf, 0, len);
        }
        bytes.position(0);
    }
}
