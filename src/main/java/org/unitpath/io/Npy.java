package org.unitpath.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * NumPy {@code .npy} files holding 2-D integer instance maps (0 = background, k = nucleus k).
 * Writes int32 (format 1.0, header padded to 64 bytes, as numpy.save); reads any little-endian
 * or byte-sized integer dtype, C order, and checks header, dtype, shape and size.
 */
public final class Npy {
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
        byte[] head = NpyHeader.encode("<i4", map.height(), map.width(), 0);
        ByteBuffer b = ByteBuffer.allocate(head.length + 4 * map.data().length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(head).asIntBuffer().put(map.data());
        return b.array();
    }

    public static void writeInt32(Path file, IntMap map) throws IOException {
        AtomicFiles.write(file, encodeInt32(map));
    }

    /** The parsed header of a 2-D integer .npy file. */
    private record Header(int height, int width, String descr, int elementBytes, long dataStart) {}

    public static IntMap read(Path file) throws IOException {
        try (FileChannel ch = NpyHeader.open(file)) {
            Header h = header(ch, file);
            return region(ch, h, file, 0, 0, h.width(), h.height());
        }
    }

    /**
     * Reads the rectangle (x, y, w, h) of the map, touching only its rows: cropping a 256-px
     * tile's targets from a large canvas map reads kilobytes, not the whole file.
     */
    public static IntMap readRegion(Path file, int x, int y, int w, int h) throws IOException {
        try (FileChannel ch = NpyHeader.open(file)) {
            Header hd = header(ch, file);
            if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > hd.width() || y + h > hd.height()) {
                throw new ImageFormatException(file, "region " + w + "x" + h + "+" + x + "+" + y + " lies outside the "
                        + hd.height() + "x" + hd.width() + " instance map");
            }
            return region(ch, hd, file, x, y, w, h);
        }
    }

    private static Header header(FileChannel ch, Path file) throws IOException {
        NpyHeader h = NpyHeader.read(ch, file, "instance map");
        if (h.rows() * h.cols() > Integer.MAX_VALUE) {
            throw new ImageFormatException(file, "instance map too large: " + h.rows() + "x" + h.cols());
        }
        int width = elementWidth(h.descr(), file);
        h.checkData(ch, file, width);
        return new Header((int) h.rows(), (int) h.cols(), h.descr(), width, h.dataStart());
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
}
