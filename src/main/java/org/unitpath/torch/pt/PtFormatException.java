package org.unitpath.torch.pt;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a readable PyTorch checkpoint; the message names the file and the problem. */
public final class PtFormatException extends IOException {
    public PtFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public PtFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
