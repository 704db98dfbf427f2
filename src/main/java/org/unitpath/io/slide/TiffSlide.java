package org.unitpath.io.slide;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.RgbImage;

/**
 * A TIFF, BigTIFF or Aperio SVS file as a {@link Slide}. TwelveMonkeys parses the IFDs and
 * decodes the tiles and strips (every compression and layout it supports), jai-imageio decodes
 * Aperio's JPEG 2000 tiles; this class chooses the pyramid levels and, for each read, which
 * tiles are needed (see {@link TiffWindow}). Reads from several threads run in parallel: each
 * read has its own decoder and stream on the one shared file channel.
 */
final class TiffSlide implements Slide {
    private static final Logger LOG = LoggerFactory.getLogger(TiffSlide.class);
    private static final TIFFImageReaderSpi TIFF_SPI = new TIFFImageReaderSpi();
    /** Pixels decoded per library call: bounds the memory of a large (subsampled) read. */
    private static final long WINDOW_PIXELS = 4L << 20;

    private final Path file;
    private final FileChannel ch;
    private final TiffFile layout;
    private final List<TiffPage> levels;
    private final RowBand strips = new RowBand((level, y0, y1) -> decode(level, 0, y0, width(level), y1 - y0, 1));

    private TiffSlide(Path file, FileChannel ch, TiffFile layout, List<TiffPage> levels) {
        this.file = file;
        this.ch = ch;
        this.layout = layout;
        this.levels = levels;
    }

    static TiffSlide open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            TiffFile layout = TiffFile.read(file, ch);
            TiffPage base = layout.pages().get(0);
            String vendor = VendorTiff.format(base);
            if (vendor != null) {
                throw new VendorTiff(file, vendor);
            }
            Brightfield.check(file, base);
            List<TiffPage> levels = new ArrayList<>(List.of(jpegColour(ch, base)));
            for (TiffPage p : layout.pages().subList(1, layout.pages().size())) {
                if (isReducedLevel(base, p) && Brightfield.problem(p) == null
                        && levels.stream().noneMatch(l -> l.width() == p.width())) {
                    levels.add(jpegColour(ch, p));
                }
            }
            levels.sort(Comparator.comparingInt(TiffPage::width).reversed());
            for (TiffPage level : levels) {
                checkExtent(file, level, ch.size());
            }
            TiffSlide slide = new TiffSlide(file, ch, layout, List.copyOf(levels));
            slide.probe(base);
            Brightfield.note(file, base);
            if (base.mpp().isEmpty() && slide.mpp().isPresent()) {
                LOG.info("{}: no MPP in the file; AppMag = {} taken as {} µm/px", file, base.appMag().getAsDouble(),
                        slide.mpp().getAsDouble());
            }
            return slide;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * JPEG tiles that mark themselves YCbCr (JFIF, or Adobe with transform 1) under an RGB tag are
     * decoded as YCbCr, as libjpeg (and so OpenSlide and libvips) does; TwelveMonkeys would trust the tag.
     */
    private static TiffPage jpegColour(FileChannel ch, TiffPage p) throws IOException {
        if (p.compression() != 7 || p.photometric() != 2) {
            return p;
        }
        for (int i = 0; i < p.byteCounts().length; i++) {
            if (p.byteCounts()[i] > 0) {
                ByteBuffer head = ByteBuffer.allocate((int) Math.min(p.byteCounts()[i], 4096));
                ch.read(head, p.offsets()[i]);
                return JpegMarkers.saysYCbCr(head.array()) ? p.withPhotometric(6) : p;
            }
        }
        return p;
    }

