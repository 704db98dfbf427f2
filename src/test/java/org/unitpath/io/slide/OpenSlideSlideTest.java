package org.unitpath.io.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.TiledTiffWriter;
import org.unitpath.io.RgbImage;
import org.unitpath.io.TiledTiffWriter.Compression;
import org.unitpath.io.TiledTiffWriter.Options;
import org.unitpath.testing.TestImages;

/**
 * The OpenSlide backend against independent references: OpenSlide's own rendering of boxes.tiff
 * (boxes.png), reads made by openslide-python (tools/fixtures/make_openslide_references.py) and
 * the built-in TIFF reader on the same files. Tests that need libopenslide are skipped without it;
 * the behaviour without it is tested by hiding the library.
 */
class OpenSlideSlideTest {
    @TempDir
    Path dir;

    private static Path resource(String name) {
        try {
            return Path.of(OpenSlideSlideTest.class.getResource("real/openslide/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assumeOpenSlide() {
        Assumptions.assumeTrue(OpenSlideLibrary.isAvailable(),
                () -> "libopenslide not installed: " + OpenSlideLibrary.problem() + "; " + OpenSlideLibrary.INSTALL_HINT);
    }

    private static Slide openSlide(Path file) throws IOException {
        Slide s = Slides.open(file, Slides.Backend.OPENSLIDE);
        assertInstanceOf(OpenSlideSlide.class, s);
        return s;
    }

    @Test
    void readsMatchOpenSlidePythonReferences() throws IOException {
        assumeOpenSlide();
        Path refs = resource("backend/references.txt");
        int cases = 0;
        for (String line : Files.readAllLines(refs)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            int[] v = new int[6];
            for (int i = 0; i < 6; i++) {
                v[i] = Integer.parseInt(f[2 + i]);
            }
            try (Slide s = openSlide(resource(f[1]))) {
                RgbImage expected = ImageFiles.read(resource("backend/" + f[0]));
                RgbImage actual = s.read(v[0], v[1], v[2], v[3], v[4], v[5]);
                TestImages.assertSame(expected, actual, f[0]);
            }
            cases++;
        }
        assertEquals(11, cases, "reference cases in references.txt");
    }

    @Test
    void boxesMatchesOpenSlidesOwnRenderingWithEitherBackend() throws IOException {
        assumeOpenSlide();
        RgbImage png = ImageFiles.read(resource("boxes.png"));
        try (Slide os = openSlide(resource("boxes.tiff")); Slide tiff = Slides.open(resource("boxes.tiff"))) {
            assertInstanceOf(TiffSlide.class, tiff, "a generic TIFF keeps the built-in reader");
            TestImages.assertSame(png, os.read(0, 0, 0, 300, 250), "OpenSlide backend");
            TestImages.assertSame(png, tiff.read(0, 0, 0, 300, 250), "built-in reader");
        }
    }

    @Test
    void levelsDownsamplesAndResolutionAgreeWithTheBuiltInReader() throws IOException {
        assumeOpenSlide();
        for (String name : List.of("boxes.tiff", "small.svs")) {
            try (Slide os = openSlide(resource(name)); Slide tiff = Slides.open(resource(name), Slides.Backend.AUTO)) {
                assertEquals(tiff.levels(), os.levels(), name + " levels");
                for (int l = 0; l < os.levels(); l++) {
                    assertEquals(tiff.width(l), os.width(l), name + " width " + l);
                    assertEquals(tiff.height(l), os.height(l), name + " height " + l);
                    assertEquals(tiff.downsample(l), os.downsample(l), 1e-9, name + " downsample " + l);
                }
                assertEquals(tiff.mpp(), os.mpp(), name + " mpp");
            }
        }
        try (Slide s = openSlide(resource("boxes.tiff"))) {
            assertEquals(List.of(300, 150, 75, 37), List.of(s.width(0), s.width(1), s.width(2), s.width(3)));
            assertEquals(List.of(250, 125, 62, 31), List.of(s.height(0), s.height(1), s.height(2), s.height(3)));
            assertEquals(4.016129032258064, s.downsample(2), 1e-12);
            // 28.35 pixels per cm is a screen default, not a microscope's resolution
            assertFalse(s.mpp().isPresent());
        }
        try (Slide s = openSlide(resource("small.svs"))) {
            assertEquals(0.499, s.mpp().orElseThrow(), 1e-9, "Aperio MPP");
        }
    }

    /** Regions across tiles and blocks, partly outside, subsampled: the same pixels as the built-in reader. */
    @Test
    void agreesWithTheBuiltInReaderOnJpegAndDeflateTiles() throws IOException {
        assumeOpenSlide();
        RgbImage base = TestImages.pattern(2200, 1150, 5);
        Path jpeg = dir.resolve("jpeg.tif");
        Path deflate = dir.resolve("deflate.tif");
        TestImages.writeTiff(jpeg, Options.rgb(Compression.JPEG), OptionalDouble.empty(), "", base, TestImages.halve(base));
        TestImages.writeTiff(deflate, Options.rgb(Compression.DEFLATE), OptionalDouble.empty(), "", base, TestImages.halve(base));
        int[][] regions = {{0, 0, 0, 2200, 1150, 1}, {0, 200, 100, 300, 300, 1}, {0, 1000, 1000, 1300, 300, 1},
                           {0, -50, -30, 400, 200, 1}, {0, 3, 5, 2197, 1145, 2}, {0, -7, 11, 2300, 1200, 3},
                           {0, 5, 9, 2190, 1140, 1100}, {1, 0, 0, 1100, 575, 1}, {1, 500, 300, 700, 400, 2}};
        for (Path file : List.of(jpeg, deflate, resource("boxes.tiff"), resource("small.svs"))) {
            try (Slide os = openSlide(file); Slide tiff = Slides.open(file)) {
                assertInstanceOf(TiffSlide.class, tiff);
                assertEquals(tiff.levels(), os.levels(), file + " levels");
                for (int[] r : regions) {
                    if (r[0] >= os.levels()) {
                        continue;
                    }
                    String what = file.getFileName() + " level " + r[0] + " (" + r[1] + ", " + r[2] + ") " + r[3] + "x" + r[4]
                            + " step " + r[5];
                    TestImages.assertSame(tiff.read(r[0], r[1], r[2], r[3], r[4], r[5]), os.read(r[0], r[1], r[2], r[3], r[4], r[5]),
                            what);
                }
            }
        }
        try (Slide os = openSlide(deflate)) {
            TestImages.assertSame(SlidesTest.expected(base, 2190, 1140, 30, 30, 1), os.read(0, 2190, 1140, 30, 30),
                    "bottom-right corner, partly outside: white");
            TestImages.assertSame(SlidesTest.expected(base, 3000, 10, 20, 20, 1), os.read(0, 3000, 10, 20, 20), "wholly outside");
        }
    }

    /**
     * A level whose downsample is not an integer (2201 / 1100): OpenSlide places a level's pixels
     * at level-0 coordinates, so a read at level coordinate x starts at level-0 pixel
     * round(x * downsample), less than half a level-0 pixel from x, and OpenSlide interpolates
     * across the fraction. Each pixel then lies between its neighbours in the built-in reader's
     * read; at the origin the fraction is 0 and the pixels are the same.
     */
    @Test
    void nonIntegerDownsampleReadsTheNearestPixels() throws IOException {
        assumeOpenSlide();
        RgbImage base = TestImages.pattern(2201, 1151, 9);
        Path file = dir.resolve("odd.tif");
        TestImages.writeTiff(file, Options.rgb(Compression.DEFLATE), OptionalDouble.empty(), "", base, TestImages.halve(base));
        try (Slide os = openSlide(file); Slide tiff = Slides.open(file)) {
            assertEquals(2, os.levels());
            assertEquals(tiff.downsample(1), os.downsample(1), 1e-9);
            assertTrue(Math.abs(os.downsample(1) - 2) > 1e-4, "downsample " + os.downsample(1));
            TestImages.assertSame(tiff.read(1, 0, 0, 300, 200), os.read(1, 0, 0, 300, 200), "level 1 at the origin");
            int x = 400;
            int y = 300;
            // where level pixel x lands: between x and its left or right neighbour
            double ds = os.downsample(1);
            int sx = Math.round(x * ds) / ds < x ? -1 : 1;
            int sy = Math.round(y * ds) / ds < y ? -1 : 1;
            assertTrue(Math.abs(Math.round(x * ds) / ds - x) > 0.1, "the test needs a fractional offset");
            RgbImage near = tiff.read(1, x - 1, y - 1, 202, 152);
            RgbImage got = os.read(1, x, y, 200, 150);
            int differing = 0;
            for (int j = 0; j < got.height(); j++) {
                for (int i = 0; i < got.width(); i++) {
                    for (int c = 0; c < 3; c++) {
                        int a = near.get(i + 1, j + 1, c);
                        int b = near.get(i + 1 + sx, j + 1, c);
                        int d = near.get(i + 1, j + 1 + sy, c);
                        int e = near.get(i + 1 + sx, j + 1 + sy, c);
                        int lo = Math.min(Math.min(a, b), Math.min(d, e));
                        int hi = Math.max(Math.max(a, b), Math.max(d, e));
                        int v = got.get(i, j, c);
                        assertTrue(v >= lo - 1 && v <= hi + 1, "pixel (" + i + ", " + j + ") channel " + c + ": " + v
                                + " outside its neighbours' range " + lo + ".." + hi);
                        differing += v != a ? 1 : 0;
                    }
                }
            }
            assertTrue(differing > 0, "OpenSlide interpolated nothing");
        }
    }

    @Test
    void readsFromSeveralThreadsAgree() throws Exception {
        assumeOpenSlide();
        try (Slide s = openSlide(resource("boxes.tiff"))) {
            RgbImage whole = s.read(0, 0, 0, 300, 250);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<RgbImage>> reads = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int x = (i * 37) % 250;
                    int y = (i * 53) % 200;
                    reads.add(pool.submit(() -> s.read(0, x, y, 50, 50)));
                }
                for (int i = 0; i < reads.size(); i++) {
                    TestImages.assertSame(whole.crop((i * 37) % 250, (i * 53) % 200, 50, 50), reads.get(i).get(), "read " + i);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closedSlideRefusesReads() throws IOException {
        assumeOpenSlide();
        Slide s = openSlide(resource("small.svs"));
        s.close();
        s.close();
        assertThrows(IOException.class, () -> s.read(0, 0, 0, 4, 4));
    }

    @Test
    void damagedTileOpensButReadFailsWithOpenSlidesMessage() throws IOException {
        assumeOpenSlide();
        try (Slide s = Slides.open(resource("unreadable.svs"), Slides.Backend.OPENSLIDE)) {
            assertEquals(16, s.width(0));
            ImageFormatException e = assertThrows(ImageFormatException.class, () -> s.read(0, 0, 0, 16, 16));
            assertTrue(e.getMessage().startsWith(resource("unreadable.svs").toString()), e.getMessage());
            // libjpeg's own words, passed on by OpenSlide
            assertTrue(e.getMessage().contains("Bogus marker length"), e.getMessage());
            // OpenSlide's error state is sticky: later reads fail too, instead of returning blank pixels
            assertThrows(ImageFormatException.class, () -> s.read(0, 0, 0, 4, 4));
        }
    }

    @Test
    void fileNamedLikeASlideThatIsNoneIsAClearError() throws IOException {
        assumeOpenSlide();
        Path fake = Files.writeString(dir.resolve("scan.ndpi"), "not a slide\n");
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Slides.open(fake));
        assertEquals(fake + ": is named like a Hamamatsu NDPI slide, but OpenSlide does not recognise it", e.getMessage());
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a slide\n");
        e = assertThrows(ImageFormatException.class, () -> Slides.open(text, Slides.Backend.OPENSLIDE));
        assertEquals(text + ": not a slide format OpenSlide recognises", e.getMessage());
        assertThrows(ImageFormatException.class, () -> Slides.open(text), "the built-in readers refuse it too");
    }

    @Test
    void vendorDetectionLeavesGenericTiffAndAperioToTheBuiltInReader() {
        assumeOpenSlide();
        assertNull(OpenSlideSlide.claims(resource("boxes.tiff")), "TIFFs are claimed by their description, in TiffSlide");
        assertNull(OpenSlideSlide.claims(resource("small.svs")));
        assertEquals("MIRAX", OpenSlideSlide.claims(Path.of("x", "slide.MRXS")));
        assertTrue(OpenSlideLibrary.version().orElseThrow().matches("\\d+\\.\\d+.*"), OpenSlideLibrary.version().toString());
    }

    @Test
    void backendPropertyForcesOpenSlide() throws IOException {
        assumeOpenSlide();
        String before = System.getProperty(Slides.BACKEND_PROPERTY);
        try {
            System.setProperty(Slides.BACKEND_PROPERTY, "openslide");
            try (Slide s = Slides.open(resource("boxes.tiff"))) {
                assertInstanceOf(OpenSlideSlide.class, s);
            }
            System.setProperty(Slides.BACKEND_PROPERTY, "AUTO");
            try (Slide s = Slides.open(resource("boxes.tiff"))) {
                assertInstanceOf(TiffSlide.class, s);
            }
            System.setProperty(Slides.BACKEND_PROPERTY, "vips");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slides.open(resource("boxes.tiff")));
            assertEquals("unitpath.slide.backend=vips: expected auto or openslide", e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(Slides.BACKEND_PROPERTY);
            } else {
                System.setProperty(Slides.BACKEND_PROPERTY, before);
            }
        }
    }

    /** Runs everywhere: a machine without libopenslide, simulated by a library name that does not exist. */
    @Test
    void withoutTheLibrarySlidesOnlyOpenSlideReadsNameTheFormatAndTheInstall() throws IOException {
        OpenSlideLibrary.useNames(List.of("unitpath-no-such-openslide"));
        try {
            assertFalse(OpenSlideLibrary.isAvailable());
            assertTrue(OpenSlideLibrary.version().isEmpty());
            assertTrue(OpenSlideLibrary.problem().contains("unitpath-no-such-openslide"), OpenSlideLibrary.problem());
            Path ndpi = Files.writeString(dir.resolve("scan.ndpi"), "x");
            ImageFormatException e = assertThrows(ImageFormatException.class, () -> Slides.open(ndpi));
            assertEquals(ndpi + ": is a Hamamatsu NDPI slide; reading it needs OpenSlide: install it (Debian/Ubuntu: "
                    + "apt-get install libopenslide0)", e.getMessage());
            Path mrxs = Files.writeString(dir.resolve("scan.mrxs"), "x");
            e = assertThrows(ImageFormatException.class, () -> Slides.open(mrxs));
            assertTrue(e.getMessage().contains("is a MIRAX slide; reading it needs OpenSlide"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
            e = assertThrows(ImageFormatException.class, () -> Slides.open(resource("boxes.tiff"), Slides.Backend.OPENSLIDE));
            assertTrue(e.getMessage().contains("needs OpenSlide: install it"), e.getMessage());
            Path philips = dir.resolve("philips.tiff");
            TestImages.writeTiff(philips, TiledTiffWriter.Options.rgb(TiledTiffWriter.Compression.NONE), java.util.OptionalDouble.empty(),
                    "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><DataObject ObjectType=\"DPUfsImport\"></DataObject>",
                    TestImages.pattern(64, 64, 1));
            e = assertThrows(ImageFormatException.class, () -> Slides.open(philips));
            assertEquals(philips + ": is a Philips TIFF slide; reading it needs OpenSlide: install it (Debian/Ubuntu: "
                    + "apt-get install libopenslide0)", e.getMessage(), "a vendor TIFF is not read as a plain one");
            try (Slide s = Slides.open(resource("boxes.tiff"))) {
                assertInstanceOf(TiffSlide.class, s, "other files keep their reader");
                TestImages.assertSame(ImageFiles.read(resource("boxes.png")), s.read(0, 0, 0, 300, 250), "boxes.tiff");
            }
        } finally {
            OpenSlideLibrary.useNames(null);
        }
    }

    /** The un-premultiplication, which real slides need only at the edge of the scanned area. */
    @Test
    void premultipliedArgbBecomesRgbOnWhite() {
        int[] argb = {0x00000000, 0xff102030, 0x80402000, 0x01010101, 0x40ffffff};
        byte[] out = new byte[15];
        OpenSlideSlide.toRgb(argb, 5, 1, out, 0);
        int[] expected = {255, 255, 255, 0x10, 0x20, 0x30, 127, 63, 0, 255, 255, 255, 255, 255, 255};
        for (int i = 0; i < 15; i++) {
            assertEquals(expected[i], out[i] & 0xff, "byte " + i);
        }
        byte[] every2nd = new byte[9];
        OpenSlideSlide.toRgb(argb, 5, 2, every2nd, 0);
        assertEquals(255, every2nd[0] & 0xff);
        assertEquals(127, every2nd[3] & 0xff);
        assertEquals(255, every2nd[6] & 0xff);
    }
}
