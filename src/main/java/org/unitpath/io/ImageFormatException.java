package org.unitpath.io;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a usable image, mask or array; the message starts with the file. */
public final class ImageFormatException extends IOException {
    public ImageFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public ImageFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
