package org.unitpath.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.io.TiledTiffWriter.Page;
import org.unitpath.io.TiledTiffWriter.PixelType;

/** Turns tiles into TIFF tile payloads (raw, zlib or JPEG) and pages into IFDs for {@link TiledTiffWriter}. */
final class TileEncoder implements AutoCloseable {
    private final Options options;
    private final int ts;
    private final Deflater deflater = new Deflater(6);
    private ImageWriter jpeg;

    TileEncoder(Options options) {
        this.options = options;
        this.ts = options.tileSize();
    }

    /** Interleaved RGB of a full tile, the part outside {@code w x h} white. */
    byte[] padRgb(RgbImage tile, int w, int h) {
        if (w == ts && h == ts) {
            return tile.rgb();
        }
        byte[] out = new byte[3 * ts * ts];
        Arrays.fill(out, (byte) 255);
        for (int y = 0; y < h; y++) {
            System.arraycopy(tile.rgb(), 3 * y * w, out, 3 * y * ts, 3 * w);
        }
        return out;
    }

    /** Little-endian uint32 samples of a full tile, the part outside {@code w x h} zero. */
    byte[] padInts(int[] values, int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(4 * ts * ts).order(ByteOrder.LITTLE_ENDIAN);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                b.putInt(4 * (y * ts + x), values[y * w + x]);
            }
        }
        return b.array();
    }

    /** The fill of tiles never written: white RGB, or label 0. */
    byte[] blank() {
        if (options.pixelType() == PixelType.UINT32) {
            return new byte[4 * ts * ts];
        }
        byte[] white = new byte[3 * ts * ts];
        Arrays.fill(white, (byte) 255);
        return white;
    }

    byte[] encode(byte[] raw) throws IOException {
        return switch (options.compression()) {
            case NONE -> raw;
            case DEFLATE -> deflate(raw);
            case JPEG -> jpeg(raw);
        };
    }

    private byte[] deflate(byte[] raw) {
        deflater.reset();
        deflater.setInput(raw);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 4 + 64);
        byte[] buf = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        return out.toByteArray();
    }

    private byte[] jpeg(byte[] rgb) throws IOException {
        BufferedImage img = new BufferedImage(ts, ts, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < bgr.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        if (jpeg == null) {
            jpeg = jdkJpegWriter();
        }
        ImageWriteParam param = jpeg.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(options.jpegQuality());
        ByteArrayOutputStream out = new ByteArrayOutputStream(ts * ts / 2);
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            jpeg.setOutput(ios);
            jpeg.write(null, new IIOImage(img, null, null), param);
        }
        return out.toByteArray();
    }

    /** The JDK's writer: baseline YCbCr with 2x2 chroma subsampling, as the IFD declares. */
    private static ImageWriter jdkJpegWriter() {
        ImageWriter any = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg"); it.hasNext(); ) {
            ImageWriter w = it.next();
            if (w.getClass().getName().startsWith("com.sun.imageio.plugins.jpeg")) {
                return w;
            }
            any = any == null ? w : any;
        }
        if (any == null) {
            throw new IllegalStateException("no ImageIO JPEG writer available");
        }
        return any;
    }

    TiffIfd ifd(Page page, boolean reduced, long[] offsets, long[] counts) {
        boolean rgb = options.pixelType() == PixelType.RGB8;
        boolean jpg = options.compression() == Compression.JPEG;
        TiffIfd ifd = new TiffIfd()
                .longs(Tiff.NEW_SUBFILE_TYPE, reduced ? 1 : 0)
                .longs(Tiff.IMAGE_WIDTH, page.width())
                .longs(Tiff.IMAGE_LENGTH, page.height())
                .shorts(Tiff.BITS_PER_SAMPLE, rgb ? new long[] {8, 8, 8} : new long[] {32})
                .shorts(Tiff.COMPRESSION, switch (options.compression()) {
                    case NONE -> Tiff.COMPRESSION_NONE;
                    case DEFLATE -> Tiff.COMPRESSION_ADOBE_DEFLATE;
                    case JPEG -> Tiff.COMPRESSION_JPEG;
                })
                .shorts(Tiff.PHOTOMETRIC, !rgb ? Tiff.PHOTOMETRIC_MIN_IS_BLACK : jpg ? Tiff.PHOTOMETRIC_YCBCR : Tiff.PHOTOMETRIC_RGB)
                .shorts(Tiff.SAMPLES_PER_PIXEL, rgb ? 3 : 1)
                .shorts(Tiff.PLANAR_CONFIGURATION, 1)
                .ascii(Tiff.SOFTWARE, "unitpath")
                .shorts(Tiff.TILE_WIDTH, ts)
                .shorts(Tiff.TILE_LENGTH, ts)
                .offsets(Tiff.TILE_OFFSETS, offsets)
                .offsets(Tiff.TILE_BYTE_COUNTS, counts)
                .shorts(Tiff.SAMPLE_FORMAT, rgb ? new long[] {1, 1, 1} : new long[] {1});
        if (jpg) {
            ifd.shorts(Tiff.YCBCR_SUBSAMPLING, 2, 2);
        }
        if (!page.description().isEmpty()) {
            ifd.ascii(Tiff.IMAGE_DESCRIPTION, page.description());
        }
        if (page.mpp().isPresent()) {
            long[] r = rational(10_000 / page.mpp().getAsDouble());
            ifd.rational(Tiff.X_RESOLUTION, r[0], r[1]).rational(Tiff.Y_RESOLUTION, r[0], r[1])
                    .shorts(Tiff.RESOLUTION_UNIT, Tiff.RESUNIT_CENTIMETER);
        }
        return ifd;
    }

    /** v as numerator / denominator with the largest power-of-ten denominator (up to 10^6) that fits 32 bits. */
    static long[] rational(double v) {
        long den = 1;
        while (den < 1_000_000 && v * den * 10 < 0x7FFF_FFFFL) {
            den *= 10;
        }
        long num = Math.min(0xFFFF_FFFFL, Math.max(1, Math.round(v * den)));
        return new long[] {num, den};
    }

    @Override
    public void close() {
        deflater.end();
        if (jpeg != null) {
            jpeg.dispose();
            jpeg = null;
        }
    }
}
