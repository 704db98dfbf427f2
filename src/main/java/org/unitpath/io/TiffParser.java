package org.unitpath.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the header and IFD chain of a classic TIFF or BigTIFF file (either byte order) into
 * tag maps; values are {@code long[]} (integer types), {@code double[]} (rationals),
 * {@code String} (ASCII) or {@code byte[]} (BYTE, UNDEFINED). Damaged structure is reported as
 * an {@link ImageFormatException} naming the file.
 */
final class TiffParser {
    private static final int MAX_PAGES = 4096;

    private final Path file;
    private final FileChannel ch;
    private final long size;
    private ByteOrder order;
    private boolean big;

    private TiffParser(Path file, FileChannel ch) throws IOException {
        this.file = file;
        this.ch = ch;
        this.size = ch.size();
    }

    /** The tag maps of all pages in file order, then those of the first page's SubIFDs (OME-style pyramid levels). */
    static List<Map<Integer, Object>> read(Path file, FileChannel ch) throws IOException {
        return new TiffParser(file, ch).pages();
    }

    /** Whether the first bytes are a TIFF or BigTIFF header. */
    static boolean isTiff(byte[] head) {
        if (head.length < 4) {
            return false;
        }
        boolean ii = head[0] == 'I' && head[1] == 'I' && head[3] == 0 && (head[2] == 42 || head[2] == 43);
        boolean mm = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
        return ii || mm;
    }

    private List<Map<Integer, Object>> pages() throws IOException {
        ByteBuffer head = bytes(0, (int) Math.min(16, size), "header");
        if (!isTiff(head.array())) {
            throw new ImageFormatException(file, "not a TIFF file (bad header)");
        }
        order = head.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        head.order(order);
        big = head.getShort(2) == 43;
        long ifd;
        if (big) {
            if (size < 16 || head.getShort(4) != 8) {
                throw new ImageFormatException(file, "damaged BigTIFF header");
            }
            ifd = head.getLong(8);
        } else {
            ifd = head.getInt(4) & 0xffffffffL;
        }
        List<Map<Integer, Object>> pages = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        while (ifd != 0) {
            if (!seen.add(ifd) || pages.size() >= MAX_PAGES) {
                throw new ImageFormatException(file, "damaged TIFF: the IFD chain loops");
            }
            if (ifd < 8 || ifd >= size) {
                throw new ImageFormatException(file, "truncated TIFF: IFD " + pages.size() + " at offset " + ifd
                        + " lies beyond the end of the file (" + size + " bytes)");
            }
            ifd = readIfd(ifd, pages);
        }
        if (pages.isEmpty()) {
            throw new ImageFormatException(file, "TIFF file without images");
        }
        if (pages.get(0).get(Tiff.SUB_IFDS) instanceof long[] subs) {
            for (long sub : subs) {
                if (sub >= 8 && sub < size && seen.add(sub) && pages.size() < MAX_PAGES) {
                    readIfd(sub, pages);
                }
            }
        }
        return pages;
    }

    /** Parses one IFD into {@code pages} and returns the offset of the next one (0 at the end). */
    private long readIfd(long at, List<Map<Integer, Object>> pages) throws IOException {
        int countSize = big ? 8 : 2;
        int entrySize = big ? 20 : 12;
        int offsetSize = big ? 8 : 4;
        ByteBuffer cb = bytes(at, countSize, "IFD");
        long n = big ? cb.getLong(0) : cb.getShort(0) & 0xffff;
        if (n <= 0 || n > 4096) {
            throw new ImageFormatException(file, "damaged TIFF: IFD at offset " + at + " claims " + n + " entries");
        }
        ByteBuffer entries = bytes(at + countSize, (int) (n * entrySize + offsetSize), "IFD");
        Map<Integer, Object> tags = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int e = i * entrySize;
            int tag = entries.getShort(e) & 0xffff;
            int type = entries.getShort(e + 2) & 0xffff;
            long count = big ? entries.getLong(e + 4) : entries.getInt(e + 4) & 0xffffffffL;
            int unit = Tiff.typeSize(type);
            if (unit == 0 || count <= 0) {
                continue; // unknown types and empty fields carry nothing this reader needs
            }
            if (count > (size / unit) + 1) {
                throw new ImageFormatException(file, "damaged TIFF: tag " + tag + " claims " + count + " values");
            }
            long length = count * unit;
            ByteBuffer value;
            if (length <= offsetSize) {
                value = entries.slice(e + (big ? 12 : 8), (int) length).order(order);
            } else {
                long off = big ? entries.getLong(e + 12) : entries.getInt(e + 8) & 0xffffffffL;
                value = bytes(off, (int) length, "tag " + tag);
            }
            tags.put(tag, decode(type, (int) count, value));
        }
        pages.add(tags);
        int next = (int) (n * entrySize);
        return big ? entries.getLong(next) : entries.getInt(next) & 0xffffffffL;
    }

    private static Object decode(int type, int count, ByteBuffer b) {
        switch (type) {
            case Tiff.ASCII -> {
                byte[] s = new byte[count];
                b.get(0, s);
                int end = 0;
                while (end < s.length && s[end] != 0) {
                    end++;
                }
                return new String(s, 0, end, StandardCharsets.ISO_8859_1);
            }
            case Tiff.BYTE, Tiff.UNDEFINED -> {
                byte[] v = new byte[count];
                b.get(0, v);
                return v;
            }
            case Tiff.RATIONAL, 10 -> {
                double[] v = new double[count];
                for (int i = 0; i < count; i++) {
                    long num = type == 10 ? b.getInt(8 * i) : b.getInt(8 * i) & 0xffffffffL;
                    long den = type == 10 ? b.getInt(8 * i + 4) : b.getInt(8 * i + 4) & 0xffffffffL;
                    v[i] = den == 0 ? 0 : (double) num / den;
                }
                return v;
            }
            case 11, 12 -> {
                double[] v = new double[count];
                for (int i = 0; i < count; i++) {
                    v[i] = type == 11 ? b.getFloat(4 * i) : b.getDouble(8 * i);
                }
                return v;
            }
            default -> {
                long[] v = new long[count];
                for (int i = 0; i < count; i++) {
                    v[i] = switch (type) {
                        case 6 -> b.get(i);
                        case Tiff.SHORT -> b.getShort(2 * i) & 0xffff;
                        case 8 -> b.getShort(2 * i);
                        case Tiff.LONG, 13 -> b.getInt(4 * i) & 0xffffffffL;
                        case 9 -> b.getInt(4 * i);
                        default -> b.getLong(8 * i);
                    };
                }
                return v;
            }
        }
    }

    private ByteBuffer bytes(long at, int length, String what) throws IOException {
        if (at < 0 || at + length > size) {
            throw new ImageFormatException(file, "truncated TIFF: " + what + " at offset " + at + " ends beyond the end of "
                    + "the file (" + size + " bytes)");
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new ImageFormatException(file, "truncated TIFF: unexpected end of file in " + what);
            }
        }
        return b.order(order == null ? ByteOrder.BIG_ENDIAN : order);
    }
}
