package org.unitpath.io.slide;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unitpath.io.ImageFormatException;

/**
 * The header of a DICOM Part 10 file, parsed without reading its pixel data: the data elements a
 * whole-slide reader needs (see {@link DicomTags}), and where the pixel data lie, as one range for
 * native pixels or as the positions of the encapsulated fragments.
 */
record DicomFile(Path file, String transferSyntax, DicomDataSet data, PixelData pixels) {
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    static final String JPEG2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    static final String JPEG2000 = "1.2.840.10008.1.2.4.91";
    private static final Set<String> READABLE = Set.of(IMPLICIT_LE, EXPLICIT_LE, JPEG_BASELINE, JPEG2000_LOSSLESS, JPEG2000);
    private static final Map<String, String> OTHER_SYNTAXES = Map.ofEntries(
            Map.entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian"),
            Map.entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian"),
            Map.entry("1.2.840.10008.1.2.4.51", "JPEG Extended (12-bit)"),
            Map.entry("1.2.840.10008.1.2.4.57", "JPEG Lossless"),
            Map.entry("1.2.840.10008.1.2.4.70", "JPEG Lossless SV1"),
            Map.entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless"),
            Map.entry("1.2.840.10008.1.2.4.81", "JPEG-LS Near-Lossless"),
            Map.entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Lossless"),
            Map.entry("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 RPCL Lossless"),
            Map.entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000"),
            Map.entry("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
            Map.entry("1.2.840.10008.1.2.4.112", "JPEG XL"),
            Map.entry("1.2.840.10008.1.2.5", "RLE Lossless"));

    private static final int ITEM = DicomDataSet.tag(0xFFFE, 0xE000);
    private static final int ITEM_END = DicomDataSet.tag(0xFFFE, 0xE00D);
    private static final int SEQUENCE_END = DicomDataSet.tag(0xFFFE, 0xE0DD);
    /** VRs with a 4-byte length after two reserved bytes in Explicit VR. */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final int MAX_DEPTH = 16;
    private static final int MAX_KEPT_VALUE = 1 << 20;
    private static final int NO_STOP = -1;

    /**
     * Where the pixel data lie: native pixels are {@code length} bytes at {@code offset}; encapsulated
     * ones are fragments (file offset and length of each) after a Basic Offset Table, which may be empty.
     */
    record PixelData(long offset, long length, long[] fragmentOffsets, int[] fragmentLengths, long[] offsetTable) {
        boolean encapsulated() {
            return fragmentOffsets != null;
        }
    }

    /** The attributes that decide which slide a file belongs to and what role it plays there. */
    record Header(Path file, String seriesUid, List<String> imageType) {
        /** The third value of ImageType: VOLUME, THUMBNAIL, LABEL or OVERVIEW. */
        String flavour() {
            return imageType.size() > 2 ? imageType.get(2) : "";
        }
    }

    static boolean hasMagic(byte[] head) {
        return head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    }

    /** Whether {@code file} starts like a DICOM Part 10 file. */
    static boolean isDicom(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return hasMagic(in.readNBytes(132));
        }
    }

