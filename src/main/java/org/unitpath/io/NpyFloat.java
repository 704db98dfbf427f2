package org.unitpath.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * NumPy {@code .npy} files holding 2-D float matrices (feature tables, one row per tile).
 * Writes float32 exactly as {@code numpy.save} does (format 1.0, the header's spare room for a
 * growing first axis, padding to 64 bytes); reads little-endian float32 or float64, C order.
 */
public final class NpyFloat {
    /** numpy >= 1.24 leaves room in the header for the first axis to grow to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    /** A row-major {@code rows x cols} matrix. */
    public record Matrix(int rows, int cols, float[] data) {
        public Matrix {
            if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
                throw new IllegalArgumentException(rows + "x" + cols + " matrix needs " + (long) rows * cols
                        + " values, got " + data.length);
            }
        }

        public float get(int row, int col) {
            return data[row * cols + col];
        }

        /** A copy of row {@code r}. */
        public float[] row(int r) {
            return Arrays.copyOfRange(data, r * cols, (r + 1) * cols);
        }
    }

    private NpyFloat() {}

    /** The header numpy.save writes for a C-ordered float32 array of shape (rows, cols). */
    public static byte[] header(long rows, long cols) {
        return NpyHeader.encode("<f4", rows, cols, GROWTH_AXIS_MAX_DIGITS - Long.toString(rows).length());
    }

    /** Writes {@code values} as little-endian float32: the data part, row after row. */
    public static void writeValues(OutputStream out, float[] values) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        out.write(b.array());
    }

    public static byte[] encode(Matrix m) {
        byte[] head = header(m.rows(), m.cols());
        ByteBuffer b = ByteBuffer.allocate(head.length + 4 * m.data().length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(head).asFloatBuffer().put(m.data());
        return b.array();
    }

    public static void write(Path file, Matrix m) throws IOException {
        AtomicFiles.write(file, encode(m));
    }

    /** Rows and columns of a 2-D float .npy file, from its header alone. */
    public static int[] shape(Path file) throws IOException {
        try (FileChannel ch = NpyHeader.open(file)) {
            Header h = header(ch, file);
            return new int[] {h.rows(), h.cols()};
        }
    }

    public static Matrix read(Path file) throws IOException {
        try (FileChannel ch = NpyHeader.open(file)) {
            Header h = header(ch, file);
            long n = (long) h.rows() * h.cols();
            ByteBuffer data = ByteBuffer.allocate((int) (n * h.elementBytes())).order(ByteOrder.LITTLE_ENDIAN);
            while (data.hasRemaining()) {
                if (ch.read(data, h.dataStart() + data.position()) < 0) {
                    throw new ImageFormatException(file, "truncated .npy data");
                }
            }
            data.flip();
            float[] out = new float[(int) n];
            if (h.elementBytes() == 4) {
                data.asFloatBuffer().get(out);
            } else {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) data.getDouble();
                }
            }
            return new Matrix(h.rows(), h.cols(), out);
        }
    }

    private record Header(int rows, int cols, int elementBytes, long dataStart) {}

    private static Header header(FileChannel ch, Path file) throws IOException {
        NpyHeader h = NpyHeader.read(ch, file, "a feature table (rows x features)");
        int bytes = switch (h.descr()) {
            case "<f4", "=f4" -> 4;
            case "<f8", "=f8" -> 8;
            default -> throw new ImageFormatException(file, "dtype '" + h.descr()
                    + "' is not little-endian float32 or float64; save features with arr.astype(np.float32)");
        };
        if (h.rows() * h.cols() * bytes > Integer.MAX_VALUE - 64) {
            throw new ImageFormatException(file, "array too large to load: " + h.rows() + "x" + h.cols());
        }
        h.checkData(ch, file, bytes);
        return new Header((int) h.rows(), (int) h.cols(), bytes, h.dataStart());
    }
}
