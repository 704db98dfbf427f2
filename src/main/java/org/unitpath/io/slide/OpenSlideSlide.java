package org.unitpath.io.slide;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.RgbImage;

/**
 * A slide read by the OpenSlide C library ({@link OpenSlideLibrary}): the backend for Hamamatsu,
 * MIRAX, Leica, Ventana, Philips and Sakura files, and for any file when the caller asks for
 * OpenSlide's decoding. One OpenSlide handle serves all threads (OpenSlide locks internally); a
 * read/write lock keeps {@link #close()} from freeing it under a running read.
 */
final class OpenSlideSlide implements Slide {
    /** Extensions of formats only OpenSlide reads, with the format's name for error messages. */
    private static final Map<String, String> FORMATS = Map.of(
            "ndpi", "Hamamatsu NDPI", "vms", "Hamamatsu VMS", "vmu", "Hamamatsu VMU", "mrxs", "MIRAX",
            "scn", "Leica SCN", "bif", "Ventana BIF", "svslide", "Sakura SVSlide");
    /**
     * OpenSlide vendors whose .tif/.tiff files the built-in reader would misread: Philips keeps its
     * pyramid in XML and leaves tiles out, Ventana's tiles overlap, Leica stores several images.
     */
    /** Pixels per OpenSlide call: a 1024x1024 block is 4 MB of ARGB, and a few tiles wide so each tile is decoded about once. */
    private static final int BLOCK = 1024;

    private final Path file;
    private final OpenSlideLibrary.Api api;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private Pointer handle;
    private final long[][] sizes;
    private final double[] downsamples;
    private final OptionalDouble mpp;

    private OpenSlideSlide(Path file, OpenSlideLibrary.Api api, Pointer handle) throws ImageFormatException {
        this.file = file;
        this.api = api;
        this.handle = handle;
        int n = api.openslide_get_level_count(handle);
        if (n < 1) {
            throw error("OpenSlide reports no pyramid levels");
        }
        sizes = new long[n][];
        downsamples = new double[n];
        LongByReference w = new LongByReference();
        LongByReference h = new LongByReference();
        for (int level = 0; level < n; level++) {
            api.openslide_get_level_dimensions(handle, level, w, h);
            if (w.getValue() <= 0 || h.getValue() <= 0 || w.getValue() > Integer.MAX_VALUE || h.getValue() > Integer.MAX_VALUE) {
                throw error("level " + level + " is " + w.getValue() + "x" + h.getValue() + " pixels");
            }
            sizes[level] = new long[] {w.getValue(), h.getValue()};
            downsamples[level] = api.openslide_get_level_downsample(handle, level);
        }
        mpp = parseMpp(api.openslide_get_property_value(handle, "openslide.mpp-x"));
    }

    /**
     * The format name when {@code file} should be read by OpenSlide under the automatic choice:
     * its extension is one only OpenSlide reads, or it is a .tif/.tiff whose vendor OpenSlide
     * (when installed) detects as one the built-in TIFF reader does not handle. Null otherwise.
     */
    static String claims(Path file) {
        String ext = extension(file);
        if (FORMATS.containsKey(ext)) {
            return FORMATS.get(ext);
        }
        return null;
    }

