package org.unitpath.io;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/** Reads PNG, JPEG and TIFF files into {@link RgbImage}s, with errors that name the file and the problem. */
public final class ImageFiles {
    static {
        ImageIO.setUseCache(false);
        preferTwelveMonkeysTiff();
    }

    /** jai-imageio (there for JPEG 2000) registers a TIFF reader too: TwelveMonkeys' decodes more, so it goes first. */
    private static void preferTwelveMonkeysTiff() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        ImageReaderSpi preferred = registry.getServiceProviderByClass(TIFFImageReaderSpi.class);
        if (preferred == null) {
            return;
        }
        for (Iterator<ImageReaderSpi> it = registry.getServiceProviders(ImageReaderSpi.class, true); it.hasNext(); ) {
            ImageReaderSpi other = it.next();
            if (other != preferred && java.util.Arrays.asList(other.getFormatNames()).contains("tiff")) {
                registry.setOrdering(ImageReaderSpi.class, preferred, other);
            }
        }
    }

    private ImageFiles() {}

    /**
     * Reads an RGB image; an alpha channel is dropped and palette images are expanded, but a
     * grey or grey+alpha image is rejected (the pipeline needs colour).
     */
    public static RgbImage read(Path file) throws IOException {
        BufferedImage img = decode(file);
        int bands = img.getColorModel() instanceof IndexColorModel ? 3 : img.getColorModel().getNumColorComponents();
        if (bands != 3) {
            throw new ImageFormatException(file, "has " + bands + " colour channel" + (bands == 1 ? "" : "s")
                    + ", an RGB image is expected");
        }
        return toRgb(img);
    }

    static BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new ImageFormatException(file, "not a readable image (PNG, JPEG or TIFF expected)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (ImageFormatException e) {
            throw e;
        } catch (EOFException | IndexOutOfBoundsException e) {
            throw new ImageFormatException(file, "truncated image data", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageFormatException(file, "damaged image (" + e.getMessage() + ")", e);
        }
    }

    /** Converts any BufferedImage to interleaved RGB bytes (fast path for 3-byte BGR). */
    public static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] rgb = new byte[3 * w * h];
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && img.getRaster().getDataBuffer() instanceof DataBufferByte db
                && db.getData().length == rgb.length) {
            byte[] bgr = db.getData();
            for (int i = 0; i < rgb.length; i += 3) {
                rgb[i] = bgr[i + 2];
                rgb[i + 1] = bgr[i + 1];
                rgb[i + 2] = bgr[i];
            }
            return new RgbImage(w, h, rgb);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0, o = 3 * y * w; x < w; x++, o += 3) {
                int p = row[x];
                rgb[o] = (byte) (p >> 16);
                rgb[o + 1] = (byte) (p >> 8);
                rgb[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
