package org.unitpath.io.slide;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.IFD;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFEntry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * A block of whole tiles (or strips) of one page, presented to TwelveMonkeys' TIFF reader as a
 * small TIFF of its own: a new header and IFD (the page's tags, with the block's size and only
 * its tiles' offsets) are put in front of the unchanged file. The library then decodes exactly
 * the tiles under a read, with every codec and layout it supports, where a source region on the
 * whole page would decode every tile above and beside the region as well.
 */
record TiffWindow(int left, int top, int width, int height, byte[] prefix) {

    /** Tags the window replaces, and tags a decoder never needs (metadata, pointers to other IFDs). */
    private static final Set<Integer> DROPPED = Set.of(TIFF.TAG_IMAGE_WIDTH, TIFF.TAG_PHOTOMETRIC_INTERPRETATION, TIFF.TAG_IMAGE_HEIGHT,
            TIFF.TAG_STRIP_OFFSETS, TIFF.TAG_STRIP_BYTE_COUNTS, TIFF.TAG_TILE_OFFSETS, TIFF.TAG_TILE_BYTE_COUNTS,
            TIFF.TAG_SUB_IFD, TIFF.TAG_EXIF_IFD, TIFF.TAG_GPS_IFD, TIFF.TAG_INTEROP_IFD, TIFF.TAG_IMAGE_DESCRIPTION,
            TIFF.TAG_ICC_PROFILE, TIFF.TAG_XMP, TIFF.TAG_IPTC, TIFF.TAG_PHOTOSHOP, TIFF.TAG_PHOTOSHOP_IMAGE_SOURCE_DATA);

    /** Tiles [tx0, tx1) x [ty0, ty1) of {@code page}; the file's byte order and flavour (BigTIFF) are kept. */
    static TiffWindow of(TiffPage page, int tx0, int ty0, int tx1, int ty1, ByteOrder order, boolean bigTiff, long fileSize)
            throws IOException {
        int left = tx0 * page.tileWidth();
        int top = ty0 * page.tileHeight();
        int width = (int) Math.min((long) tx1 * page.tileWidth(), page.width()) - left;
        int height = (int) Math.min((long) ty1 * page.tileHeight(), page.height()) - top;
        int planes = page.planar() == 2 ? page.samples() : 1;
        int n = (tx1 - tx0) * (ty1 - ty0) * planes;
        long[] offsets = new long[n];
        long[] counts = new long[n];
        int k = 0;
        for (int b = 0; b < planes; b++) {
            for (int ty = ty0; ty < ty1; ty++) {
                for (int tx = tx0; tx < tx1; tx++) {
                    int i = b * page.tilesPerPlane() + ty * page.tilesAcross() + tx;
                    offsets[k] = page.offsets()[i];
                    counts[k++] = page.byteCounts()[i];
                }
            }
        }
        boolean big = bigTiff || fileSize + (1L << 20) >= 1L << 32;
        byte[] draft = header(page, width, height, offsets, counts, 0, order, big);
        byte[] prefix = header(page, width, height, offsets, counts, draft.length, order, big);
        if (prefix.length != draft.length) {
            throw new IllegalStateException("window header changed size");
        }
        return new TiffWindow(left, top, width, height, prefix);
    }

    private static byte[] header(TiffPage page, int width, int height, long[] offsets, long[] counts, long shift,
                                 ByteOrder order, boolean big) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (Entry e : page.ifd()) {
            Object v = e.getValue();
            if (!DROPPED.contains((Integer) e.getIdentifier()) && e instanceof TIFFEntry
                    && (v instanceof Number || v instanceof String || v != null && v.getClass().isArray() && !(v instanceof Directory[]))) {
                entries.add(e);
            }
        }
        long[] shifted = new long[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            shifted[i] = offsets[i] + shift;
        }
        short type = big ? TIFF.TYPE_LONG8 : TIFF.TYPE_LONG;
        entries.add(new TIFFEntry(TIFF.TAG_IMAGE_WIDTH, TIFF.TYPE_LONG, (long) width));
        entries.add(new TIFFEntry(TIFF.TAG_IMAGE_HEIGHT, TIFF.TYPE_LONG, (long) height));
        if (page.photometric() >= 0) {
            entries.add(new TIFFEntry(TIFF.TAG_PHOTOMETRIC_INTERPRETATION, TIFF.TYPE_SHORT, page.photometric()));
        }
        entries.add(new TIFFEntry(page.tiled() ? TIFF.TAG_TILE_OFFSETS : TIFF.TAG_STRIP_OFFSETS, type, shifted));
        entries.add(new TIFFEntry(page.tiled() ? TIFF.TAG_TILE_BYTE_COUNTS : TIFF.TAG_STRIP_BYTE_COUNTS, type, counts));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 24 * entries.size());
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            out.setByteOrder(order);
            new TIFFWriter(big ? 8 : 4).write(new IFD(entries), out);
        }
        return bytes.toByteArray();
    }
}