    /** The series and image type of a file, parsed no further than the SeriesInstanceUID. */
    static Header peek(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Parser p = new Parser(file, ch);
            String syntax = p.meta();
            DicomDataSet data = p.dataSet(syntax, DicomTags.SERIES_UID);
            if (data.string(DicomTags.SERIES_UID).isEmpty()) {
                throw new ImageFormatException(file, "missing tag " + DicomDataSet.tagName(DicomTags.SERIES_UID) + " SeriesInstanceUID");
            }
            return new Header(file, data.string(DicomTags.SERIES_UID), data.strings(DicomTags.IMAGE_TYPE));
        }
    }

    /** Parses the whole header and locates the pixel data; the pixel data themselves are not read. */
    static DicomFile read(Path file, FileChannel ch) throws IOException {
        Parser p = new Parser(file, ch);
        String syntax = p.meta();
        if (!READABLE.contains(syntax)) {
            throw new ImageFormatException(file, "transfer syntax " + syntax + " (" + OTHER_SYNTAXES.getOrDefault(syntax, "unknown")
                    + ") is not supported; unitpath reads DICOM uncompressed, JPEG baseline or JPEG 2000");
        }
        DicomDataSet data = p.dataSet(syntax, NO_STOP);
        if (p.pixels == null) {
            throw new ImageFormatException(file, "missing tag " + DicomDataSet.tagName(DicomTags.PIXEL_DATA) + " PixelData");
        }
        return new DicomFile(file, syntax, data, p.pixels);
    }

    /** Reads until {@code b} is full, from {@code position} on; positional, so threads can share the channel. */
    static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, at);
            if (n < 0) {
                throw new EOFException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    /** A parse of one file: a cursor over the channel, read through a small buffer. */
    private static final class Parser {
        private final Path file;
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long bufStart;
        private long pos;
        // bytes read per refill: a whole buffer while parsing elements, a few while hopping over fragments
        private int readAhead = buf.capacity();
        private PixelData pixels;

        Parser(Path file, FileChannel ch) throws IOException {
            this.file = file;
            this.ch = ch;
            this.size = ch.size();
            buf.limit(0);
        }

        /** Checks the preamble and reads the file meta group (always Explicit VR Little Endian); returns the transfer syntax. */
        String meta() throws IOException {
            pos = 128;
            if (size < 132 || !new String(bytes(4), StandardCharsets.ISO_8859_1).equals("DICM")) {
                throw new ImageFormatException(file, "not a DICOM Part 10 file (no \"DICM\" at byte 128)");
            }
            String syntax = null;
            while (pos + 8 <= size && peekGroup() == 0x0002) {
                int tag = tag();
                String vr = new String(bytes(2), StandardCharsets.ISO_8859_1);
                long length = LONG_VRS.contains(vr) ? skipThen4() : u16();
                if (tag == DicomTags.TRANSFER_SYNTAX) {
                    syntax = new String(bytes(checkedLength(tag, length)), StandardCharsets.ISO_8859_1).replace('\0', ' ').trim();
                } else {
                    skip(length);
                }
            }
            if (syntax == null || syntax.isEmpty()) {
                throw new ImageFormatException(file, "missing tag " + DicomDataSet.tagName(DicomTags.TRANSFER_SYNTAX) + " TransferSyntaxUID");
            }
            if (syntax.equals("1.2.840.10008.1.2.2") || syntax.equals("1.2.840.10008.1.2.1.99")) {
                throw new ImageFormatException(file, "transfer syntax " + syntax + " (" + OTHER_SYNTAXES.get(syntax) + ") is not supported;"
                        + " unitpath reads DICOM uncompressed, JPEG baseline or JPEG 2000");
            }
            return syntax;
        }

        /** Parses the data set up to the pixel data (located, not read) or to the first tag after {@code stopAfter}. */
        DicomDataSet dataSet(String syntax, int stopAfter) throws IOException {
            return dataSet(!syntax.equals(IMPLICIT_LE), size, 0, true, stopAfter);
        }

        /** The elements of one data set or item, up to {@code end} (or its delimiter, when {@code end} is -1). */
        private DicomDataSet dataSet(boolean explicit, long end, int depth, boolean keep, int stopAfter) throws IOException {
            if (depth > MAX_DEPTH) {
                throw damaged("sequences nested more than " + MAX_DEPTH + " deep");
            }
            Map<Integer, Object> kept = new HashMap<>();
            while (end < 0 || pos < end) {
                long at = pos;
                int tag = tag();
                if (tag == ITEM_END) {
                    u32();
                    if (end >= 0) {
                        throw damaged("item delimiter inside a defined-length item at byte " + at);
                    }
                    break;
                }
                if (stopAfter != NO_STOP && Integer.compareUnsigned(tag, stopAfter) > 0) {
                    return new DicomDataSet(kept);
                }
                String vr = explicit ? vr(at) : DicomTags.VRS.getOrDefault(tag, "UN");
                long length = !explicit ? u32() : LONG_VRS.contains(vr) ? skipThen4() : u16();
                boolean wanted = keep && DicomTags.VRS.containsKey(tag);
                if (tag == DicomTags.PIXEL_DATA && depth == 0) {
                    pixels = length == 0xFFFFFFFFL ? fragments() : new PixelData(pos, length, null, null, null);
                    if (length != 0xFFFFFFFFL) {
                        skip(length);
                    }
                } else if (vr.equals("SQ") || length == 0xFFFFFFFFL) {
                    // an undefined-length UN element is a sequence encoded in Implicit VR (PS3.5 6.2.2)
                    List<DicomDataSet> items = sequence(tag, explicit && !vr.equals("UN"), length, depth, wanted);
                    if (wanted) {
                        kept.put(tag, items);
                    }
                } else if (wanted) {
                    kept.put(tag, new DicomDataSet.Value(DicomDataSet.vr(vr), bytes(checkedLength(tag, length))));
                } else {
                    skip(length);
                }
            }
            if (end >= 0 && pos != end) {
                throw damaged("an element runs past the end of its item (byte " + pos + ", item ends at " + end + ")");
            }
            return new DicomDataSet(kept);
        }

        private List<DicomDataSet> sequence(int tag, boolean explicit, long length, int depth, boolean keep) throws IOException {
            if (!keep && length != 0xFFFFFFFFL) {
                skip(length);
                return List.of();
            }
            long end = length == 0xFFFFFFFFL ? -1 : pos + length;
            List<DicomDataSet> items = new ArrayList<>();
            while (end < 0 || pos < end) {
                long at = pos;
                int itemTag = tag();
                long itemLength = u32();
                if (itemTag == SEQUENCE_END) {
                    break;
                }
                if (itemTag != ITEM) {
                    throw damaged("sequence " + DicomDataSet.tagName(tag) + " holds " + DicomDataSet.tagName(itemTag)
                            + " at byte " + at + " where an item was expected");
                }
                if (!keep && itemLength != 0xFFFFFFFFL) {
                    skip(itemLength);
                    continue;
                }
                DicomDataSet item = dataSet(explicit, itemLength == 0xFFFFFFFFL ? -1 : pos + itemLength, depth + 1, keep, NO_STOP);
                if (keep) {
                    items.add(item);
                }
            }
            if (end >= 0 && pos != end) {
                throw damaged("sequence " + DicomDataSet.tagName(tag) + " runs past its length");
            }
            return items;
        }

        /** Records the Basic Offset Table and the position of every fragment, hopping from item header to item header. */
        private PixelData fragments() throws IOException {
            readAhead = 64;
            if (tag() != ITEM) {
                throw damaged("encapsulated pixel data do not start with an item (Basic Offset Table)");
            }
            int tableLength = checkedLength(DicomTags.PIXEL_DATA, u32());
            byte[] table = bytes(tableLength);
            long[] offsetTable = new long[tableLength / 4];
            ByteBuffer t = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < offsetTable.length; i++) {
                offsetTable[i] = t.getInt() & 0xffffffffL;
            }
            long[] offsets = new long[64];
            int[] lengths = new int[64];
            int n = 0;
            while (true) {
                long at = pos;
                int tag = tag();
                long length = u32();
                if (tag == SEQUENCE_END) {
                    break;
                }
                if (tag != ITEM || length == 0xFFFFFFFFL || length > Integer.MAX_VALUE - 8) {
                    throw damaged("pixel data fragment " + n + " at byte " + at + " has no valid item header");
                }
                if (n == offsets.length) {
                    offsets = Arrays.copyOf(offsets, 2 * n);
                    lengths = Arrays.copyOf(lengths, 2 * n);
                }
                offsets[n] = pos;
                lengths[n++] = (int) length;
                skip(length);
            }
            readAhead = buf.capacity();
            long first = n == 0 ? pos : offsets[0];
            return new PixelData(first, pos - first, Arrays.copyOf(offsets, n), Arrays.copyOf(lengths, n), offsetTable);
        }

        private String vr(long at) throws IOException {
            byte[] b = bytes(2);
            if (b[0] < 'A' || b[0] > 'Z' || b[1] < 'A' || b[1] > 'Z') {
                throw damaged("invalid value representation bytes at byte " + (at + 4) + " (not an Explicit VR data set?)");
            }
            return new String(b, StandardCharsets.ISO_8859_1);
        }

        private int checkedLength(int tag, long length) throws ImageFormatException {
            if (length > MAX_KEPT_VALUE) {
                throw damaged("element " + DicomDataSet.tagName(tag) + " is " + length + " bytes long");
            }
            return (int) length;
        }

        private ImageFormatException damaged(String problem) {
            return new ImageFormatException(file, "damaged DICOM header: " + problem);
        }

        private int peekGroup() throws IOException {
            int group = u16();
            pos -= 2;
            return group;
        }

        private int tag() throws IOException {
            int group = u16();
            return DicomDataSet.tag(group, u16());
        }

        private long skipThen4() throws IOException {
            skip(2);
            return u32();
        }

        private int u16() throws IOException {
            need(2);
            int v = buf.getShort((int) (pos - bufStart)) & 0xffff;
            pos += 2;
            return v;
        }

        private long u32() throws IOException {
            need(4);
            long v = buf.getInt((int) (pos - bufStart)) & 0xffffffffL;
            pos += 4;
            return v;
        }

        private byte[] bytes(int n) throws IOException {
            byte[] out = new byte[n];
            if (n <= buf.capacity()) {
                need(n);
                buf.get((int) (pos - bufStart), out);
            } else {
                checkEnd(pos + n);
                readFully(ch, ByteBuffer.wrap(out), pos);
            }
            pos += n;
            return out;
        }

        private void skip(long n) throws IOException {
            checkEnd(pos + n);
            pos += n;
        }

        /** Makes bytes [pos, pos + n) available in the buffer. */
        private void need(int n) throws IOException {
            checkEnd(pos + n);
            if (pos >= bufStart && pos + n <= bufStart + buf.limit()) {
                return;
            }
            bufStart = pos;
            buf.clear().limit((int) Math.min(Math.max(n, readAhead), Math.min(buf.capacity(), size - pos)));
            readFully(ch, buf, pos);
            buf.flip();
        }

        private void checkEnd(long end) throws ImageFormatException {
            if (end > size) {
                throw new ImageFormatException(file, "truncated file: the DICOM data run to byte " + end + " but the file has "
                        + size + " bytes");
            }
        }
    }
}
