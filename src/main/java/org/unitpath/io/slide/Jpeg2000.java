package org.unitpath.io.slide;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReader;
import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG 2000 codestreams (Aperio SVS tiles, DICOM frames) with jai-imageio's JPEG 2000
 * reader. Aperio's compression 33003 stores Y, Cb and Cr as plain components (no colour
 * transform in the codestream), so they are turned into RGB here with the same integer
 * arithmetic as libjpeg and OpenSlide.
 */
final class Jpeg2000 {
    private static final J2KImageReaderSpi SPI = new J2KImageReaderSpi();
    private static final ConcurrentLinkedQueue<ImageReader> IDLE = new ConcurrentLinkedQueue<>();
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int x = i - 128;
            CR_R[i] = (91881 * x + (1 << 15)) >> 16; // libjpeg's FIX(1.40200)
            CB_B[i] = (116130 * x + (1 << 15)) >> 16; // FIX(1.77200)
            CR_G[i] = -46802 * x; // FIX(0.71414)
            CB_G[i] = -22554 * x + (1 << 15); // FIX(0.34414), with the rounding half
        }
    }

    private Jpeg2000() {}

    /** Decodes one codestream; with {@code ycbcr} the three components are converted to RGB. */
    static BufferedImage decode(byte[] codestream, boolean ycbcr) throws IOException {
        ImageReader reader = IDLE.poll();
        if (reader == null) {
            reader = new J2KImageReader(SPI);
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(codestream))) {
            reader.setInput(in, true, true);
            BufferedImage img = reader.read(0, null);
            if (ycbcr) {
                toRgb(img.getRaster());
            }
            return img;
        } finally {
            IDLE.add(reader); // its setInput(null) fails: the next decode replaces the input
        }
    }

    private static void toRgb(WritableRaster raster) throws IOException {
        if (raster.getNumBands() < 3) {
            throw new IOException("a YCbCr JPEG 2000 codestream with " + raster.getNumBands() + " components");
        }
        int w = raster.getWidth();
        int[] px = new int[3 * w];
        int[] rgb = new int[3 * w];
        for (int y = 0; y < raster.getHeight(); y++) {
            for (int c = 0; c < 3; c++) {
                raster.getSamples(0, y, w, 1, c, px);
                for (int x = 0; x < w; x++) {
                    rgb[3 * x + c] = px[x];
                }
            }
            for (int x = 0; x < w; x++) {
                int luma = rgb[3 * x];
                int cb = clamp(rgb[3 * x + 1]);
                int cr = clamp(rgb[3 * x + 2]);
                rgb[3 * x] = clamp(luma + CR_R[cr]);
                rgb[3 * x + 1] = clamp(luma + ((CB_G[cb] + CR_G[cr]) >> 16));
                rgb[3 * x + 2] = clamp(luma + CB_B[cb]);
            }
            raster.setPixels(0, y, w, 1, pick(rgb, raster.getNumBands(), w, px));
        }
    }

    /** Writes the RGB triples into a pixel row of {@code bands} samples (extra bands set to opaque). */
    private static int[] pick(int[] rgb, int bands, int w, int[] scratch) {
        if (bands == 3) {
            return rgb;
        }
        int[] row = scratch.length >= bands * w ? scratch : new int[bands * w];
        for (int x = 0; x < w; x++) {
            System.arraycopy(rgb, 3 * x, row, bands * x, 3);
            for (int b = 3; b < bands; b++) {
                row[bands * x + b] = 255;
            }
        }
        return row;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
