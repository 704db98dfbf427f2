package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.RgbImage;

/** The demo's domain B is the bundled real H&E: every tile cut, at the loader's scale, and H&E-coloured. */
class DemoDataTest {
    @TempDir
    Path root;

    @Test
    void domainBHoldsOneFortyXTilePerBundledHAndETile() throws Exception {
        DemoData.prepare(root, "10x_64", 1, 2);
        List<Path> tiles;
        try (var files = Files.list(root.resolve("tissue").resolve("10x_64"))) {
            tiles = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(39, tiles.size(), "9 NCT-CRC-HE-100K + 30 Kather 2016 tiles, each 448 or 300 px at 40x: one 256-px tile");
        double red = 0;
        double green = 0;
        double blue = 0;
        for (Path t : tiles) {
            RgbImage im = ImageFiles.read(t);
            assertEquals(256, im.width());
            assertEquals(256, im.height());
            double[] mean = meanRgb(im);
            red += mean[0];
            green += mean[1];
            blue += mean[2];
        }
        // eosin and haematoxylin both absorb green most: H&E is pink-purple, not the IHC image's brown
        assertTrue(green < red && green < blue, "mean RGB " + red / 39 + ", " + green / 39 + ", " + blue / 39);
        assertTrue(Files.list(root.resolve("masks").resolve("10x_64")).findAny().isPresent());
    }

    private static double[] meanRgb(RgbImage im) {
        double[] sum = new double[3];
        byte[] px = im.rgb();
        for (int i = 0; i < px.length; i++) {
            sum[i % 3] += px[i] & 0xff;
        }
        int n = px.length / 3;
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }
}
