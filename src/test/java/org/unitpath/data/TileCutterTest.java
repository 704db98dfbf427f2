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
            assertEquals(List.of(".done", "padded_1_1.png", "padded_1_2.png", "padded_2_1.png", "padded_2_2.png"), names,
                    "only tissue tiles and the completion markers, no temporary files");
        }
        assertEquals(List.of("tiles,background", "4,12"), Files.readAllLines(scale.resolve(".done/padded")));
        assertEquals(new TileCutter.Counts(0, 12, 4), cutter(0.25, OptionalDouble.empty(), false).cutAll(List.of(png), out),
                "a complete slide is skipped: its marker's counts");

        // a run killed before the marker: the missing tile is cut, the others kept
        Files.delete(scale.resolve(".done/padded"));
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
        assertTrue(Files.notExists(dir.resolve("out/40x_256/.done/glass")), "no marker: the next run looks again");
    }

    @Test
    void anImageSmallerThanOneTileSaysSo() throws IOException {
        Path png = dir.resolve("small.png");
        Png.write(png, TestImages.pattern(180, 200, 1));
        IOException e = assertThrows(IOException.class,
                () -> cutter(0.5, OptionalDouble.of(0.25), false).cutAll(List.of(png), dir.resolve("out")));
        assertEquals(png + " is 180x200 px at 0.25 µm/px, smaller than one 256-px tile at 0.5 µm/px: no tiles", e.getMessage());
    }

    @Test
    void aSlideThatFailsIsReportedAndTheOthersAreCut() throws Exception {
        Path good = TestImages.ihcFile(dir, "good.png");
        Path bad = dir.resolve("bad.png");
        Files.writeString(bad, "not an image");
        Path small = dir.resolve("small.png");
        Png.write(small, TestImages.pattern(100, 100, 2));
        List<String> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        TileCutter.Events record = new TileCutter.Events() {
            @Override
            public void skipped(Path file, TileCutter.Counts c) {
                events.add("skipped " + file.getFileName() + " " + c.present());
            }

            @Override
            public void finished(Path file, TileCutter.Counts c, double seconds, String note) {
                events.add("finished " + file.getFileName() + " " + c.written() + (note == null ? "" : " " + note));
            }

            @Override
            public void failed(Path file, Throwable error, double seconds) {
                events.add("failed " + file.getFileName() + " " + error.getMessage());
            }

            @Override
            public boolean stopping() {
                return false;
            }
        };
        Path out = dir.resolve("out");
        TileCutter c = cutter(0.25, OptionalDouble.empty(), false);
        assertEquals(new TileCutter.Counts(4, 0, 0), c.cutAll(List.of(bad, good, small), out, record));
        List<String> sorted = events.stream().sorted().toList();
        assertEquals(3, sorted.size(), sorted.toString());
        assertTrue(sorted.get(0).startsWith("failed bad.png " + bad + ": not a readable image"), sorted.get(0));
        assertEquals(List.of("finished good.png 4", "finished small.png 0 " + small + " is 100x100 px at 0.25 µm/px, smaller "
                + "than one 256-px tile at 0.25 µm/px: no tiles"), sorted.subList(1, 3));
        events.clear();
        assertEquals(new TileCutter.Counts(0, 0, 4), c.cutAll(List.of(bad, good, small), out, record));
        assertTrue(events.contains("skipped good.png 4"), events.toString());
        assertTrue(events.stream().anyMatch(s -> s.startsWith("failed bad.png")), "a failed slide is tried again");
    }
}
