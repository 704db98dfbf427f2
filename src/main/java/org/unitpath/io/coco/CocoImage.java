package org.unitpath.io.coco;

import org.unitpath.io.Stems;

/** An entry of a COCO file's {@code images}: id, file name (relative, as written) and size in pixels. */
public record CocoImage(long id, String fileName, int width, int height) {
    public CocoImage {
        if (fileName == null || fileName.isEmpty()) {
            throw new IllegalArgumentException("image " + id + " has no file_name");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image " + id + " (" + fileName + ") has size " + width + "x" + height
                    + "; width and height must be positive");
        }
    }

    /** The file name without folders and extension: how images are matched to instance-map files. */
    public String stem() {
        return Stems.of(fileName);
    }
}
