package org.unitpath.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files holding 2-D float matrices (feature tables, one row per tile).
 * Writes float32 exactly as {@code numpy.save} does (format 1.0, the header's spare room for a
 * growing first axis, padding to 64 bytes); reads little-endian float32 or float64, C order.
 */
public final class NpyFloat {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy >= 1.24 leaves room in the header for the first axis to grow to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

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
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(rows).length());
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) text.length());
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
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
        try (FileChannel ch = open(file)) {
            Header h = header(ch, file);
            return new int[] {h.rows(), h.cols()};
        }
    }

    public static Matrix read(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
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

    private static FileChannel open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static Header header(FileChannel ch, Path file) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(head, 0);
        if (head.position() < 10 || !Arrays.equals(Arrays.copyOf(head.array(), 6), MAGIC)) {
            throw new ImageFormatException(file, "not a NumPy .npy file (bad magic bytes)");
        }
        int version = head.get(6);
        if (version < 1 || version > 3) {
            throw new ImageFormatException(file, "unsupported .npy format version " + version);
        }
        long length = version == 1 ? head.getShort(8) & 0xffff : head.getInt(8) & 0xffffffffL;
        long offset = version == 1 ? 10 : 12;
        if (offset + length > ch.size() || length > 1 << 20) {
            throw new ImageFormatException(file, "truncated .npy header");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) length);
        ch.read(hb, offset);
        String text = new String(hb.array(), StandardCharsets.ISO_8859_1);
        String descr = field(DESCR, text, file, "descr");
        int bytes = switch (descr) {
            case "<f4", "=f4" -> 4;
            case "<f8", "=f8" -> 8;
            default -> throw new ImageFormatException(file, "dtype '" + descr
                    + "' is not little-endian float32 or float64; save features with arr.astype(np.float32)");
        };
        if (field(FORTRAN, text, file, "fortran_order").equals("True")) {
            throw new ImageFormatException(file, "Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        }
        long[] shape;
        try {
            shape = Arrays.stream(field(SHAPE, text, file, "shape").replace(" ", "").split(","))
                    .filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new ImageFormatException(file, "malformed .npy header: bad 'shape'");
        }
        if (shape.length != 2) {
            throw new ImageFormatException(file, "expected a 2-D array (rows x features), got shape " + Arrays.toString(shape));
        }
        if (shape[0] * shape[1] * bytes > Integer.MAX_VALUE - 64) {
            throw new ImageFormatException(file, "array too large to load: " + shape[0] + "x" + shape[1]);
        }
        long dataStart = offset + length;
        if (ch.size() - dataStart < shape[0] * shape[1] * bytes) {
            throw new ImageFormatException(file, "truncated .npy data: " + (ch.size() - dataStart) + " bytes for "
                    + shape[0] + "x" + shape[1] + " values of " + descr);
        }
        return new Header((int) shape[0], (int) shape[1], bytes, dataStart);
    }

    private static String field(Pattern p, String header, Path file, String key) throws ImageFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new ImageFormatException(file, "malformed .npy header: no '" + key + "'");
        }
        return m.group(1);
    }
}
