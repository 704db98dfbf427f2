package org.unitpath.io.slide;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import java.lang.reflect.Array;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TIFF page (IFD, as parsed by TwelveMonkeys) as the slide reader needs it: size, tile or
 * strip grid, where each tile's bytes lie, the codec, the colour layout and Aperio's metadata.
 * Strips are treated as tiles as wide as the image.
 */
record TiffPage(int index, boolean subIfd, Directory ifd, int width, int height, boolean tiled, int tileWidth, int tileHeight,
                long[] offsets, long[] byteCounts, int compression, int photometric, int samples, int bits,
                int sampleFormat, int planar, int subfileType, String description, OptionalDouble mpp) {

    static final int COMPRESSION_OLD_JPEG = 6;
    static final int COMPRESSION_APERIO_J2K_YCBCR = 33003;
    static final int COMPRESSION_APERIO_J2K_RGB = 33005;
    static final int COMPRESSION_J2K = 34712;

    private static final Pattern APERIO_MPP = Pattern.compile("\\bMPP\\s*=\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");
    private static final Pattern APERIO_MAG = Pattern.compile("\\bAppMag\\s*=\\s*([0-9]*\\.?[0-9]+)");

    static TiffPage of(int index, boolean subIfd, Directory ifd) {
        int width = (int) first(ifd, TIFF.TAG_IMAGE_WIDTH, 0);
        int height = (int) first(ifd, TIFF.TAG_IMAGE_HEIGHT, 0);
        boolean tiled = ifd.getEntryById(TIFF.TAG_TILE_WIDTH) != null && ifd.getEntryById(TIFF.TAG_TILE_HEIGTH) != null;
        // some writers keep a tiled page's offsets in the strip tags, as libtiff and TwelveMonkeys accept
        boolean tileTags = ifd.getEntryById(TIFF.TAG_TILE_OFFSETS) != null;
        int tw = tiled ? (int) first(ifd, TIFF.TAG_TILE_WIDTH, 0) : width;
        int th = tiled ? (int) first(ifd, TIFF.TAG_TILE_HEIGTH, 0)
                : (int) Math.min(Math.max(1, first(ifd, TIFF.TAG_ROWS_PER_STRIP, height)), Math.max(1, height));
        String description = text(ifd, TIFF.TAG_IMAGE_DESCRIPTION);
        return new TiffPage(index, subIfd, ifd, width, height, tiled, tw, th,
                longs(ifd, tiled && tileTags ? TIFF.TAG_TILE_OFFSETS : TIFF.TAG_STRIP_OFFSETS),
                longs(ifd, tiled && tileTags ? TIFF.TAG_TILE_BYTE_COUNTS : TIFF.TAG_STRIP_BYTE_COUNTS),
                (int) first(ifd, TIFF.TAG_COMPRESSION, 1),
                (int) first(ifd, TIFF.TAG_PHOTOMETRIC_INTERPRETATION, -1),
                (int) first(ifd, TIFF.TAG_SAMPLES_PER_PIXEL, 1),
                (int) first(ifd, TIFF.TAG_BITS_PER_SAMPLE, 1),
                (int) first(ifd, TIFF.TAG_SAMPLE_FORMAT, 1),
                (int) first(ifd, TIFF.TAG_PLANAR_CONFIGURATION, 1),
                (int) first(ifd, TIFF.TAG_SUBFILE_TYPE, 0),
                description, mpp(ifd, description));
    }

    /** This page with another photometric interpretation for the decoder (see TiffSlide's JPEG colour check). */
    TiffPage withPhotometric(int value) {
        return new TiffPage(index, subIfd, ifd, width, height, tiled, tileWidth, tileHeight, offsets, byteCounts, compression,
                value, samples, bits, sampleFormat, planar, subfileType, description, mpp);
    }

    int tilesAcross() {
        return (width + tileWidth - 1) / tileWidth;
    }

    int tilesDown() {
        return (height + tileHeight - 1) / tileHeight;
    }

    /** Tiles (or strips) per sample plane: planar pages store one grid per sample. */
    int tilesPerPlane() {
        return tilesAcross() * tilesDown();
    }

    boolean jpeg2000() {
        return compression == COMPRESSION_APERIO_J2K_YCBCR || compression == COMPRESSION_APERIO_J2K_RGB
                || compression == COMPRESSION_J2K;
    }

    /** This page's image index for a TIFF reader on the whole file, -1 for a SubIFD (which the chain does not reach). */
    int topLevelIndex() {
        return subIfd ? -1 : index;
    }

    /** Whether JPEG 2000 tiles hold Y, Cb, Cr components rather than RGB: Aperio's 33003, or YCbCr photometric. */
    boolean ycbcrJpeg2000() {
        return compression == COMPRESSION_APERIO_J2K_YCBCR || compression == COMPRESSION_J2K && photometric == 6;
    }

    /** Aperio's objective power ("AppMag = 20"), when the description has it. */
    OptionalDouble appMag() {
        Matcher m = APERIO_MAG.matcher(description);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** Aperio's "MPP = 0.2520" in ImageDescription wins; else XResolution with ResolutionUnit (inch or cm). */
    private static OptionalDouble mpp(Directory ifd, String description) {
        Matcher m = APERIO_MPP.matcher(description);
        if (m.find()) {
            OptionalDouble v = Slides.plausibleMpp(Double.parseDouble(m.group(1)));
            if (v.isPresent()) {
                return v;
            }
        }
        double[] xr = doubles(ifd, TIFF.TAG_X_RESOLUTION);
        if (xr == null || xr.length == 0 || !(xr[0] > 0)) {
            return OptionalDouble.empty();
        }
        double mpp = switch ((int) first(ifd, TIFF.TAG_RESOLUTION_UNIT, 2)) {
            case 2 -> 25_400 / xr[0];
            case 3 -> 10_000 / xr[0];
            default -> Double.NaN;
        };
        return Slides.plausibleMpp(mpp);
    }

    static long first(Directory ifd, int tag, long fallback) {
        long[] v = longs(ifd, tag);
        return v != null && v.length > 0 ? v[0] : fallback;
    }

    /** The integer values of a tag, whatever width TwelveMonkeys stored them in; null when absent or unreadable. */
    static long[] longs(Directory ifd, int tag) {
        Object v = value(ifd, tag);
        if (v instanceof Number n) {
            return new long[] {n.longValue()};
        }
        if (v instanceof long[] l) {
            return l;
        }
        if (v == null || !v.getClass().isArray() || v instanceof String[]) {
            return null;
        }
        long[] out = new long[Array.getLength(v)];
        for (int i = 0; i < out.length; i++) {
            Object e = Array.get(v, i);
            out[i] = e instanceof Number n ? n.longValue() : 0;
        }
        return out;
    }

    static double[] doubles(Directory ifd, int tag) {
        Object v = value(ifd, tag);
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (v instanceof Number[] a) {
            double[] out = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i].doubleValue();
            }
            return out;
        }
        long[] l = longs(ifd, tag);
        return l == null ? null : java.util.Arrays.stream(l).asDoubleStream().toArray();
    }

    static String text(Directory ifd, int tag) {
        Object v = value(ifd, tag);
        if (v instanceof String s) {
            return s;
        }
        return v instanceof String[] parts ? String.join("\n", parts) : "";
    }

    /** A tag's value; TwelveMonkeys stores an exception in place of a value that lies beyond the end of the file. */
    private static Object value(Directory ifd, int tag) {
        Entry e = ifd.getEntryById(tag);
        Object v = e == null ? null : e.getValue();
        return v instanceof Throwable ? null : v;
    }
}
