package org.unitpath.io;

import java.awt.Rectangle;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG-compressed TIFF tiles (compression 7, with or without shared JPEGTables). Samples
 * are taken raw from the JPEG decoder and converted from YCbCr when the stream says so (a JFIF or
 * Adobe marker) or, without such a marker, when the TIFF's photometric interpretation does.
 */
final class JpegTiles implements AutoCloseable {
    private final Path file;
    private final ConcurrentLinkedQueue<ImageReader> idle = new ConcurrentLinkedQueue<>();

    JpegTiles(Path file) {
        this.file = file;
    }

    void decode(FileChannel ch, TiffPage p, int index, int left, int top, int sx0, int sy0, int sx1, int sy1,
                SampledRegion r) throws IOException {
        byte[] data = read(ch, p.offsets()[index], p.byteCounts()[index]);
        if (p.jpegTables() != null) {
            data = splice(p.jpegTables(), data);
        }
        ImageReader reader = idle.poll();
        if (reader == null) {
            reader = newReader();
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(in, true, true);
            int x0 = sx0 - left;
            int y0 = sy0 - top;
            int x1 = Math.min(sx1 - left, reader.getWidth(0));
            int y1 = Math.min(sy1 - top, reader.getHeight(0));
            if (x0 >= x1 || y0 >= y1) {
                return;
            }
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceRegion(new Rectangle(x0, y0, x1 - x0, y1 - y0));
            param.setSourceSubsampling(r.step, r.step, 0, 0);
            Raster raster = reader.readRaster(0, param);
            copy(raster, isYCbCr(data, p.photometric() == Tiff.PHOTOMETRIC_YCBCR), sx0, sy0, r);
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "damaged JPEG data in tile " + index + " of page " + p.index() + " ("
                    + e.getMessage() + ")", e);
        } finally {
            reader.setInput(null);
            idle.add(reader);
        }
    }

    private static void copy(Raster raster, boolean ycbcr, int sx0, int sy0, SampledRegion r) {
        int w = raster.getWidth();
        int bands = raster.getNumBands();
        if (bands < 3) {
            throw new IllegalStateException("JPEG tile has " + bands + " channel(s), RGB expected");
        }
        int[] px = new int[w * bands];
        for (int j = 0; j < raster.getHeight(); j++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + j, w, 1, px);
            int o = r.offset(sx0, sy0 + j * r.step);
            for (int i = 0; i < w; i++, o += 3) {
                int a = px[i * bands];
                int b = px[i * bands + 1];
                int c = px[i * bands + 2];
                if (ycbcr) {
                    double cb = b - 128.0;
                    double cr = c - 128.0;
                    r.rgb[o] = clamp(a + 1.402 * cr);
                    r.rgb[o + 1] = clamp(a - 0.344136 * cb - 0.714136 * cr);
                    r.rgb[o + 2] = clamp(a + 1.772 * cb);
                } else {
                    r.rgb[o] = (byte) a;
                    r.rgb[o + 1] = (byte) b;
                    r.rgb[o + 2] = (byte) c;
                }
            }
        }
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
    }

    /**
     * Whether the stream's samples are YCbCr: JFIF streams always are, an Adobe APP14 marker says
     * through its transform flag; TIFF writers that wrap ordinary JPEG files may contradict the tag.
     */
    static boolean isYCbCr(byte[] jpeg, boolean photometricSays) {
        int i = 2;
        while (i + 4 <= jpeg.length && (jpeg[i] & 0xff) == 0xFF) {
            int marker = jpeg[i + 1] & 0xff;
            int length = (jpeg[i + 2] & 0xff) << 8 | jpeg[i + 3] & 0xff;
            if (marker == 0xDA || length < 2) {
                break;
            }
            if (marker == 0xE0 && length >= 7 && i + 9 <= jpeg.length && jpeg[i + 4] == 'J' && jpeg[i + 5] == 'F'
                    && jpeg[i + 6] == 'I' && jpeg[i + 7] == 'F' && jpeg[i + 8] == 0) {
                return true;
            }
            if (marker == 0xEE && length >= 14 && i + 15 <= jpeg.length && jpeg[i + 4] == 'A' && jpeg[i + 5] == 'd'
                    && jpeg[i + 6] == 'o' && jpeg[i + 7] == 'b' && jpeg[i + 8] == 'e') {
                return jpeg[i + 15] == 1;
            }
            i += 2 + length;
        }
        return photometricSays;
    }

    /** Shared tables (SOI, DQT, DHT, EOI) followed by the tile's abbreviated stream minus its SOI. */
    static byte[] splice(byte[] tables, byte[] tile) {
        int n = tables.length;
        boolean ok = n >= 4 && tables[n - 2] == (byte) 0xFF && tables[n - 1] == (byte) 0xD9
                && tile.length >= 2 && tile[0] == (byte) 0xFF && tile[1] == (byte) 0xD8;
        if (!ok) {
            return tile;
        }
        byte[] out = new byte[n - 2 + tile.length - 2];
        System.arraycopy(tables, 0, out, 0, n - 2);
        System.arraycopy(tile, 2, out, n - 2, tile.length - 2);
        return out;
    }

    private static byte[] read(FileChannel ch, long offset, long count) throws IOException {
        if (count > Integer.MAX_VALUE - 16) {
            throw new IOException("JPEG tile of " + count + " bytes is too large");
        }
        ByteBuffer b = ByteBuffer.allocate((int) count);
        while (b.hasRemaining()) {
            if (ch.read(b, offset + b.position()) < 0) {
                throw new java.io.EOFException();
            }
        }
        return b.array();
    }

    /** The JDK's own JPEG reader when present: its raw rasters are the stored samples, untouched. */
    private static ImageReader newReader() {
        ImageReader any = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.imageio.plugins.jpeg")) {
                return r;
            }
            any = any == null ? r : any;
        }
        if (any == null) {
            throw new IllegalStateException("no ImageIO JPEG reader available");
        }
        return any;
    }

    @Override
    public void close() {
        for (ImageReader r = idle.poll(); r != null; r = idle.poll()) {
            r.dispose();
        }
    }
}
