package org.unitpath.io.slide;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.unitpath.io.ImageFormatException;

/**
 * Reads the frames of one {@link DicomImage} on demand with positional reads (safe from several
 * threads at once) and decodes them: JPEG baseline with TwelveMonkeys' JPEG reader, JPEG 2000
 * with {@link Jpeg2000}, native pixels here.
 */
final class DicomFrames {
    private static final ImageReaderSpi JPEG_SPI = twelveMonkeysJpeg();

    private final DicomImage image;
    private final FileChannel ch;
    /** For encapsulated pixel data: frame i is fragments [firstFragment[i], firstFragment[i + 1]). */
    private final int[] firstFragment;

    DicomFrames(DicomImage image, FileChannel ch) throws IOException {
        this.image = image;
        this.ch = ch;
        DicomFile.PixelData p = image.source().pixels();
        if (p.encapsulated()) {
            firstFragment = group(image, ch);
        } else {
            firstFragment = null;
            long needed = (long) image.frames() * frameBytes(image);
            if (p.length() < needed) {
                throw new ImageFormatException(image.file(), "pixel data hold " + p.length() + " bytes; " + image.frames()
                        + " frames of " + image.frameWidth() + "x" + image.frameHeight() + " need " + needed);
            }
        }
    }

    private static int frameBytes(DicomImage image) {
        return image.frameWidth() * image.frameHeight() * image.samples();
    }

    /**
     * Which fragments make up each frame: one each when the counts agree (the norm for slides), else
     * as the Basic Offset Table says, else by where a JPEG or JPEG 2000 stream starts.
     */
    private static int[] group(DicomImage image, FileChannel ch) throws IOException {
        DicomFile.PixelData p = image.source().pixels();
        int frames = image.frames();
        int n = p.fragmentOffsets().length;
        int[] first = new int[frames + 1];
        first[frames] = n;
        if (n == frames) {
            Arrays.setAll(first, i -> i);
            return first;
        }
        if (n < frames) {
            throw new ImageFormatException(image.file(), "pixel data hold " + n + " fragments for " + frames + " frames");
        }
        if (frames == 1) {
            return first;
        }
        long[] table = p.offsetTable();
        if (table.length == frames) {
            // offsets count from the first fragment's item header, 8 bytes before its data
            long base = p.fragmentOffsets()[0] - 8;
            for (int f = 0; f < frames; f++) {
                long target = base + table[f] + 8;
                int k = Arrays.binarySearch(p.fragmentOffsets(), target);
                if (k < 0 || (f > 0 && k <= first[f - 1])) {
                    throw new ImageFormatException(image.file(), "the Basic Offset Table entry of frame " + (f + 1) + " (" + table[f]
                            + ") does not point at a fragment");
                }
                first[f] = k;
            }
            return first;
        }
        int f = 0;
        for (int k = 0; k < n && f <= frames; k++) {
            byte[] head = new byte[8];
            DicomFile.readFully(ch, ByteBuffer.wrap(head, 0, Math.min(8, p.fragmentLengths()[k])), p.fragmentOffsets()[k]);
            if (startsCodestream(head)) {
                if (f < frames) {
                    first[f] = k;
                }
                f++;
            }
        }
        if (f != frames || first[0] != 0) {
            throw new ImageFormatException(image.file(), "cannot tell which of the " + n + " pixel data fragments belong to which of "
                    + frames + " frames (no Basic Offset Table, " + f + " fragments start a JPEG or JPEG 2000 stream)");
        }
        return first;
    }

