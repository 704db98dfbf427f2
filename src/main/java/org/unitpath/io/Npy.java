package org.unitpath.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files holding 2-D integer instance maps (0 = background, k = nucleus k).
 * Writes int32 (format 1.0, header padded to 64 bytes, as numpy.save); reads any little-endian
 * or byte-sized integer dtype, C order, and checks header, dtype, shape and size.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A 2-D int map read from or written to a .npy file, row-major. */
    public record IntMap(int height, int width, int[] data) {
        public IntMap {
            if ((long) height * width != data.length) {
                throw new IllegalArgumentException(height + "x" + width + " map needs " + (long) height * width
                        + " values, got " + data.length);
            }
        }

        public int get(int x, int y) {
            return data[y * width + x];
        }
    }

    private Npy() {}

    public static byte[] encodeInt32(IntMap map) {
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (" + map.height() + ", " + map.width() + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * map.data().length)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        b.asIntBuffer().put(map.data());
        return b.array();
    }

    public static void writeInt32(Path file, IntMap map) throws IOException {
        AtomicFiles.write(file, encodeInt32(map));
    }

    public static IntMap read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new ImageFormatException(file, "not a NumPy .npy file (bad magic bytes)");
        }
        int major = bytes[6];
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLen = b.getInt(8);
            offset = 12;
        } else {
            throw new ImageFormatException(file, "unsupported .npy format version " + major);
        }
        if (offset + headerLen > bytes.length) {
            throw new ImageFormatException(file, "truncated .npy header");
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file, "descr");
        if (group(FORTRAN, header, file, "fortran_order").equals("True")) {
            throw new ImageFormatException(file, "Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        }
        String[] dims = group(SHAPE, header, file, "shape").replace(" ", "").split(",");
        long[] shape = java.util.Arrays.stream(dims).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        if (shape.length != 2) {
            throw new ImageFormatException(file, "instance map must be 2-D, got shape " + java.util.Arrays.toString(shape));
        }
        if (shape[0] * shape[1] > Integer.MAX_VALUE) {
            throw new ImageFormatException(file, "instance map too large: " + shape[0] + "x" + shape[1]);
        }
        int n = (int) (shape[0] * shape[1]);
        int width = elementWidth(descr, file);
        int dataStart = offset + headerLen;
        if (bytes.length - dataStart < (long) n * width) {
            throw new ImageFormatException(file, "truncated .npy data: " + (bytes.length - dataStart) + " bytes for "
                    + shape[0] + "x" + shape[1] + " values of " + descr);
        }
        int[] data = new int[n];
        b.position(dataStart);
        char kind = descr.charAt(1);
        for (int i = 0; i < n; i++) {
            long v = switch (width) {
                case 1 -> kind == 'u' ? b.get() & 0xff : b.get();
                case 2 -> kind == 'u' ? b.getShort() & 0xffff : b.getShort();
                case 4 -> kind == 'u' ? b.getInt() & 0xffffffffL : b.getInt();
                default -> b.getLong();
            };
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw new ImageFormatException(file, "instance id " + v + " at index " + i + " is negative or too large");
            }
            data[i] = (int) v;
        }
        return new IntMap((int) shape[0], (int) shape[1], data);
    }

    private static int elementWidth(String descr, Path file) throws ImageFormatException {
        if (descr.length() == 3 && (descr.charAt(0) == '<' || descr.charAt(0) == '|' || descr.charAt(0) == '=')
                && (descr.charAt(1) == 'i' || descr.charAt(1) == 'u')) {
            int w = descr.charAt(2) - '0';
            if (w == 1 || w == 2 || w == 4 || w == 8) {
                return w;
            }
        }
        if (descr.equals("|b1")) {
            return 1;
        }
        throw new ImageFormatException(file, "dtype '" + descr + "' is not a little-endian integer type; "
                + "instance maps must be integer (int32 preferred)");
    }

    private static String group(Pattern p, String header, Path file, String key) throws ImageFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new ImageFormatException(file, "malformed .npy header: no '" + key + "'");
        }
        return m.group(1);
    }
}
