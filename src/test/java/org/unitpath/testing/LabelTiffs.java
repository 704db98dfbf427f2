package org.unitpath.testing;

import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Reads a uint32 label TIFF back with an independent reader (TwelveMonkeys). */
public final class LabelTiffs {
    private LabelTiffs() {}

    /** The first page's labels, row-major. */
    public static int[] read(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = null;
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
                ImageReader r = it.next();
                if (r.getClass().getName().startsWith("com.twelvemonkeys")) {
                    reader = r;
                }
            }
            if (reader == null) {
                throw new IllegalStateException("no TwelveMonkeys TIFF reader");
            }
            try {
                reader.setInput(in);
                Raster ras = reader.readRaster(0, null);
                return ras.getSamples(0, 0, ras.getWidth(), ras.getHeight(), 0, (int[]) null);
            } finally {
                reader.dispose();
            }
        }
    }
}
