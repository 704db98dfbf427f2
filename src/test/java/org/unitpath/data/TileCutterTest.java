package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.testing.TestImages;

class TileCutterTest {
    @TempDir
    Path dir;

    private static TileCutter cutter(double targetMpp, OptionalDouble sourceMpp, boolean overwrite) {
        return new TileCutter(new TileCutter.Options(256, targetMpp, sourceMpp, 0.5, 2, overwrite));
    }

    private RgbImage tile(String scale, String name) throws IOException {
        return ImageFiles.read(dir.resolve("out").resolve(scale).resolve(name));
    }

    @Test
    void ihcAtItsOwnResolutionGivesFourPixelExactTiles() throws Exception {
        Path png = TestImages.ihcFile(dir, "ihc.png");
        RgbImage ihc = ImageFiles.read(png);
        TileCutter c = cutter(0.25, OptionalDouble.empty(), false);
        assertEquals("40x_256", c.scaleName());
        assertEquals(new TileCutter.Counts(4, 0, 0), c.cutAll(List.of(png), dir.resolve("out")));
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                TestImages.assertSame(ihc.crop(256 * x, 256 * y, 256, 256), tile("40x_256", "ihc_" + x + "_" + y + ".png"),
                        "tile " + x + "," + y);
            }
        }
    }

    @Test
    void twentyXFrom40xIsTheImageHalved() throws Exception {
        Path png = TestImages.ihcFile(dir, "ihc.png");
        RgbImage ihc = ImageFiles.read(png);
        TileCutter c = cutter(0.5, OptionalDouble.of(0.25), false);
        assertEquals("20x_256", c.scaleName());
        assertEquals(new TileCutter.Counts(1, 0, 0), c.cutAll(List.of(png), dir.resolve("out")));
        RgbImage t = tile("20x_256", "ihc_0_0.png");
        assertTrue(TestImages.maxDiff(TestImages.halve(ihc), t) <= 1, "2x2 means, rounding aside");
    }

    @Test
    void whiteGlassCellsAreSkippedAndReRunsResume() throws Exception {
        RgbImage ihc = TestImages.ihc(dir);
        Path png = dir.resolve("padded.png");
        Png.write(png, TestImages.onWhite(ihc, 1024, 1024 + 100, 256, 256));
        Path out = dir.resolve("out");
        Path scale = out.resolve("40x_256");
        Files.createDirectories(scale);
        Path stale = scale.resolve(".padded_1_1.png123456789.tmp");
        Files.writeString(stale, "left by a killed run");
        assertEquals(new TileCutter.Counts(4, 12, 0), cutter(0.25, OptionalDouble.empty(), false).cutAll(List.of(png), out));
        TestImages.assertSame(ihc.crop(0, 256, 256, 256), tile("40x_256", "padded_1_2.png"), "tissue cell");
        try (Stream<Path> files = Files.list(scale)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("padded_1_1.png", "padded_1_2.png", "padded_2_1.png", "padded_2_2.png"), names,
                    "only tissue tiles, no temporary files");
        }

        Path one = scale.resolve("padded_2_2.png");
        FileTime before = FileTime.fromMillis(1_000_000);
        Files.setLastModifiedTime(one, before);
        Files.delete(scale.resolve("padded_1_1.png"));
        assertEquals(new TileCutter.Counts(1, 12, 3), cutter(0.25, OptionalDouble.empty(), false).cutAll(List.of(png), out));
        assertEquals(before, Files.getLastModifiedTime(one), "existing tiles are not rewritten");
        assertEquals(new TileCutter.Counts(4, 12, 0), cutter(0.25, OptionalDouble.empty(), true).cutAll(List.of(png), out));
    }

    @Test
    void readsTheClosestPyramidLevelNotCoarserThanNeeded() throws Exception {
        // level 1 deliberately differs from level 0 halved: 20x tiles must be copies of level 1
        RgbImage base = TestImages.pattern(1024, 768, 21);
        RgbImage level1 = TestImages.pattern(512, 384, 22);
        RgbImage level2 = TestImages.pattern(256, 192, 23);
        Path tif = dir.resolve("slide.tif");
        TestImages.writeTiff(tif, Options.rgb(Compression.DEFLATE), OptionalDouble.of(0.25), "", base, level1, level2);
        TileCutter c = new TileCutter(new TileCutter.Options(128, 0.5, OptionalDouble.empty(), 0, 3, false));
        assertEquals(new TileCutter.Counts(12, 0, 0), c.cutAll(List.of(tif), dir.resolve("out")));
        TestImages.assertSame(level1.crop(128 * 3, 128 * 2, 128, 128), tile("20x_128", "slide_3_2.png"), "level 1 copy");

        TileCutter between = new TileCutter(new TileCutter.Options(64, 0.75, OptionalDouble.empty(), 0, 1, false));
        between.cutAll(List.of(tif), dir.resolve("out"));
        RgbImage t = tile("13x_64", "slide_1_1.png");
        RgbImage expected = Resize.window(level1, 96, 96, 1.5, 64);
        TestImages.assertSame(expected, t, "0.75 µm/px from the 0.5 µm/px level, area-averaged");
    }

    @Test
    void areaAveragingMatchesABruteForceMean() {
        RgbImage src = TestImages.pattern(40, 40, 31);
        RgbImage out = Resize.window(src, 2.25, 3.5, 1.75, 10);
        for (int j = 0; j < 10; j++) {
            for (int i = 0; i < 10; i++) {
                double x0 = 2.25 + i * 1.75;
                double y0 = 3.5 + j * 1.75;
                double sum = 0;
                int n = 0;
                for (double y = y0 + 0.125; y < y0 + 1.75; y += 0.25) {
                    for (double x = x0 + 0.125; x < x0 + 1.75; x += 0.25) {
                        sum += src.get((int) x, (int) y, 1);
                        n++;
                    }
                }
                assertEquals(sum / n, out.get(i, j, 1), 0.51, "pixel " + i + "," + j);
            }
        }
        RgbImage flat = TestImages.white(8, 8);
        assertEquals(255, Resize.window(flat, 4, 4, 0.25, 16).get(15, 15, 0), "bilinear enlargement of a flat area");
    }

    @Test
    void anImageWithoutTissueIsAnError() throws IOException {
        Path png = dir.resolve("glass.png");
        Png.write(png, TestImages.onWhite(RgbImage.blank(2, 2), 600, 600, 300, 300));
        IOException e = assertThrows(IOException.class,
                () -> cutter(0.25, OptionalDouble.empty(), false).cutAll(List.of(png), dir.resolve("out")));
        assertTrue(e.getMessage().startsWith(png + ": no tissue found"), e.getMessage());
    }

    @Test
    void foldersListTheirImagesAndNamesMustNotCollide() throws IOException {
        Path folder = dir.resolve("in");
        Files.createDirectories(folder);
        for (String n : new String[] {"b.svs", "a.PNG", "c.txt", ".hidden.tif", "d.tiff"}) {
            Files.writeString(folder.resolve(n), "x");
        }
        assertEquals(List.of(folder.resolve("a.PNG"), folder.resolve("b.svs"), folder.resolve("d.tiff")),
                SlideFiles.list(List.of(folder)));
        Files.writeString(dir.resolve("a.tif"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlideFiles.list(List.of(folder, dir.resolve("a.tif"))));
        assertTrue(e.getMessage().contains("would both write tiles named a_"), e.getMessage());
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        IOException none = assertThrows(IOException.class, () -> SlideFiles.list(List.of(empty)));
        assertTrue(none.getMessage().startsWith(empty + ": no images"), none.getMessage());
    }
}
