package org.unitpath.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Reads nucleus instance maps from the files labs and tools write: NumPy {@code .npy} integer
 * arrays, label images (8/16-bit grey PNG, 8/16/32-bit unsigned grey TIFF, or a palette image whose
 * indices are the labels) and colour-coded images (RGB or
 * RGBA: each distinct colour one nucleus, black the background, alpha ignored). Ids are
 * relabelled to 1..K in increasing id (colour: packed RGB) order. Floating-point TIFFs are refused:
 * ImageIO's TIFF plugin scales their samples to [0, 1], which would merge the labels.
 */
public final class InstanceMapFiles {
    /** File extensions this class reads, lower case. */
    public static final Set<String> EXTENSIONS = Set.of("npy", "png", "tif", "tiff");

    private InstanceMapFiles() {}

    public static boolean readable(Path file) {
        return EXTENSIONS.contains(extension(file));
    }

    public static InstanceMap read(Path file) throws IOException {
        String ext = extension(file);
        if (ext.equals("npy")) {
            Npy.IntMap m = Npy.read(file);
            return InstanceMap.relabel(m.width(), m.height(), m.data());
        }
        if (!EXTENSIONS.contains(ext)) {
            throw new ImageFormatException(file, "not an instance map (expected .npy, .png, .tif or .tiff)");
        }
        BufferedImage img = ImageFiles.decode(file);
        int w = img.getWidth();
        int h = img.getHeight();
        Raster r = img.getRaster();
        int[] ids = new int[Math.multiplyExact(w, h)];
        if (img.getColorModel() instanceof IndexColorModel || img.getColorModel().getNumColorComponents() == 1) {
            grey(file, r, ids);
        } else {
            if (r.getSampleModel().getSampleSize(0) > 8) {
                throw new ImageFormatException(file, "colour-coded instance maps must have 8 bits per channel; "
                        + "save labels as a 16-bit grey image or .npy instead");
            }
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    ids[y * w + x] = row[x] & 0xffffff;
                }
            }
        }
        return InstanceMap.relabel(w, h, ids);
    }

    private static void grey(Path file, Raster r, int[] ids) throws ImageFormatException {
        int w = r.getWidth();
        int h = r.getHeight();
        int type = r.getDataBuffer().getDataType();
        if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
            throw new ImageFormatException(file, "floating-point label images are not supported; save the labels as "
                    + "8/16/32-bit unsigned integers or as .npy");
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                long v = type == DataBuffer.TYPE_INT ? Integer.toUnsignedLong(row[x]) : row[x];
                if (v > Integer.MAX_VALUE) {
                    throw new ImageFormatException(file, "label " + v + " at row " + y + ", column " + x
                            + " is larger than " + Integer.MAX_VALUE);
                }
                ids[y * w + x] = (int) v;
            }
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
