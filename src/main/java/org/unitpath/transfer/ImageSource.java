package org.unitpath.transfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.unitpath.data.SlideTiles;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.RgbImage;

/** Images addressed by index and read on demand, possibly from several threads at once. */
public interface ImageSource {
    int size();

    RgbImage read(int i) throws IOException;

    static ImageSource of(List<Path> files) {
        List<Path> copy = List.copyOf(files);
        return new ImageSource() {
            @Override
            public int size() {
                return copy.size();
            }

            @Override
            public RgbImage read(int i) throws IOException {
                return ImageFiles.read(copy.get(i));
            }
        };
    }

    static ImageSource of(SlideTiles tiles) {
        return new ImageSource() {
            @Override
            public int size() {
                return tiles.cells().size();
            }

            @Override
            public RgbImage read(int i) throws IOException {
                return tiles.read(i);
            }
        };
    }
}