    /** Opens {@code file} with OpenSlide; {@code format} (may be null) names it in the error when OpenSlide is missing. */
    static OpenSlideSlide open(Path file, String format) throws IOException {
        OpenSlideLibrary.Api api = OpenSlideLibrary.api();
        if (api == null) {
            String what = format != null ? "is a " + format + " slide; reading it"
                    : "reading it with the OpenSlide backend (as asked)";
            throw new ImageFormatException(file, what + " needs OpenSlide: install it (Debian/Ubuntu: "
                    + OpenSlideLibrary.INSTALL_HINT + ")");
        }
        Pointer handle = api.openslide_open(file.toString());
        if (handle == null) {
            throw new ImageFormatException(file, format != null
                    ? "is named like a " + format + " slide, but OpenSlide does not recognise it"
                    : "not a slide format OpenSlide recognises");
        }
        try {
            String problem = api.openslide_get_error(handle);
            if (problem != null) {
                throw new ImageFormatException(file, "OpenSlide cannot open it: " + problem);
            }
            return new OpenSlideSlide(file, api, handle);
        } catch (IOException | RuntimeException e) {
            api.openslide_close(handle);
            throw e;
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static OptionalDouble parseMpp(String value) {
        if (value == null) {
            return OptionalDouble.empty();
        }
        try {
            return Slides.plausibleMpp(Double.parseDouble(value.trim()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public int levels() {
        return sizes.length;
    }

    @Override
    public int width(int level) {
        return (int) sizes[level][0];
    }

    @Override
    public int height(int level) {
        return (int) sizes[level][1];
    }

    @Override
    public double downsample(int level) {
        return downsamples[level];
    }

    @Override
    public OptionalDouble mpp() {
        return mpp;
    }

    /**
     * Reads the part of the rectangle inside the level block by block, each block a full-resolution
     * OpenSlide read of which every step-th row and column is kept, so memory stays at one block
     * however large the rectangle or the step. Outside the level the region stays white.
     */
    @Override
    public RgbImage read(int level, int x, int y, int w, int h, int step) throws IOException {
        SampledRegion r = new SampledRegion(x, y, w, h, step);
        long x1 = Math.min((long) x + w, sizes[level][0]);
        long y1 = Math.min((long) y + h, sizes[level][1]);
        int x0 = r.firstSample(Math.max(x, 0), x);
        int y0 = r.firstSample(Math.max(y, 0), y);
        if (x0 >= x1 || y0 >= y1) {
            return r.image();
        }
        // a block side that is a multiple of step keeps the sample grid aligned from block to block
        int side = Math.max(step, BLOCK / step * step);
        int bw = span(x0, x1, side, step);
        int bh = span(y0, y1, side, step);
        int[] row = new int[bw];
        lock.readLock().lock();
        try (Memory block = new Memory(4L * bw * bh)) {
            if (handle == null) {
                throw new IOException(file + ": slide is closed");
            }
            for (long by = y0; by < y1; by += side) {
                for (long bx = x0; bx < x1; bx += side) {
                    int cw = span(bx, x1, side, step);
                    int ch = span(by, y1, side, step);
                    readBlock(level, (int) bx, (int) by, cw, ch, block);
                    for (int j = 0; j < ch; j += step) {
                        block.read(4L * j * cw, row, 0, cw);
                        toRgb(row, cw, step, r.rgb, r.offset((int) bx, (int) by + j));
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return r.image();
    }

    /**
     * Pixels to read from {@code from} (a sample) towards {@code end}, at most {@code side}: up to
     * the last sample, so that a step wider than a block reads single pixels, not whole blocks.
     */
    private static int span(long from, long end, int side, int step) {
        long n = Math.min(side, end - from);
        return (int) ((n - 1) / step * step + 1);
    }

    /**
     * One OpenSlide read of (x, y, w, h) in {@code level}'s pixels. OpenSlide wants the top-left
     * corner in level-0 pixels; the nearest one is exact when x * downsample is an integer. Else
     * (pyramids of odd sizes have downsamples like 2.0005) OpenSlide places the block up to half a
     * level-0 pixel off and interpolates, as it does for any caller, e.g. its Deep Zoom tiles.
     */
    private void readBlock(int level, int x, int y, int w, int h, Memory dest) throws ImageFormatException {
        long x0 = Math.round(x * downsamples[level]);
        long y0 = Math.round(y * downsamples[level]);
        api.openslide_read_region(handle, dest, x0, y0, level, w, h);
        String problem = api.openslide_get_error(handle);
        if (problem != null) {
            throw new ImageFormatException(file, "OpenSlide cannot read level " + level + " at (" + x + ", " + y + "): " + problem);
        }
    }

    /**
     * Converts every step-th pixel of one row of premultiplied ARGB to RGB at {@code out[offset...]}.
     * Colours are un-premultiplied as openslide-python does (truncating), so reads match its
     * output; fully transparent pixels lie outside the scanned area and become white.
     */
    static void toRgb(int[] argb, int n, int step, byte[] out, int offset) {
        int o = offset;
        for (int i = 0; i < n; i += step, o += 3) {
            int p = argb[i];
            int a = p >>> 24;
            int red = p >>> 16 & 0xff;
            int green = p >>> 8 & 0xff;
            int blue = p & 0xff;
            if (a == 0) {
                red = green = blue = 255;
            } else if (a != 255) {
                red = Math.min(255, 255 * red / a);
                green = Math.min(255, 255 * green / a);
                blue = Math.min(255, 255 * blue / a);
            }
            out[o] = (byte) red;
            out[o + 1] = (byte) green;
            out[o + 2] = (byte) blue;
        }
    }

    private ImageFormatException error(String problem) {
        return new ImageFormatException(file, problem);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (handle != null) {
                api.openslide_close(handle);
                handle = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
