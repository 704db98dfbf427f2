package org.unitpath.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /** The parsed header of a 2-D integer .npy file. */
    private record Header(int height, int width, String descr, int elementBytes, long dataStart) {}

    public static IntMap read(Path file) throws IOException {
        try (FileChannel ch = open(file)) {
            Header h = header(ch, file);
            return region(ch, h, file, 0, 0, h.width(), h.height());
        }
    }

    /**
     * Reads the rectangle (x, y, w, h) of the map, touching only its rows: cropping a 256-px
     * tile's targets from a large canvas map reads kilobytes, not the whole file.
     */
    public static IntMap readRegion(Path file, int x, int y, int w, int h) throws IOException {
        try (FileChannel ch = open(file)) {
            Header hd = header(ch, file);
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > hd.width() || y + h > hd.height()) {
                throw new ImageFormatException(file, "region " + w + "x" + h + "+" + x + "+" + y + " lies outside the "
                        + hd.height() + "x" + hd.width() + " instance map");
            }
            return region(ch, hd, file, x, y, w, h);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static Header header(FileChannel ch, Path file) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(head, 0);
        byte[] first = head.array();
        if (head.position() < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(first, 6), MAGIC)) {
            throw new ImageFormatException(file, "not a NumPy .npy file (bad magic bytes)");
        }
        int major = first[6];
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = head.getShort(8) & 0xffff;
            offset = 10;
        } else if (major == 2 || major == 3) {
            headerLen = head.getInt(8);
            offset = 12;
        } else {
            throw new ImageFormatException(file, "unsupported .npy format version " + major);
        }
        if (offset + (long) headerLen > ch.size()) {
            throw new ImageFormatException(file, "truncated .npy header");
        }
        ByteBuffer hb = ByteBuffer.allocate(headerLen);
        ch.read(hb, offset);
        String header = new String(hb.array(), StandardCharsets.ISO_8859_1);
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
        int width = elementWidth(descr, file);
        long dataStart = offset + headerLen;
        if (ch.size() - dataStart < shape[0] * shape[1] * width) {
            throw new ImageFormatException(file, "truncated .npy data: " + (ch.size() - dataStart) + " bytes for "
                    + shape[0] + "x" + shape[1] + " values of " + descr);
        }
        return new Header((int) shape[0], (int) shape[1], descr, width, dataStart);
    }

    private static IntMap region(FileChannel ch, Header h, Path file, int x, int y, int w, int rows) throws IOException {
        int[] data = new int[w * rows];
        ByteBuffer row = ByteBuffer.allocate(w * h.elementBytes()).order(ByteOrder.LITTLE_ENDIAN);
        boolean unsigned = h.descr().charAt(1) == 'u';
        for (int r = 0; r < rows; r++) {
            row.clear();
            long pos = h.dataStart() + ((long) (y + r) * h.width() + x) * h.elementBytes();
            while (row.hasRemaining()) {
                if (ch.read(row, pos + row.position()) < 0) {
                    throw new ImageFormatException(file, "truncated .npy data");
                }
            }
            row.flip();
            for (int c = 0; c < w; c++) {
                long v = switch (h.elementBytes()) {
                    case 1 -> unsigned ? row.get() & 0xff : row.get();
                    case 2 -> unsigned ? row.getShort() & 0xffff : row.getShort();
                    case 4 -> unsigned ? row.getInt() & 0xffffffffL : row.getInt();
                    default -> row.getLong();
                };
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw new ImageFormatException(file, "instance id " + v + " at row " + (y + r) + ", column "
                            + (x + c) + " is negative or too large");
                }
                data[r * w + c] = (int) v;
            }
        }
        return new IntMap(rows, w, data);
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
