package org.unitpath.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.Npy;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;

/** Hand-made datasets: domain A with known squares, domain B cut from the demo tissue image. */
final class LoaderFixtures {
    private LoaderFixtures() {}

    /**
     * Mask canvas "c1" of 512x512 cut into four 256 tiles: nucleus 1 is the square [10, 50) x
     * [20, 40) in tile (0, 0), nucleus 2 is [300, 340) x [30, 90) in tile (1, 0), nucleus 3 spans
     * the border between tiles (0, 1) and (1, 1). Canvas "empty" has no nuclei at all.
     */
    static Path masks(Path root) throws IOException {
        Path ds = root.resolve("A");
        int n = 512;
        int[] labels = new int[n * n];
        fill(labels, n, 10, 20, 50, 40, 1);
        fill(labels, n, 300, 30, 340, 90, 2);
        fill(labels, n, 240, 400, 270, 420, 3);
        write(ds, "c1", labels, n);
        write(ds, "empty", new int[n * n], n);
        return ds;
    }

    static void fill(int[] labels, int n, int x0, int y0, int x1, int y1, int id) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                labels[y * n + x] = id;
            }
        }
    }

    /** Writes the tiles (R contour, G fill 100) and the .npy of a canvas. */
    static void write(Path ds, String id, int[] labels, int n) throws IOException {
        Files.createDirectories(ds.resolve("40x_256"));
        Npy.writeInt32(ds.resolve("cell_mask").resolve(id + ".npy"), new Npy.IntMap(n, n, labels));
        for (int ty = 0; ty < n / 256; ty++) {
            for (int tx = 0; tx < n / 256; tx++) {
                RgbImage tile = RgbImage.blank(256, 256);
                for (int y = 0; y < 256; y++) {
                    for (int x = 0; x < 256; x++) {
                        if (labels[(ty * 256 + y) * n + tx * 256 + x] != 0) {
                            tile.set(x, y, 1, 100);
                        }
                    }
                }
                Png.write(ds.resolve("40x_256").resolve(id + "_" + tx + "_" + ty + ".png"), tile);
            }
        }
    }

    /** Four 256 tiles of the 512x512 demo tissue image. */
    static Path tissue(Path root) throws Exception {
        Path dir = root.resolve("B").resolve("40x_256");
        Files.createDirectories(dir);
        RgbImage ihc = ImageFiles.read(Path.of(LoaderFixtures.class.getResource("/org/unitpath/demo/ihc.png").toURI()));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                Png.write(dir.resolve("ihc_" + x + "_" + y + ".png"), ihc.crop(256 * x, 256 * y, 256, 256));
            }
        }
        return root.resolve("B");
    }
}
