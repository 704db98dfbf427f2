package org.unitpath.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A TIFF, BigTIFF or Aperio SVS file as a {@link Slide}. Only the tiles (or strips) under a
 * requested rectangle are read, through positional reads of one shared channel, so reads from
 * several threads run in parallel. (TwelveMonkeys' TIFF reader decodes every tile above a source
 * region, and its 3.12 release fails on regions of tiled non-JPEG pages, hence this reader.)
 */
final class TiffSlide implements Slide {
    private final Path file;
    private final FileChannel ch;
    private final List<TiffPage> levels;
    private final JpegTiles jpeg;
    private final RowBand strips = new RowBand((level, y0, y1) -> decode(level, 0, y0, width(level), y1 - y0, 1));

    private TiffSlide(Path file, FileChannel ch, List<TiffPage> levels) {
        this.file = file;
        this.ch = ch;
        this.levels = levels;
        this.jpeg = new JpegTiles(file);
    }

    static TiffSlide open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            List<Map<Integer, Object>> tags = TiffParser.read(file, ch);
            List<TiffPage> pages = new ArrayList<>();
            for (int i = 0; i < tags.size(); i++) {
                pages.add(TiffPage.of(i, tags.get(i)));
            }
            TiffPage base = pages.get(0);
            String problem = base.unsupported();
            if (problem != null) {
                throw new ImageFormatException(file, problem);
            }
            checkExtent(file, base, ch.size());
            List<TiffPage> levels = new ArrayList<>(List.of(base));
            for (TiffPage p : pages.subList(1, pages.size())) {
                if (isReducedLevel(base, p) && p.unsupported() == null && levels.stream().noneMatch(l -> l.width() == p.width())) {
                    checkExtent(file, p, ch.size());
                    levels.add(p);
                }
            }
            levels.sort(Comparator.comparingInt(TiffPage::width).reversed());
            return new TiffSlide(file, ch, List.copyOf(levels));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Aperio's thumbnail, label and macro pages are untiled or have another aspect ratio. */
    private static boolean isReducedLevel(TiffPage base, TiffPage p) {
        if (!p.tiled() || p.width() >= base.width() || p.width() <= 0 || p.height() <= 0) {
            return false;
        }
        double expectedHeight = (double) base.height() * p.width() / base.width();
        return Math.abs(p.height() - expectedHeight) <= Math.max(1.0, 0.01 * expectedHeight);
    }

    private static void checkExtent(Path file, TiffPage p, long size) throws ImageFormatException {
        int n = p.tilesAcross() * p.tilesDown();
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

    @Override
    public OptionalDouble mpp() {
        return levels.get(0).mpp();
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

    /** Decodes the tiles or strips under the rectangle, each once. */
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
        for (long ty = y0 / p.tileHeight(); ty <= (y1 - 1) / p.tileHeight(); ty++) {
            for (long tx = x0 / p.tileWidth(); tx <= (x1 - 1) / p.tileWidth(); tx++) {
                int left = (int) tx * p.tileWidth();
                int top = (int) ty * p.tileHeight();
                int sx0 = r.firstSample(Math.max(left, x0), x);
                int sy0 = r.firstSample(Math.max(top, y0), y);
                int sx1 = (int) Math.min(left + (long) p.tileWidth(), x1);
                int sy1 = (int) Math.min(top + (long) p.tileHeight(), y1);
                if (sx0 < sx1 && sy0 < sy1) {
                    int index = (int) ty * p.tilesAcross() + (int) tx;
                    try {
                        decodeTile(p, index, left, top, sx0, sy0, sx1, sy1, r);
                    } catch (EOFException e) {
                        throw new ImageFormatException(file, "truncated data in tile " + index + " of page " + p.index(), e);
                    } catch (ImageFormatException e) {
                        throw e;
                    } catch (IOException e) {
                        throw new ImageFormatException(file, "damaged data in tile " + index + " of page " + p.index()
                                + " (" + e.getMessage() + ")", e);
                    }
                }
            }
        }
        return r.image();
    }

    /** Copies the sampled pixels of [sx0, sx1) x [sy0, sy1), which lie in the tile at (left, top), into {@code r}. */
    private void decodeTile(TiffPage p, int index, int left, int top, int sx0, int sy0, int sx1, int sy1, SampledRegion r)
            throws IOException {
        long count = p.byteCounts()[index];
        if (count <= 0) {
            return; // sparse tile: nothing was ever written there
        }
        if (p.compression() == Tiff.COMPRESSION_JPEG) {
            jpeg.decode(ch, p, index, left, top, sx0, sy0, sx1, sy1, r);
            return;
        }
        int spp = p.samples();
        int rowBytes = p.tileWidth() * spp;
        int firstRow = sy0 - top;
        InputStream raw = new ChannelInputStream(ch, p.offsets()[index], count);
        Inflater inflater = null;
        InputStream in;
        int row = 0;
        switch (p.compression()) {
            case Tiff.COMPRESSION_NONE -> {
                raw.skipNBytes((long) firstRow * rowBytes);
                row = firstRow;
                in = raw;
            }
            case Tiff.COMPRESSION_LZW -> in = new LzwInputStream(raw);
            default -> {
                inflater = new Inflater();
                in = new InflaterInputStream(raw, inflater, 1 << 14);
            }
        }
        try {
            byte[] line = new byte[rowBytes];
            for (; top + row < sy1; row++) {
                if (in.readNBytes(line, 0, rowBytes) < rowBytes) {
                    throw new EOFException();
                }
                int sy = top + row;
                if (row < firstRow || (sy - r.y) % r.step != 0) {
                    continue;
                }
                if (p.predictor() == 2) {
                    for (int i = spp; i < rowBytes; i++) {
                        line[i] += line[i - spp];
                    }
                }
                int o = r.offset(sx0, sy);
                for (int sx = sx0; sx < sx1; sx += r.step, o += 3) {
                    int s = (sx - left) * spp;
                    r.rgb[o] = line[s];
                    r.rgb[o + 1] = line[s + 1];
                    r.rgb[o + 2] = line[s + 2];
                }
            }
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    @Override
    public void close() throws IOException {
        strips.clear();
        jpeg.close();
        ch.close();
    }
}
