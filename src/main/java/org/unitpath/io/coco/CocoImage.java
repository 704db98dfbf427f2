package org.unitpath.io.coco;

import java.util.Objects;
import java.util.OptionalDouble;
import org.unitpath.io.Stems;

/**
 * An entry of a COCO file's {@code images}: id, file name (relative, as written), size in pixels
 * and, when known, µm per pixel (the non-standard {@code mpp} field, which COCO tools ignore).
 */
public record CocoImage(long id, String fileName, int width, int height, OptionalDouble mpp) {
    public CocoImage {
        Objects.requireNonNull(mpp, "mpp");
        if (fileName == null || fileName.isEmpty()) {
            throw new IllegalArgumentException("image " + id + " has no file_name");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image " + id + " (" + fileName + ") has size " + width + "x" + height
                    + "; width and height must be positive");
        }
        if (mpp.isPresent() && !(mpp.getAsDouble() > 0 && Double.isFinite(mpp.getAsDouble()))) {
            throw new IllegalArgumentException("image " + id + " (" + fileName + ") has mpp " + mpp.getAsDouble()
                    + "; µm per pixel must be positive");
        }
    }

    public CocoImage(long id, String fileName, int width, int height) {
        this(id, fileName, width, height, OptionalDouble.empty());
    }

    /** The file name without folders and extension: how images are matched to instance-map files. */
    public String stem() {
        return Stems.of(fileName);
    }
}
