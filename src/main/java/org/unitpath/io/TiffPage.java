package org.unitpath.io;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One TIFF page as the slide reader needs it: size, tile (or strip) grid, where each tile's
 * bytes lie, and how they are encoded. Strips are treated as tiles as wide as the image.
 */
record TiffPage(int index, int width, int height, boolean tiled, int tileWidth, int tileHeight, long[] offsets,
                long[] byteCounts, int compression, int photometric, int samples, int bits, int planar, int predictor,
                byte[] jpegTables, String description, OptionalDouble mpp) {

    private static final Pattern APERIO_MPP = Pattern.compile("\\bMPP\\s*=\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)");

    static TiffPage of(int index, Map<Integer, Object> tags) {
        int width = (int) first(tags, Tiff.IMAGE_WIDTH, 0);
        int height = (int) first(tags, Tiff.IMAGE_LENGTH, 0);
        boolean tiled = tags.containsKey(Tiff.TILE_WIDTH) && tags.containsKey(Tiff.TILE_OFFSETS);
        int tw = tiled ? (int) first(tags, Tiff.TILE_WIDTH, 0) : width;
        int th = tiled ? (int) first(tags, Tiff.TILE_LENGTH, 0)
                : (int) Math.min(Math.max(1, first(tags, Tiff.ROWS_PER_STRIP, height)), Math.max(1, height));
        long[] offsets = longs(tags, tiled ? Tiff.TILE_OFFSETS : Tiff.STRIP_OFFSETS);
        long[] counts = longs(tags, tiled ? Tiff.TILE_BYTE_COUNTS : Tiff.STRIP_BYTE_COUNTS);
        String description = tags.get(Tiff.IMAGE_DESCRIPTION) instanceof String s ? s : "";
        return new TiffPage(index, width, height, tiled, tw, th, offsets, counts,
                (int) first(tags, Tiff.COMPRESSION, Tiff.COMPRESSION_NONE),
                (int) first(tags, Tiff.PHOTOMETRIC, -1),
                (int) first(tags, Tiff.SAMPLES_PER_PIXEL, 1),
                (int) first(tags, Tiff.BITS_PER_SAMPLE, 1),
                (int) first(tags, Tiff.PLANAR_CONFIGURATION, 1),
                (int) first(tags, Tiff.PREDICTOR, 1),
                tags.get(Tiff.JPEG_TABLES) instanceof byte[] t ? t : null,
                description, mpp(tags, description));
    }

    int tilesAcross() {
        return (width + tileWidth - 1) / tileWidth;
    }

    int tilesDown() {
        return (height + tileHeight - 1) / tileHeight;
    }

    /** Why this page cannot be decoded as 8-bit RGB, or null when it can. */
    String unsupported() {
        if (width <= 0 || height <= 0 || tileWidth <= 0 || tileHeight <= 0) {
            return "invalid image or tile size " + width + "x" + height + " / " + tileWidth + "x" + tileHeight;
        }
        if (offsets == null || offsets.length < (long) tilesAcross() * tilesDown()) {
            return "missing or short tile/strip offset table";
        }
        if (byteCounts == null || byteCounts.length < offsets.length) {
            return "missing or short tile/strip byte counts";
        }
        boolean codec = compression == Tiff.COMPRESSION_NONE || compression == Tiff.COMPRESSION_LZW
                || compression == Tiff.COMPRESSION_JPEG || compression == Tiff.COMPRESSION_ADOBE_DEFLATE
                || compression == Tiff.COMPRESSION_DEFLATE;
        if (!codec) {
            return Tiff.compressionName(compression) + "-compressed TIFF (compression " + compression + ") is not supported;"
                    + " convert it to a JPEG-, deflate- or LZW-compressed tiled TIFF first (e.g. vips tiffsave)";
        }
        boolean colour = photometric == Tiff.PHOTOMETRIC_RGB
                || photometric == Tiff.PHOTOMETRIC_YCBCR && compression == Tiff.COMPRESSION_JPEG;
        if (!colour || samples < 3) {
            return samples < 3 ? "has " + samples + " colour channel" + (samples == 1 ? "" : "s") + ", an RGB image is expected"
                    : "photometric interpretation " + photometric + " is not supported, RGB is expected";
        }
        if (bits != 8) {
            return bits + "-bit samples are not supported, 8-bit RGB is expected";
        }
        if (planar != 1 && samples > 1) {
            return "planar (band-separate) TIFF is not supported, interleaved RGB is expected";
        }
        if (predictor != 1 && predictor != 2) {
            return "predictor " + predictor + " is not supported";
        }
        return null;
    }

    /** Aperio's "MPP = 0.2520" in ImageDescription wins; else XResolution with ResolutionUnit (inch or cm). */
    private static OptionalDouble mpp(Map<Integer, Object> tags, String description) {
        Matcher m = APERIO_MPP.matcher(description);
        if (m.find()) {
            OptionalDouble v = Slides.plausibleMpp(Double.parseDouble(m.group(1)));
            if (v.isPresent()) {
                return v;
            }
        }
        if (!(tags.get(Tiff.X_RESOLUTION) instanceof double[] xr) || xr.length == 0 || !(xr[0] > 0)) {
            return OptionalDouble.empty();
        }
        long unit = first(tags, Tiff.RESOLUTION_UNIT, Tiff.RESUNIT_INCH);
        double mpp = switch ((int) unit) {
            case Tiff.RESUNIT_INCH -> 25_400 / xr[0];
            case Tiff.RESUNIT_CENTIMETER -> 10_000 / xr[0];
            default -> Double.NaN;
        };
        return Slides.plausibleMpp(mpp);
    }

    private static long first(Map<Integer, Object> tags, int tag, long fallback) {
        return tags.get(tag) instanceof long[] v && v.length > 0 ? v[0] : fallback;
    }

    private static long[] longs(Map<Integer, Object> tags, int tag) {
        return tags.get(tag) instanceof long[] v ? v : null;
    }
}