    /** Asks the decoder for the page's pixel layout, so that one it cannot decode fails at open, not at the first read. */
    private void probe(TiffPage p) throws IOException {
        if (p.jpeg2000() || p.byteCounts()[0] <= 0) {
            return;
        }
        byte[] prefix = p.compression() == TiffPage.COMPRESSION_OLD_JPEG ? new byte[0]
                : TiffWindow.of(p, 0, 0, 1, 1, layout.order(), layout.bigTiff(), ch.size()).prefix();
        ImageReader reader = TIFF_SPI.createReaderInstance(null);
        try (ChannelImageStream in = new ChannelImageStream(ch, prefix)) {
            reader.setInput(in, true, true);
            reader.getRawImageType(prefix.length == 0 ? p.topLevelIndex() : 0);
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "this TIFF layout is not supported by the decoder (" + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * A TIFF whose layout only its vendor's reader understands (Philips' sparse tiles and XML
     * levels, Leica's SCN collections, Ventana's overlapping BIF tiles): OpenSlide's job.
     */
    static final class VendorTiff extends IOException {
        final String format;

        VendorTiff(Path file, String format) {
            super(file + ": is a " + format + ", which the TIFF reader does not read");
            this.format = format;
        }

        /** The vendor format the page's description or XMP names, or null. */
        static String format(TiffPage p) {
            String xmp = new String(p.ifd().getEntryById(700) != null && p.ifd().getEntryById(700).getValue() instanceof byte[] b
                    ? b : new byte[0], java.nio.charset.StandardCharsets.UTF_8);
            if (p.description().contains("DPUfsImport")) {
                return "Philips TIFF";
            }
            if (p.description().contains("leica-microsystems.com/scn")) {
                return "Leica SCN";
            }
            return xmp.contains("iScan") ? "Ventana BIF" : null;
        }
    }

    /** Aperio's thumbnail, label and macro pages are untiled or have another aspect ratio. */
    private static boolean isReducedLevel(TiffPage base, TiffPage p) {
        if (!p.tiled() || p.width() >= base.width() || p.width() <= 0 || p.height() <= 0 || p.compression() != base.compression()
                && (p.jpeg2000() || base.jpeg2000())) {
            return false;
        }
        double expectedHeight = (double) base.height() * p.width() / base.width();
        return Math.abs(p.height() - expectedHeight) <= Math.max(1.0, 0.01 * expectedHeight);
    }

    private static void checkExtent(Path file, TiffPage p, long size) throws ImageFormatException {
        int planes = p.planar() == 2 ? p.samples() : 1;
        long n = (long) p.tilesPerPlane() * planes;
        if (p.offsets() == null || p.byteCounts() == null || p.offsets().length < n || p.byteCounts().length < n) {
            throw new ImageFormatException(file, "page " + p.index() + " has a missing or short tile/strip offset table");
        }
        for (int i = 0; i < n; i++) {
            if (p.byteCounts()[i] > 0 && p.offsets()[i] + p.byteCounts()[i] > size) {
                throw new ImageFormatException(file, "truncated TIFF: " + (p.tiled() ? "tile " : "strip ") + i + " of page "
                        + p.index() + " ends at byte " + (p.offsets()[i] + p.byteCounts()[i]) + ", the file has " + size);
            }
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public int levels() {
        return levels.size();
    }

    @Override
    public int width(int level) {
        return levels.get(level).width();
    }

    @Override
    public int height(int level) {
        return levels.get(level).height();
    }

    @Override
    public double downsample(int level) {
        TiffPage base = levels.get(0);
        TiffPage p = levels.get(level);
        return ((double) base.width() / p.width() + (double) base.height() / p.height()) / 2;
    }

    /** The file's µm/px; without one, Aperio's objective power by the usual convention (40x = 0.25 µm/px). */
    @Override
    public OptionalDouble mpp() {
        TiffPage base = levels.get(0);
        return base.mpp().isPresent() || base.appMag().isEmpty() ? base.mpp()
                : Slides.plausibleMpp(10 / base.appMag().getAsDouble());
    }

    @Override
    public RgbImage read(int level, int x, int y, int w, int h, int step) throws IOException {
        TiffPage p = levels.get(level);
        if (!p.tiled() && p.tileWidth() > w) {
            SampledRegion r = new SampledRegion(x, y, w, h, step);
            int x0 = Math.max(x, 0);
            int y0 = Math.max(y, 0);
            int x1 = (int) Math.min((long) x + w, p.width());
            int y1 = (int) Math.min((long) y + h, p.height());
            if (x0 >= x1 || y0 >= y1 || strips.read(level, p.width(), x0, y0, x1, y1, r)) {
                return r.image();
            }
        }
        return decode(level, x, y, w, h, step);
    }

    /** Decodes the tiles or strips under the rectangle, each once, a block of them per library call. */
    private RgbImage decode(int level, int x, int y, int w, int h, int step) throws IOException {
        TiffPage p = levels.get(level);
        SampledRegion r = new SampledRegion(x, y, w, h, step);
        long x0 = Math.max(x, 0);
        long y0 = Math.max(y, 0);
        long x1 = Math.min((long) x + w, p.width());
        long y1 = Math.min((long) y + h, p.height());
        if (x0 >= x1 || y0 >= y1) {
            return r.image();
        }
        int tx0 = (int) (x0 / p.tileWidth());
        int ty0 = (int) (y0 / p.tileHeight());
        int tx1 = (int) ((x1 - 1) / p.tileWidth()) + 1;
        int ty1 = (int) ((y1 - 1) / p.tileHeight()) + 1;
        if (p.compression() == TiffPage.COMPRESSION_OLD_JPEG) {
            decodePage(p, r);
            return r.image();
        }
        int across = (int) Math.max(1, Math.min(tx1 - tx0, WINDOW_PIXELS / ((long) p.tileWidth() * p.tileHeight())));
        int down = (int) Math.max(1, Math.min(ty1 - ty0, WINDOW_PIXELS / ((long) p.tileWidth() * p.tileHeight() * across)));
        for (int by = ty0; by < ty1; by += down) {
            for (int bx = tx0; bx < tx1; bx += across) {
                int ex = Math.min(bx + across, tx1);
                int ey = Math.min(by + down, ty1);
                if (p.jpeg2000() || hasSparseTile(p, bx, by, ex, ey)) {
                    for (int ty = by; ty < ey; ty++) {
                        for (int tx = bx; tx < ex; tx++) {
                            decodeTiles(p, tx, ty, tx + 1, ty + 1, r);
                        }
                    }
                } else {
                    decodeTiles(p, bx, by, ex, ey, r);
                }
            }
        }
        return r.image();
    }

    private static boolean hasSparseTile(TiffPage p, int tx0, int ty0, int tx1, int ty1) {
        int planes = p.planar() == 2 ? p.samples() : 1;
        for (int b = 0; b < planes; b++) {
            for (int ty = ty0; ty < ty1; ty++) {
                for (int tx = tx0; tx < tx1; tx++) {
                    if (p.byteCounts()[b * p.tilesPerPlane() + ty * p.tilesAcross() + tx] <= 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Decodes tiles [tx0, tx1) x [ty0, ty1) into the samples of {@code r} they hold; sparse tiles stay white. */
    private void decodeTiles(TiffPage p, int tx0, int ty0, int tx1, int ty1, SampledRegion r) throws IOException {
        String where = (tx1 - tx0) * (ty1 - ty0) == 1
                ? (p.tiled() ? "tile " : "strip ") + (ty0 * p.tilesAcross() + tx0) + " of page " + p.index()
                : (p.tiled() ? "tiles " : "strips ") + "(" + tx0 + ".." + (tx1 - 1) + ", " + ty0 + ".." + (ty1 - 1) + ") of page "
                + p.index();
        try {
            if (p.jpeg2000()) {
                int i = ty0 * p.tilesAcross() + tx0;
                if (p.byteCounts()[i] > 0) {
                    BufferedImage tile = Jpeg2000.decode(bytes(p.offsets()[i], p.byteCounts()[i]), p.ycbcrJpeg2000());
                    int left = tx0 * p.tileWidth();
                    int top = ty0 * p.tileHeight();
                    // edge tiles are coded whole: what lies beyond the image is padding
                    tile = tile.getSubimage(0, 0, Math.min(tile.getWidth(), p.width() - left), Math.min(tile.getHeight(), p.height() - top));
                    Pixels.copy(tile, left, top, 1, r);
                }
                return;
            }
            if (hasSparseTile(p, tx0, ty0, tx1, ty1)) {
                return;
            }
            TiffWindow window = TiffWindow.of(p, tx0, ty0, tx1, ty1, layout.order(), layout.bigTiff(), ch.size());
            try (ChannelImageStream in = new ChannelImageStream(ch, window.prefix())) {
                read(in, 0, window.left(), window.top(), window.width(), window.height(), r, p.tiled() ? Region.WHOLE : Region.ROWS);
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "damaged data in " + where + " (" + e.getMessage() + ")", e);
        }
    }

    /** Old-style JPEG (compression 6) spans the page in one stream: the library reads the page itself. */
    private void decodePage(TiffPage p, SampledRegion r) throws IOException {
        if (p.topLevelIndex() < 0) {
            throw new ImageFormatException(file, "old-style JPEG in a SubIFD (page " + p.index() + ") is not supported");
        }
        try (ChannelImageStream in = new ChannelImageStream(ch, new byte[0])) {
            read(in, p.topLevelIndex(), 0, 0, p.width(), p.height(), r, Region.RECTANGLE);
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "damaged old-style JPEG data in page " + p.index() + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * How much of an image the library decodes: tile windows whole (TwelveMonkeys 3.14 misplaces the
     * rows of a source region on tiled pages, and subsamples each tile from its own origin); strips
     * only the rows needed (a page may be one strip); old-style JPEG, one stream for the page, the rectangle.
     */
    private enum Region { WHOLE, ROWS, RECTANGLE }

    /**
     * Decodes image {@code index} of {@code in}, whose pixel (0, 0) is pixel (left, top) of the level,
     * into the samples of {@code r} it holds.
     */
    private static void read(ChannelImageStream in, int index, int left, int top, int width, int height, SampledRegion r,
                             Region region) throws IOException {
        int sx0 = r.firstSample(Math.max(left, r.x), r.x);
        int sy0 = r.firstSample(Math.max(top, r.y), r.y);
        int sx1 = (int) Math.min((long) left + width, (long) r.x + (long) r.width * r.step);
        int sy1 = (int) Math.min((long) top + height, (long) r.y + (long) r.height * r.step);
        if (sx0 >= sx1 || sy0 >= sy1) {
            return;
        }
        ImageReader reader = TIFF_SPI.createReaderInstance(null);
        try {
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            int x0 = region == Region.RECTANGLE ? sx0 : left;
            int y0 = region == Region.WHOLE ? top : sy0;
            param.setSourceRegion(switch (region) {
                case WHOLE -> null;
                case ROWS -> new Rectangle(0, sy0 - top, width, sy1 - sy0);
                case RECTANGLE -> new Rectangle(sx0 - left, sy0 - top, sx1 - sx0, sy1 - sy0);
            });
            Pixels.copy(reader.read(index, param), x0, y0, 1, r);
        } finally {
            reader.dispose();
        }
    }

    private byte[] bytes(long offset, long count) throws IOException {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException("tile of " + count + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) count);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return b.array();
    }

    @Override
    public void close() throws IOException {
        strips.clear();
        ch.close();
    }
}
