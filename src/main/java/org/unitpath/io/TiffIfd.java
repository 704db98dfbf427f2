package org.unitpath.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The fields of one image file directory, kept in memory so that it can be serialised as a
 * classic TIFF or a BigTIFF IFD (the writer switches to BigTIFF when the file outgrows 4 GB).
 */
final class TiffIfd {
    /**
     * One field. {@code offsets} marks tile offsets and byte counts: LONG in classic TIFF, LONG8 in
     * BigTIFF. {@code raw} holds ASCII bytes; numbers are in {@code values} (rationals as pairs).
     */
    record Field(int tag, int type, long[] values, byte[] raw, boolean offsets) {
        int count() {
            return raw != null ? raw.length : type == Tiff.RATIONAL ? values.length / 2 : values.length;
        }
    }

    private final List<Field> fields = new ArrayList<>();

    TiffIfd shorts(int tag, long... values) {
        fields.add(new Field(tag, Tiff.SHORT, values, null, false));
        return this;
    }

    TiffIfd longs(int tag, long... values) {
        fields.add(new Field(tag, Tiff.LONG, values, null, false));
        return this;
    }

    TiffIfd offsets(int tag, long[] values) {
        fields.add(new Field(tag, Tiff.LONG, values, null, true));
        return this;
    }

    TiffIfd rational(int tag, long numerator, long denominator) {
        fields.add(new Field(tag, Tiff.RATIONAL, new long[] {numerator, denominator}, null, false));
        return this;
    }

    TiffIfd ascii(int tag, String text) {
        byte[] s = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] z = new byte[s.length + 1];
        System.arraycopy(s, 0, z, 0, s.length);
        fields.add(new Field(tag, Tiff.ASCII, null, z, false));
        return this;
    }

    /**
     * The IFD as it will lie at file offset {@code at}: entry count, entries sorted by tag, a zero
     * next-IFD offset, then the values too long to sit in their entries (each word-aligned).
     */
    ByteBuffer encode(long at, boolean big) {
        List<Field> sorted = new ArrayList<>(fields);
        sorted.sort(Comparator.comparingInt(Field::tag));
        int inline = big ? 8 : 4;
        int align = big ? 8 : 2;
        int head = (big ? 8 : 2) + sorted.size() * (big ? 20 : 12) + inline;
        long extra = 0;
        for (Field f : sorted) {
            long n = size(f, big);
            if (n > inline) {
                extra += n + align;
            }
        }
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(head + extra)).order(ByteOrder.LITTLE_ENDIAN);
        int data = head;
        if (big) {
            b.putLong((long) sorted.size());
        } else {
            b.putShort((short) sorted.size());
        }
        for (Field f : sorted) {
            int type = f.offsets() && big ? Tiff.LONG8 : f.type();
            b.putShort((short) f.tag()).putShort((short) type);
            if (big) {
                b.putLong(f.count());
            } else {
                b.putInt(f.count());
            }
            int n = (int) size(f, big);
            if (n <= inline) {
                int start = b.position();
                put(b, f, type, start);
                b.position(start + inline);
            } else {
                data += (int) ((align - (at + data) % align) % align);
                if (big) {
                    b.putLong(at + data);
                } else {
                    b.putInt((int) (at + data));
                }
                put(b, f, type, data);
                data += n;
            }
        }
        b.position(0).limit(data);
        return b;
    }

    private static long size(Field f, boolean big) {
        int type = f.offsets() && big ? Tiff.LONG8 : f.type();
        return f.raw() != null ? f.raw().length : (long) f.values().length * (type == Tiff.RATIONAL ? 4 : Tiff.typeSize(type));
    }

    private static void put(ByteBuffer b, Field f, int type, int at) {
        if (f.raw() != null) {
            b.put(at, f.raw());
            return;
        }
        for (long v : f.values()) {
            switch (type) {
                case Tiff.SHORT -> b.putShort(at, (short) v);
                case Tiff.LONG8 -> b.putLong(at, v);
                default -> b.putInt(at, (int) v);
            }
            at += type == Tiff.SHORT ? 2 : type == Tiff.LONG8 ? 8 : 4;
        }
    }
}
