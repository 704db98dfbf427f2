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
 * tiles are needed (see {@link TiffWindow}), keeping the last ones decoded in a {@link TileCache}.
 * Reads from several threads run in parallel: each decode has its own decoder and stream on the
 * one shared file channel.
 */
final class TiffSlide implements Slide {
    private static final Logger LOG = LoggerFactory.getLogger(TiffSlide.class);
    private static final TIFFImageReaderSpi TIFF_SPI = new TIFFImageReaderSpi();
    /** Strip pixels decoded per library call: bounds the memory of a large (subsampled) read. */
    private static final long WINDOW_PIXELS = 4L << 20;

    private final Path file;
    private final FileChannel ch;
    private final TiffFile layout;
    private final List<TiffPage> levels;
    private final RowBand strips = new RowBand((level, y0, y1) -> decode(level, 0, y0, width(level), y1 - y0, 1));
    private final TileCache cache = new TileCache();

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
                return JpegMarkers.colour(head.array()) == JpegMarkers.Colour.YCBCR ? p.withPhotometric(6) : p;
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

    /**
     * Decodes what lies under the rectangle: tiles one by one through the cache (small cells and
     * overlapping reads reuse them), strips a block per library call.
     */
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
        } else if (p.tiled()) {
            for (int ty = ty0; ty < ty1; ty++) {
                for (int tx = tx0; tx < tx1; tx++) {
                    if (r.firstSample(Math.max((long) tx * p.tileWidth(), x), x) < Math.min((tx + 1L) * p.tileWidth(), x1)
                            && r.firstSample(Math.max((long) ty * p.tileHeight(), y), y) < Math.min((ty + 1L) * p.tileHeight(), y1)
                            && !hasSparseTile(p, tx, ty, tx + 1, ty + 1)) {
                        int tileX = tx;
                        int tileY = ty;
                        BufferedImage tile = cache.get(level, (long) ty * p.tilesAcross() + tx, () -> decodeTile(p, tileX, tileY));
                        Pixels.copy(tile, tx * p.tileWidth(), ty * p.tileHeight(), 1, r);
                    }
                }
            }
        } else {
            int down = (int) Math.max(1, Math.min(ty1 - ty0, WINDOW_PIXELS / ((long) p.tileWidth() * p.tileHeight())));
            for (int by = ty0; by < ty1; by += down) {
                decodeStrips(p, by, Math.min(by + down, ty1), r);
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

    /** One tile, decoded whole and cut to the page (edge tiles are coded whole: what lies beyond the image is padding). */
    private BufferedImage decodeTile(TiffPage p, int tx, int ty) throws IOException {
        int index = ty * p.tilesAcross() + tx;
        try {
            BufferedImage tile;
            if (p.jpeg2000()) {
                tile = Jpeg2000.decode(bytes(p.offsets()[index], p.byteCounts()[index]), p.ycbcrJpeg2000());
            } else {
                TiffWindow window = TiffWindow.of(p, tx, ty, tx + 1, ty + 1, layout.order(), layout.bigTiff(), ch.size());
                try (ChannelImageStream in = new ChannelImageStream(ch, window.prefix())) {
                    tile = decode(in, 0, null);
                }
            }
            int w = Math.min(tile.getWidth(), p.width() - tx * p.tileWidth());
            int h = Math.min(tile.getHeight(), p.height() - ty * p.tileHeight());
            return w < tile.getWidth() || h < tile.getHeight() ? tile.getSubimage(0, 0, w, h) : tile;
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "damaged data in tile " + index + " of page " + p.index() + " (" + e.getMessage()
                    + ")", e);
        }
    }

    /** Strips [s0, s1) of a page into the samples of {@code r} they hold: only the rows the read needs are decoded. */
    private void decodeStrips(TiffPage p, int s0, int s1, SampledRegion r) throws IOException {
        String where = (s1 - s0 == 1 ? "strip " + s0 : "strips " + s0 + ".." + (s1 - 1)) + " of page " + p.index();
        try {
            if (hasSparseTile(p, 0, s0, 1, s1)) {
                for (int s = s0; s < s1 && s1 - s0 > 1; s++) {
                    decodeStrips(p, s, s + 1, r);
                }
                return;
            }
            TiffWindow window = TiffWindow.of(p, 0, s0, 1, s1, layout.order(), layout.bigTiff(), ch.size());
            int top = window.top();
            int sy0 = r.firstSample(Math.max(top, r.y), r.y);
            int sy1 = (int) Math.min((long) top + window.height(), (long) r.y + (long) r.height * r.step);
            if (sy0 >= sy1) {
                return;
            }
            try (ChannelImageStream in = new ChannelImageStream(ch, window.prefix())) {
                Pixels.copy(decode(in, 0, new Rectangle(0, sy0 - top, window.width(), sy1 - sy0)), 0, sy0, 1, r);
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "damaged data in " + where + " (" + e.getMessage() + ")", e);
        }
    }

    /** Old-style JPEG (compression 6) spans the page in one stream: the library reads the page itself, the rectangle only. */
    private void decodePage(TiffPage p, SampledRegion r) throws IOException {
        if (p.topLevelIndex() < 0) {
            throw new ImageFormatException(file, "old-style JPEG in a SubIFD (page " + p.index() + ") is not supported");
        }
        int sx0 = r.firstSample(Math.max(0, r.x), r.x);
        int sy0 = r.firstSample(Math.max(0, r.y), r.y);
        int sx1 = (int) Math.min(p.width(), (long) r.x + (long) r.width * r.step);
        int sy1 = (int) Math.min(p.height(), (long) r.y + (long) r.height * r.step);
        if (sx0 >= sx1 || sy0 >= sy1) {
            return;
        }
        try (ChannelImageStream in = new ChannelImageStream(ch, new byte[0])) {
            Pixels.copy(decode(in, p.topLevelIndex(), new Rectangle(sx0, sy0, sx1 - sx0, sy1 - sy0)), sx0, sy0, 1, r);
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "damaged old-style JPEG data in page " + p.index() + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Image {@code index} of {@code in} through TwelveMonkeys, all of it or the rows of {@code region}.
     * Tiles are decoded whole: TwelveMonkeys 3.14 misplaces the rows of a source region on tiled
     * pages and subsamples each tile from its own origin, so regions and subsampling are done here.
     */
    private static BufferedImage decode(ChannelImageStream in, int index, Rectangle region) throws IOException {
        ImageReader reader = TIFF_SPI.createReaderInstance(null);
        try {
            reader.setInput(in, true, true);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(region);
            return reader.read(index, param);
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
        cache.clear();
        ch.close();
    }
}
