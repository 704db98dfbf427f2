package org.unitpath.io.slide;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.RgbImage;
import org.unitpath.io.ImageFormatException;

/**
 * A PNG or JPEG file as a one-level {@link Slide}, read through ImageIO source regions. These
 * formats can only be decoded from the top, so full-resolution reads go through a {@link RowBand}.
 */
final class ImageIoSlide implements Slide {
    private final Path file;
    private final ImageInputStream in;
    private final ImageReader reader;
    private final int width;
    private final int height;
    private final OptionalDouble mpp;
    private static final Logger LOG = LoggerFactory.getLogger(ImageIoSlide.class);

    private final RowBand band = new RowBand((level, y0, y1) -> rows(y0, y1));

    private ImageIoSlide(Path file, ImageInputStream in, ImageReader reader) throws IOException {
        this.file = file;
        this.in = in;
        this.reader = reader;
        this.width = reader.getWidth(0);
        this.height = reader.getHeight(0);
        this.mpp = pngMpp(file);
    }

    static ImageIoSlide open(Path file) throws IOException {
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) {
            throw new ImageFormatException(file, "cannot open the file");
        }
        ImageReader reader = null;
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFormatException(file, "not a readable image (TIFF, SVS, PNG or JPEG expected)");
            }
            reader = readers.next();
            reader.setInput(in, false, true);
            ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type != null && !Pixels.brightfield(type.getColorModel())) {
                int bands = type.getColorModel().getNumColorComponents();
                throw new ImageFormatException(file, "has " + bands + " colour channels, a brightfield RGB or greyscale image is"
                        + " expected");
            }
            if (type != null) {
                note(file, type.getColorModel());
            }
            return new ImageIoSlide(file, in, reader);
        } catch (IOException | RuntimeException e) {
            if (reader != null) {
                reader.dispose();
            }
            in.close();
            throw e instanceof ImageFormatException ife ? ife : damaged(file, e);
        }
    }

    private static void note(Path file, java.awt.image.ColorModel cm) {
        if (!(cm instanceof IndexColorModel) && cm.getNumColorComponents() == 1) {
            LOG.info("{}: greyscale image, read as RGB with R = G = B", file);
        }
        if (!(cm instanceof IndexColorModel) && cm.getComponentSize(0) > 8) {
            LOG.info("{}: {}-bit samples, scaled to 8 bits", file, cm.getComponentSize(0));
        }
    }

    /** PNG pHYs in pixels per metre (it precedes the image data); JPEG's JFIF density is a print setting. */
    private static OptionalDouble pngMpp(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            in.skipNBytes(8);
            while (true) {
                int length = in.readInt();
                int type = in.readInt();
                if (type == 0x70485973 && length == 9) { // "pHYs"
                    long ppmX = in.readInt() & 0xffffffffL;
                    in.readInt();
                    boolean metre = in.readByte() == 1;
                    return metre && ppmX > 0 ? Slides.plausibleMpp(1e6 / ppmX) : OptionalDouble.empty();
                }
                if (type == 0x49444154 || type == 0x49454E44 || length < 0) { // "IDAT", "IEND"
                    return OptionalDouble.empty();
                }
                in.skipNBytes(length + 4L);
            }
        } catch (EOFException e) {
            return OptionalDouble.empty();
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public int levels() {
        return 1;
    }

    @Override
    public int width(int level) {
        checkLevel(level);
        return width;
    }

    @Override
    public int height(int level) {
        checkLevel(level);
        return height;
    }

    @Override
    public double downsample(int level) {
        checkLevel(level);
        return 1;
    }

    @Override
    public OptionalDouble mpp() {
        return mpp;
    }

    @Override
    public synchronized RgbImage read(int level, int x, int y, int w, int h, int step) throws IOException {
        checkLevel(level);
        SampledRegion r = new SampledRegion(x, y, w, h, step);
        int x0 = Math.max(x, 0);
        int y0 = Math.max(y, 0);
        int x1 = (int) Math.min((long) x + w, width);
        int y1 = (int) Math.min((long) y + h, height);
        if (x0 >= x1 || y0 >= y1) {
            return r.image();
        }
        if (band.read(level, width, x0, y0, x1, y1, r)) {
            return r.image();
        }
        int sx0 = r.firstSample(x0, x);
        int sy0 = r.firstSample(y0, y);
        if (sx0 >= x1 || sy0 >= y1) {
            return r.image();
        }
        Pixels.copy(decodeRaw(new Rectangle(sx0, sy0, x1 - sx0, y1 - sy0), step), sx0, sy0, step, r);
        return r.image();
    }

    /** Full-width rows [y0, y1), for the row band. */
    private RgbImage rows(int y0, int y1) throws IOException {
        SampledRegion r = new SampledRegion(0, y0, width, y1 - y0, 1);
        Pixels.copy(decodeRaw(new Rectangle(0, y0, width, y1 - y0), 1), 0, y0, 1, r);
        return r.image();
    }

    private BufferedImage decodeRaw(Rectangle region, int step) throws IOException {
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(region);
        param.setSourceSubsampling(step, step, 0, 0);
        try {
            return reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw damaged(file, e);
        }
    }

    private static ImageFormatException damaged(Path file, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof IndexOutOfBoundsException) {
                return new ImageFormatException(file, "truncated image data", e);
            }
        }
        return new ImageFormatException(file, "damaged image (" + e.getMessage() + ")", e);
    }

    private void checkLevel(int level) {
        if (level != 0) {
            throw new IndexOutOfBoundsException("level " + level + " of a one-level image");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        band.clear();
        reader.dispose();
        in.close();
    }
}
