package org.unitpath.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.Png;
import org.unitpath.io.RgbImage;
import org.unitpath.io.TiledTiffWriter;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.io.TiledTiffWriter.Page;
import org.unitpath.io.TiledTiffWriter.PixelType;
import org.unitpath.testing.TestImages;

class TilesCommandTest {
    @TempDir
    Path dir;

    @Test
    void cutsAndPrintsATwoLineSummary() {
        Path png = TestImages.ihcFile(dir, "ihc.png");
        Path out = dir.resolve("out");
        CliTest.Run r = CliTest.run("tiles", "--threads", "2", "--out", out.toString(), png.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("tiles: 4 written, 0 background, 0 already present from 1 image in "), r.out());
        assertEquals(List.of("tiles: 1 done, 0 skipped, 0 failed -> " + out.resolve("summary.csv")),
                r.out().strip().lines().skip(1).toList(), r.out());
        assertTrue(Files.isRegularFile(out.resolve("40x_256/ihc_1_1.png")));

        r = CliTest.run("tiles", "--magnification", "20", "--source-mpp", "0.25", "--out", out.toString(), png.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("20x_256/ihc_0_0.png")));
    }

    @Test
    void badInputsGiveOneLineWithThePathAndExitCodeThree() throws IOException {
        Path out = dir.resolve("out");
        Path missing = dir.resolve("missing.svs");
        assertBadInput(missing, missing + ": no such file", out);

        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        assertBadInput(empty, empty + ": no images in this folder", out);

        Path text = dir.resolve("notes.tif");
        Files.writeString(text, "not an image");
        assertBadInput(text, text + ": not a readable image", out);

        Path tif = dir.resolve("cut.tif");
        TestImages.writeTiff(tif, Options.rgb(Compression.DEFLATE), OptionalDouble.empty(), "", TestImages.ihc(dir));
        byte[] bytes = Files.readAllBytes(tif);
        Files.write(tif, Arrays.copyOf(bytes, bytes.length - 300));
        assertBadInput(tif, tif + ": truncated TIFF", out);

        Path png = TestImages.ihcFile(dir, "cut.png");
        bytes = Files.readAllBytes(png);
        Files.write(png, Arrays.copyOf(bytes, bytes.length / 2));
        assertBadInput(png, png + ": truncated image data", out);

        Path glass = dir.resolve("glass.png");
        Png.write(glass, TestImages.white(300, 300));
        assertBadInput(glass, glass + ": no tissue found", out);
        try (Stream<Path> left = Files.walk(out)) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    private static void assertBadInput(Path input, String message, Path out) {
        CliTest.Run r = CliTest.run("tiles", "--out", out.toString(), input.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertTrue(r.err().startsWith("unitpath: error: " + message), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void badOptionsAreUsageErrors() {
        Path png = TestImages.ihcFile(dir, "ihc.png");
        String out = dir.resolve("out").toString();
        assertEquals(ExitCodes.USAGE, CliTest.run("tiles", "--out", out, "--mpp", "0.5", "--magnification", "20",
                png.toString()).code());
        assertEquals(ExitCodes.USAGE, CliTest.run("tiles", "--out", out, "--min-tissue", "1.5", png.toString()).code());
        assertEquals(ExitCodes.USAGE, CliTest.run("tiles", "--out", out, "--mpp", "-1", png.toString()).code());
        assertEquals(ExitCodes.USAGE, CliTest.run("tiles", png.toString()).code(), "--out is required");
    }

    /**
     * A 50,000 x 50,000 px BigTIFF pyramid (level 0 would take 7.5 GB decoded; it is one shared
     * blank tile plus three tissue tiles, so the file is small) cut by a child JVM limited to a
     * 256 MB heap: only the tissue tiles come out, pixel for pixel.
     */
    @Test
    void aFiftyThousandPixelSlideIsCutInA256MegabyteHeap() throws Exception {
        int side = 50_000;
        RgbImage ihc = TestImages.ihc(dir);
        int[][] cells = {{10, 20}, {11, 20}, {100, 150}};
        RgbImage[] tiles = {ihc.crop(0, 0, 256, 256), ihc.crop(256, 0, 256, 256), ihc.crop(256, 256, 256, 256)};
        int small = (side + 63) / 64;
        RgbImage thumb = TestImages.white(small, small);
        for (int i = 0; i < cells.length; i++) {
            RgbImage t = TestImages.blockMean(tiles[i], 64);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    for (int c = 0; c < 3; c++) {
                        thumb.set(cells[i][0] * 4 + x, cells[i][1] * 4 + y, c, t.get(x, y, c));
                    }
                }
            }
        }
        Path slide = dir.resolve("huge.tif");
        try (TiledTiffWriter w = TiledTiffWriter.create(slide, new Options(256, PixelType.RGB8, Compression.DEFLATE, true, 0.9f))) {
            w.startPage(new Page(side, side, OptionalDouble.of(0.25), "synthetic 50k slide"));
            for (int i = 0; i < cells.length; i++) {
                w.writeTile(cells[i][0], cells[i][1], tiles[i]);
            }
            w.endPage();
            w.startPage(new Page(small, small, OptionalDouble.of(0.25 * side / small), ""));
            for (int ty = 0; ty * 256 < small; ty++) {
                for (int tx = 0; tx * 256 < small; tx++) {
                    int cw = Math.min(256, small - tx * 256);
                    int ch = Math.min(256, small - ty * 256);
                    w.writeTile(tx, ty, thumb.crop(tx * 256, ty * 256, cw, ch));
                }
            }
            w.finish();
        }
        assertTrue(Files.size(slide) < 4_000_000, "deduplicated blank tiles: " + Files.size(slide) + " bytes");

        Path out = dir.resolve("out");
        Path log = dir.resolve("child.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "tiles", "--threads", "2", "--out", out.toString(), slide.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM finished");
        String output = Files.readString(log);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("tiles: 3 written, " + (195 * 195 - 3) + " background, 0 already present"), output);
        for (int i = 0; i < cells.length; i++) {
            Path tile = out.resolve("40x_256").resolve("huge_" + cells[i][0] + "_" + cells[i][1] + ".png");
            TestImages.assertSame(tiles[i], ImageFiles.read(tile), tile.toString());
        }
        try (Stream<Path> files = Files.list(out.resolve("40x_256"))) {
            assertEquals(3, files.filter(f -> f.toString().endsWith(".png")).count());
        }
    }
}
