package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.RgbImage;
import org.unitpath.io.coco.CocoAnnotation;
import org.unitpath.io.coco.CocoDataset;
import org.unitpath.io.coco.CocoImage;
import org.unitpath.io.coco.Rle;

/**
 * An annotated image of a nucleus dataset, held in memory: the RGB pixels and each nucleus as its
 * tight box with the mask inside it (COCO annotations in file order; crowd regions dropped).
 */
public record NucleusImage(String name, RgbImage image, List<Nucleus> nuclei) {
    /** One nucleus: tight box (x, y, width, height) and its row-major mask over the box. */
    public record Nucleus(int x, int y, int width, int height, byte[] mask) {}

    /** Every image of a COCO file, read from {@code imageDir} (file names relative to it). */
    public static List<NucleusImage> loadCoco(Path json, Path imageDir) throws IOException {
        CocoDataset coco = CocoDataset.read(json);
        Map<Long, List<CocoAnnotation>> byImage = coco.annotationsByImage();
        List<NucleusImage> out = new ArrayList<>();
        for (CocoImage info : coco.images()) {
            Path file = imageDir.resolve(info.fileName());
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null, "image '" + info.fileName() + "' of " + json + " is missing");
            }
            RgbImage image = ImageFiles.read(file);
            if (image.width() != info.width() || image.height() != info.height()) {
                throw new IllegalArgumentException(file + " is " + image.width() + "x" + image.height() + " but " + json
                        + " says " + info.width() + "x" + info.height());
            }
            List<Nucleus> nuclei = new ArrayList<>();
            for (CocoAnnotation a : byImage.getOrDefault(info.id(), List.of())) {
                if (!a.crowd()) {
                    Rle rle = a.segmentation().toRle(info.width(), info.height());
                    Nucleus n = cut(rle.decode(), info.width(), info.height(), rle.bbox());
                    if (n != null) {
                        nuclei.add(n);
                    }
                }
            }
            out.add(new NucleusImage(info.fileName(), image, List.copyOf(nuclei)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(json + " lists no images");
        }
        return out;
    }

    /**
     * The tight box of a full-image mask and the mask inside it, or null for an empty mask. Only
     * {@code bbox} (the mask's own, computed on its runs; plus a pixel of rounding) is scanned.
     */
    static Nucleus cut(byte[] mask, int width, int height, double[] bbox) {
        boolean hasBox = bbox != null && bbox.length == 4 && bbox[2] > 0 && bbox[3] > 0;
        int sx0 = hasBox ? Math.max(0, (int) Math.floor(bbox[0]) - 1) : 0;
        int sy0 = hasBox ? Math.max(0, (int) Math.floor(bbox[1]) - 1) : 0;
        int sx1 = hasBox ? Math.min(width, (int) Math.ceil(bbox[0] + bbox[2]) + 1) : width;
        int sy1 = hasBox ? Math.min(height, (int) Math.ceil(bbox[1] + bbox[3]) + 1) : height;
        int x0 = width;
        int y0 = height;
        int x1 = -1;
        int y1 = -1;
        for (int y = sy0; y < sy1; y++) {
            for (int x = sx0; x < sx1; x++) {
                if (mask[y * width + x] != 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 < 0) {
            return null;
        }
        int w = x1 - x0 + 1;
        int h = y1 - y0 + 1;
        byte[] patch = new byte[w * h];
        for (int y = 0; y < h; y++) {
            System.arraycopy(mask, (y0 + y) * width + x0, patch, y * w, w);
        }
        return new Nucleus(x0, y0, w, h, patch);
    }

    /** The instance map of the whole image (ids 1..K in annotation order, first claim wins), as the paper's evaluator paints GT. */
    public int[] labels() {
        int w = image.width();
        int[] out = new int[w * image.height()];
        int id = 0;
        for (Nucleus n : nuclei) {
            id++;
            for (int y = 0; y < n.height(); y++) {
                for (int x = 0; x < n.width(); x++) {
                    int i = (n.y() + y) * w + n.x() + x;
                    if (n.mask()[y * n.width() + x] != 0 && out[i] == 0) {
                        out[i] = id;
                    }
                }
            }
        }
        return out;
    }
}