    /** A JPEG SOI, a JPEG 2000 codestream's SOC + SIZ, or a JP2 signature box. */
    private static boolean startsCodestream(byte[] b) {
        boolean jpeg = (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
        boolean j2k = (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0x4F && (b[2] & 0xff) == 0xFF && (b[3] & 0xff) == 0x51;
        boolean jp2 = b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 12 && b[4] == 'j' && b[5] == 'P';
        return jpeg || j2k || jp2;
    }

    /** Decodes frame {@code index} (0-based); a frame that fails is "damaged data in frame N" (1-based, as DICOM counts). */
    BufferedImage decode(int index) throws IOException {
        BufferedImage img;
        try {
            byte[] data = bytes(index);
            img = switch (image.source().transferSyntax()) {
                case DicomFile.JPEG_BASELINE -> jpeg(data);
                case DicomFile.JPEG2000, DicomFile.JPEG2000_LOSSLESS -> Jpeg2000.decode(data, image.photometric().startsWith("YBR_FULL"));
                default -> raw(data);
            };
        } catch (ImageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(image.file(), "damaged data in frame " + (index + 1) + " (" + e.getMessage() + ")", e);
        }
        if (img == null || img.getWidth() != image.frameWidth() || img.getHeight() != image.frameHeight()) {
            throw new ImageFormatException(image.file(), "damaged data in frame " + (index + 1) + ": it decodes to "
                    + (img == null ? "nothing" : img.getWidth() + "x" + img.getHeight()) + ", frames are " + image.frameWidth() + "x"
                    + image.frameHeight());
        }
        return img;
    }

    /** The stored bytes of frame {@code index}: its fragments joined, or its slice of the native pixel data. */
    private byte[] bytes(int index) throws IOException {
        DicomFile.PixelData p = image.source().pixels();
        if (firstFragment == null) {
            int size = frameBytes(image);
            byte[] out = new byte[size];
            DicomFile.readFully(ch, ByteBuffer.wrap(out), p.offset() + (long) index * size);
            return out;
        }
        long total = 0;
        for (int k = firstFragment[index]; k < firstFragment[index + 1]; k++) {
            total += p.fragmentLengths()[k];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new ImageFormatException(image.file(), "frame " + (index + 1) + " has " + total + " bytes");
        }
        byte[] out = new byte[(int) total];
        int at = 0;
        for (int k = firstFragment[index]; k < firstFragment[index + 1]; k++) {
            DicomFile.readFully(ch, ByteBuffer.wrap(out, at, p.fragmentLengths()[k]), p.fragmentOffsets()[k]);
            at += p.fragmentLengths()[k];
        }
        return out;
    }

    private BufferedImage jpeg(byte[] data) throws IOException {
        ImageReader reader = JPEG_SPI.createReaderInstance(null);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(withColourMarker(data)))) {
            reader.setInput(in, true, true);
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    /**
     * A stream without JFIF or Adobe marker leaves its colours to the decoder's guess; DICOM says them
     * (RGB: components stored as is, YBR_*: YCbCr), so an Adobe marker saying the same is put in front.
     */
    private byte[] withColourMarker(byte[] jpeg) {
        if (image.samples() != 3 || jpeg.length < 4 || JpegMarkers.colour(jpeg) != JpegMarkers.Colour.UNSAID) {
            return jpeg;
        }
        byte transform = (byte) (image.photometric().equals("RGB") ? 0 : 1);
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, transform};
        byte[] out = new byte[jpeg.length + adobe.length];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        System.arraycopy(adobe, 0, out, 2, adobe.length);
        System.arraycopy(jpeg, 2, out, 2 + adobe.length, jpeg.length - 2);
        return out;
    }

    /** Native pixels: interleaved or planar RGB, YBR_FULL turned into RGB, or 8-bit greyscale. */
    private BufferedImage raw(byte[] data) {
        int w = image.frameWidth();
        int h = image.frameHeight();
        if (image.samples() == 1) {
            ColorSpace grey = ColorSpace.getInstance(ColorSpace.CS_GRAY);
            WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(data, data.length), w, h, w, 1, new int[] {0}, null);
            return new BufferedImage(new ComponentColorModel(grey, false, false, ComponentColorModel.OPAQUE, DataBuffer.TYPE_BYTE),
                    raster, false, null);
        }
        byte[] rgb = data;
        if (image.planar()) {
            rgb = new byte[data.length];
            int plane = w * h;
            for (int i = 0; i < plane; i++) {
                rgb[3 * i] = data[i];
                rgb[3 * i + 1] = data[plane + i];
                rgb[3 * i + 2] = data[2 * plane + i];
            }
        }
        if (image.photometric().equals("YBR_FULL")) {
            rgb = rgb == data ? rgb.clone() : rgb;
            ybrFullToRgb(rgb);
        }
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(rgb, rgb.length), w, h, 3 * w, 3,
                new int[] {0, 1, 2}, null);
        ColorSpace srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB);
        return new BufferedImage(new ComponentColorModel(srgb, false, false, ComponentColorModel.OPAQUE, DataBuffer.TYPE_BYTE),
                raster, false, null);
    }

    /** PS3.3 C.7.6.3.1.2: full-range YCbCr to RGB, rounded to the nearest integer and clamped. */
    private static void ybrFullToRgb(byte[] px) {
        for (int i = 0; i < px.length; i += 3) {
            double y = px[i] & 0xff;
            double cb = (px[i + 1] & 0xff) - 128;
            double cr = (px[i + 2] & 0xff) - 128;
            px[i] = clamp(y + 1.402 * cr);
            px[i + 1] = clamp(y - 0.114 * 1.772 / 0.587 * cb - 0.299 * 1.402 / 0.587 * cr);
            px[i + 2] = clamp(y + 1.772 * cb);
        }
    }

    private static byte clamp(double v) {
        return (byte) Math.max(0, Math.min(255, (int) Math.floor(v + 0.5)));
    }

    /** TwelveMonkeys' JPEG reader, which ImageIO registers ahead of the JDK's. */
    private static ImageReaderSpi twelveMonkeysJpeg() {
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.twelvemonkeys")) {
                return r.getOriginatingProvider();
            }
        }
        throw new IllegalStateException("TwelveMonkeys' JPEG reader is not on the classpath");
    }
}
