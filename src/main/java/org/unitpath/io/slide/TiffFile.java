package org.unitpath.io.slide;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.IIOException;
import org.unitpath.io.ImageFormatException;

/**
 * The pages of a TIFF or BigTIFF file as TwelveMonkeys' metadata reader parses them: the IFD
 * chain in file order, then the first page's SubIFDs (OME-style pyramid levels).
 */
record TiffFile(List<TiffPage> pages, ByteOrder order, boolean bigTiff) {

    static TiffFile read(Path file, FileChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(16);
        ch.read(head, 0);
        if (!Slides.isTiff(head.array())) {
            throw new ImageFormatException(file, "not a TIFF file (bad header)");
        }
        ByteOrder order = head.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        boolean big = head.order(order).getShort(2) == 43;
        long first = big ? head.getLong(8) : head.getInt(4) & 0xffffffffL;
        if (first < 8 || first >= ch.size()) {
            throw new ImageFormatException(file, "truncated TIFF: the first IFD, at offset " + first + ", lies beyond the end of"
                    + " the file (" + ch.size() + " bytes)");
        }
        Directory chain;
        try (ChannelImageStream in = new ChannelImageStream(ch, new byte[0])) {
            chain = new TIFFReader().read(in);
        } catch (IIOException | java.io.EOFException e) {
            throw new ImageFormatException(file, "damaged TIFF structure (" + e.getMessage() + ")", e);
        }
        List<TiffPage> pages = new ArrayList<>();
        int count = chain instanceof CompoundDirectory c ? c.directoryCount() : 1;
        for (int i = 0; i < count; i++) {
            pages.add(TiffPage.of(i, false, chain instanceof CompoundDirectory c ? c.getDirectory(i) : chain));
        }
        if (pages.isEmpty()) {
            throw new ImageFormatException(file, "TIFF file without images");
        }
        Entry subs = pages.get(0).ifd().getEntryById(TIFF.TAG_SUB_IFD);
        Object v = subs == null ? null : subs.getValue();
        Directory[] levels = v instanceof Directory d ? new Directory[] {d} : v instanceof Directory[] ds ? ds : new Directory[0];
        for (Directory d : levels) {
            pages.add(TiffPage.of(pages.size(), true, d));
        }
        return new TiffFile(List.copyOf(pages), order, big);
    }
}
