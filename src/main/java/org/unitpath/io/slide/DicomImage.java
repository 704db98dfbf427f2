package org.unitpath.io.slide;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.unitpath.io.ImageFormatException;

/**
 * One DICOM whole-slide image (a pyramid level, or a thumbnail, label or overview) as the reader
 * uses it: its size, the frame size and pixel layout, and which frame covers which tile. Only the
 * first focal plane of the first optical path is kept, and only brightfield layouts are accepted.
 */
record DicomImage(DicomFile source, int width, int height, int frameWidth, int frameHeight, int samples, String photometric,
                  boolean planar, int tilesAcross, int[] tileFrames, OptionalDouble mpp) {
    private static final Logger LOG = LoggerFactory.getLogger(DicomImage.class);
    private static final Set<String> NATIVE_COLOURS = Set.of("RGB", "YBR_FULL", "MONOCHROME2");
    private static final Set<String> JPEG_COLOURS = Set.of("RGB", "YBR_FULL_422", "YBR_FULL", "MONOCHROME2");
    private static final Set<String> JPEG2000_COLOURS = Set.of("RGB", "YBR_ICT", "YBR_RCT", "YBR_FULL", "MONOCHROME2");

    Path file() {
        return source.file();
    }

    int frames() {
        return (int) source.data().integer(DicomTags.NUMBER_OF_FRAMES).orElse(1);
    }

    /** The frame (0-based) holding tile (tx, ty), or -1 where a TILED_SPARSE image has none. */
    int frameAt(int tx, int ty) {
        return tileFrames[ty * tilesAcross + tx];
    }

    static DicomImage of(DicomFile f) throws ImageFormatException {
        DicomDataSet d = f.data();
        Path file = f.file();
        int columns = required(f, DicomTags.COLUMNS, "Columns");
        int rows = required(f, DicomTags.ROWS, "Rows");
        int frames = (int) d.integer(DicomTags.NUMBER_OF_FRAMES).orElse(1);
        // a single frame without a total pixel matrix is the whole image
        boolean whole = frames == 1 && !d.has(DicomTags.TOTAL_COLUMNS) && !d.has(DicomTags.TOTAL_ROWS);
        int width = whole ? columns : required(f, DicomTags.TOTAL_COLUMNS, "TotalPixelMatrixColumns");
        int height = whole ? rows : required(f, DicomTags.TOTAL_ROWS, "TotalPixelMatrixRows");
        if (columns <= 0 || rows <= 0 || width <= 0 || height <= 0 || frames <= 0) {
            throw new ImageFormatException(file, "invalid size: " + width + "x" + height + " pixels in " + frames + " frames of "
                    + columns + "x" + rows);
        }
        int samples = required(f, DicomTags.SAMPLES_PER_PIXEL, "SamplesPerPixel");
        String photometric = d.string(DicomTags.PHOTOMETRIC);
        if (photometric.isEmpty()) {
            throw new ImageFormatException(file, "missing tag " + DicomDataSet.tagName(DicomTags.PHOTOMETRIC) + " PhotometricInterpretation");
        }
        int bits = required(f, DicomTags.BITS_ALLOCATED, "BitsAllocated");
        checkBrightfield(f, samples, photometric, bits);
        boolean planar = samples == 3 && d.integer(DicomTags.PLANAR_CONFIGURATION).orElse(0) == 1;
        int across = (int) ((width + (long) columns - 1) / columns);
        int down = (int) ((height + (long) rows - 1) / rows);
        if ((long) across * down > Integer.MAX_VALUE / 2) {
            throw new ImageFormatException(file, "too many tiles: " + across + " x " + down);
        }
        boolean sparse = d.string(DicomTags.DIMENSION_ORGANIZATION_TYPE).equals("TILED_SPARSE")
                || !d.string(DicomTags.DIMENSION_ORGANIZATION_TYPE).equals("TILED_FULL") && hasPositions(d);
        int[] tiles = sparse ? sparseTiles(f, frames, columns, rows, across, down) : fullTiles(f, frames, across, down);
        // the per-frame groups (large in sparse images) are not needed once the tiles are known
        DicomFile kept = new DicomFile(file, f.transferSyntax(), d.without(DicomTags.PER_FRAME_GROUPS), f.pixels());
        return new DicomImage(kept, width, height, columns, rows, samples, photometric, planar, across, tiles, mpp(d, width, height));
    }

    private static int required(DicomFile f, int tag, String name) throws ImageFormatException {
        OptionalLong v = f.data().integer(tag);
        if (v.isEmpty()) {
            throw new ImageFormatException(f.file(), "missing tag " + DicomDataSet.tagName(tag) + " " + name);
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v.getAsLong()));
    }

    /** Refuses what is not an 8-bit RGB, YCbCr or greyscale brightfield image, naming what the file holds. */
    private static void checkBrightfield(DicomFile f, int samples, String photometric, int bits) throws ImageFormatException {
        Path file = f.file();
        DicomDataSet d = f.data();
        long paths = d.integer(DicomTags.NUMBER_OF_OPTICAL_PATHS).orElse(Math.max(1, d.items(DicomTags.OPTICAL_PATH_SEQUENCE).size()));
        if (samples != 1 && samples != 3) {
            throw new ImageFormatException(file, samples + " samples per pixel (" + photometric + "): multichannel data, not a"
                    + " brightfield RGB or greyscale image");
        }
        if (photometric.startsWith("MONOCHROME") && paths > 1) {
            throw new ImageFormatException(file, paths + " optical paths of " + photometric + " images: multichannel fluorescence,"
                    + " not a brightfield RGB image");
        }
        if (bits != 8) {
            throw new ImageFormatException(file, bits + "-bit samples (BitsAllocated " + bits + "); unitpath reads 8-bit DICOM images");
        }
        Set<String> allowed = switch (f.transferSyntax()) {
            case DicomFile.JPEG_BASELINE -> JPEG_COLOURS;
            case DicomFile.JPEG2000, DicomFile.JPEG2000_LOSSLESS -> JPEG2000_COLOURS;
            default -> NATIVE_COLOURS;
        };
        if (!allowed.contains(photometric) || (samples == 1) != photometric.equals("MONOCHROME2")) {
            throw new ImageFormatException(file, "photometric interpretation " + photometric + " with " + samples + " samples per"
                    + " pixel is not supported in transfer syntax " + f.transferSyntax() + " (expected one of "
                    + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
        if (paths > 1) {
            LOG.info("{}: {} optical paths; reading the first", file, paths);
        }
        long planes = d.integer(DicomTags.FOCAL_PLANES).orElse(1);
        if (planes > 1) {
            LOG.info("{}: {} focal planes; reading the first", file, planes);
        }
    }

    /** TILED_FULL: frames run row by row over the tiles, then over focal planes and optical paths; the first plane is used. */
    private static int[] fullTiles(DicomFile f, int frames, int across, int down) throws ImageFormatException {
        int tiles = across * down;
        if (frames < tiles) {
            throw new ImageFormatException(f.file(), "TILED_FULL image of " + across + " x " + down + " tiles has only " + frames
                    + " frames");
        }
        int[] out = new int[tiles];
        Arrays.setAll(out, i -> i);
        return out;
    }

    private static boolean hasPositions(DicomDataSet d) {
        List<DicomDataSet> perFrame = d.items(DicomTags.PER_FRAME_GROUPS);
        return !perFrame.isEmpty() && perFrame.get(0).first(DicomTags.PLANE_POSITION_SLIDE).has(DicomTags.COLUMN_POSITION);
    }

    /**
     * TILED_SPARSE: each frame says where it lies (1-based pixel positions); frames of other focal
     * planes or optical paths than the first frame's are left out, tiles without a frame stay white.
     */
    private static int[] sparseTiles(DicomFile f, int frames, int columns, int rows, int across, int down) throws ImageFormatException {
        Path file = f.file();
        List<DicomDataSet> perFrame = f.data().items(DicomTags.PER_FRAME_GROUPS);
        if (perFrame.size() < frames) {
            throw new ImageFormatException(file, "TILED_SPARSE image of " + frames + " frames has " + perFrame.size()
                    + " items in PerFrameFunctionalGroupsSequence " + DicomDataSet.tagName(DicomTags.PER_FRAME_GROUPS));
        }
        String sharedPath = f.data().first(DicomTags.SHARED_GROUPS).first(DicomTags.OPTICAL_PATH_IDENTIFICATION)
                .string(DicomTags.OPTICAL_PATH_ID);
        int[] out = new int[across * down];
        Arrays.fill(out, -1);
        String firstPath = null;
        double firstZ = Double.NaN;
        int skipped = 0;
        for (int i = 0; i < frames; i++) {
            DicomDataSet position = perFrame.get(i).first(DicomTags.PLANE_POSITION_SLIDE);
            OptionalLong col = position.integer(DicomTags.COLUMN_POSITION);
            OptionalLong row = position.integer(DicomTags.ROW_POSITION);
            if (col.isEmpty() || row.isEmpty()) {
                throw new ImageFormatException(file, "TILED_SPARSE frame " + (i + 1) + " has no ColumnPositionInTotalImagePixelMatrix /"
                        + " RowPositionInTotalImagePixelMatrix in PlanePositionSlideSequence");
            }
            String path = perFrame.get(i).first(DicomTags.OPTICAL_PATH_IDENTIFICATION).string(DicomTags.OPTICAL_PATH_ID);
            path = path.isEmpty() ? sharedPath : path;
            double z = position.decimal(DicomTags.Z_OFFSET).orElse(0);
            if (firstPath == null) {
                firstPath = path;
                firstZ = z;
            }
            if (!path.equals(firstPath) || z != firstZ) {
                skipped++;
                continue;
            }
            long x = col.getAsLong() - 1;
            long y = row.getAsLong() - 1;
            if (x % columns != 0 || y % rows != 0 || x < 0 || y < 0) {
                throw new ImageFormatException(file, "TILED_SPARSE frame " + (i + 1) + " lies at pixel (" + x + ", " + y + "), off the"
                        + " grid of " + columns + "x" + rows + " frames; such layouts are not supported");
            }
            if (x / columns < across && y / rows < down && out[(int) (y / rows * across + x / columns)] < 0) {
                out[(int) (y / rows * across + x / columns)] = i;
            }
        }
        if (skipped > 0) {
            LOG.info("{}: {} frames of other focal planes or optical paths left out (reading the first)", file, skipped);
        }
        return out;
    }

    /** Micrometres per pixel from PixelSpacing (mm, in the shared functional groups), else from the imaged volume's size. */
    private static OptionalDouble mpp(DicomDataSet d, int width, int height) {
        double[] spacing = d.first(DicomTags.SHARED_GROUPS).first(DicomTags.PIXEL_MEASURES).decimals(DicomTags.PIXEL_SPACING);
        if (spacing.length == 2 && spacing[0] > 0 && spacing[1] > 0) {
            return OptionalDouble.of((spacing[0] + spacing[1]) / 2 * 1000);
        }
        double w = d.decimal(DicomTags.IMAGED_VOLUME_WIDTH).orElse(0);
        double h = d.decimal(DicomTags.IMAGED_VOLUME_HEIGHT).orElse(0);
        if (w > 0 && h > 0) {
            return OptionalDouble.of((w / width + h / height) / 2 * 1000);
        }
        return OptionalDouble.empty();
    }
}
