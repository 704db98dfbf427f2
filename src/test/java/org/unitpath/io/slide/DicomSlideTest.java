package org.unitpath.io.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.RgbImage;
import org.unitpath.testing.TestImages;

/**
 * DICOM whole-slide series: real files (openslide-python's boxes, wsi2dcm's JPEG and JPEG 2000
 * conversions) and small synthetic ones, each read here and compared with the reference that
 * tools/fixtures/make_dicom_references.py assembled from the same frames with pydicom, libjpeg and
 * OpenJPEG (see dicom/SOURCE.md).
 */
class DicomSlideTest {
    /**
     * Largest and mean absolute difference allowed per file against its reference, a little above
     * what was measured. Measured: every JPEG file (boxes_0, jpeg, pyramid_0, pyramid_1) max 0, mean 0
     * (the JDK's libjpeg and Debian's libjpeg-turbo agree bit for bit on these streams); lossy JPEG
     * 2000 (pyramid_2, jai-imageio against OpenJPEG) max 2, mean 0.321; lossless and native files
     * max 0 and must stay exact.
     */
    private static final Map<String, double[]> TOLERANCE = Map.of(
            "boxes_0", new double[] {2, 0.1},
            "jpeg", new double[] {2, 0.1},
            "pyramid_0", new double[] {2, 0.1},
            "pyramid_1", new double[] {2, 0.1},
            "pyramid_2", new double[] {3, 0.4},
            "jpeg2000", new double[] {0, 0},
            "boxes_1", new double[] {0, 0},
            "sparse", new double[] {0, 0},
            "mono", new double[] {0, 0});

    @TempDir
    Path dir;

    static Path resource(String name) {
        try {
            return Path.of(DicomSlideTest.class.getResource("dicom/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static RgbImage reference(String name) throws IOException {
        return ImageFiles.read(resource("references/" + name + ".png"));
    }

    /** Asserts {@code actual} is within the file's tolerance of {@code expected}. */
    static void assertClose(String name, RgbImage expected, RgbImage actual, String what) {
        double[] tol = TOLERANCE.get(name);
        int max = TestImages.maxDiff(expected, actual);
        double mean = TestImages.meanDiff(expected, actual);
        assertTrue(max <= tol[0] && mean <= tol[1], name + " " + what + ": max difference " + max + ", mean "
                + String.format("%.4f", mean) + " exceeds max " + tol[0] + " / mean " + tol[1]);
    }

    /** A file in a folder of its own, so that no other file of its series is gathered with it. */
    private Path alone(String name) throws IOException {
        return Files.createDirectory(dir.resolve(name.replace('.', '_'))).resolve(name);
    }

    private static RgbImage whole(Slide s, int level) throws IOException {
        return s.read(level, 0, 0, s.width(level), s.height(level));
    }

    @Test
    void everyFileMatchesItsIndependentDecode() throws IOException {
        String[][] files = {{"boxes_0", "boxes/boxes_0.dcm"}, {"jpeg", "wsi2dcm/jpeg.dcm"}, {"jpeg2000", "wsi2dcm/jpeg2000.dcm"},
                            {"pyramid_0", "synthetic/pyramid_0.dcm"}, {"sparse", "synthetic/sparse.dcm"}, {"mono", "synthetic/mono.dcm"}};
        for (String[] f : files) {
            try (Slide s = Slides.open(resource(f[1]))) {
                assertClose(f[0], reference(f[0]), whole(s, 0), "whole level 0");
            }
        }
        try (Slide s = Slides.open(resource("synthetic/pyramid_0.dcm"))) {
            assertClose("pyramid_1", reference("pyramid_1"), whole(s, 1), "level 1 (RGB JPEG without colour marker)");
            assertClose("pyramid_2", reference("pyramid_2"), whole(s, 2), "level 2 (JPEG 2000 YBR_ICT)");
        }
    }

    @Test
    void thumbnailPixelsAsAVolumeMatchExactly() throws IOException {
        // boxes_1 is the series' THUMBNAIL, never a level; relabelled VOLUME in a folder of its own it is read like one
        byte[] bytes = Files.readAllBytes(resource("boxes/boxes_1.dcm"));
        Path copy = alone("boxes_1.dcm");
        Files.write(copy, replace(bytes, "PRIMARY\\THUMBNAIL\\", "PRIMARY\\VOLUME   \\"));
        try (Slide s = Slides.open(copy)) {
            assertEquals(16, s.width(0));
            assertClose("boxes_1", reference("boxes_1"), whole(s, 0), "explicit VR uncompressed RGB");
        }
    }

    @Test
    void regionsMatchTheirReferences() throws IOException {
        List<String> rows = Files.readAllLines(resource("references/regions.csv"));
        Map<String, String> paths = Map.of("jpeg", "wsi2dcm/jpeg.dcm", "jpeg2000", "wsi2dcm/jpeg2000.dcm", "boxes_0",
                "boxes/boxes_0.dcm", "pyramid_0", "synthetic/pyramid_0.dcm", "pyramid_1", "synthetic/pyramid_1.dcm", "sparse",
                "synthetic/sparse.dcm");
        assertEquals(paths.size() + 1, rows.size(), "regions.csv rows");
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",");
            int[] r = Arrays.stream(c).skip(1).mapToInt(Integer::parseInt).toArray();
            try (Slide s = Slides.open(resource(paths.get(c[0])))) {
                int level = c[0].equals("pyramid_1") ? 1 : 0;
                RgbImage read = s.read(level, r[0], r[1], r[2], r[3], r[4]);
                assertClose(c[0], reference(c[0] + ".region"), read, "region " + row);
                RgbImage all = whole(s, level);
                TestImages.assertSame(SlidesTest.expected(all, r[0], r[1], r[2], r[3], r[4]), read, c[0] + " region vs whole read");
            }
        }
    }

    @Test
    void readsAcrossFramesSubsampledAndOutsideAgreeWithTheWholeImage() throws IOException {
        int[][] regions = {{250, 250, 20, 20, 1}, {200, 480, 400, 100, 1}, {1, 2, 956, 714, 2}, {-17, 100, 300, 300, 3},
                           {900, 700, 200, 200, 3}, {-50, -50, 40, 40, 1}, {2000, 0, 10, 10, 1}, {767, 511, 2, 2, 1},
                           {0, 0, 957, 715, 300}};
        for (String file : List.of("wsi2dcm/jpeg.dcm", "wsi2dcm/jpeg2000.dcm")) {
            try (Slide s = Slides.open(resource(file))) {
                RgbImage all = whole(s, 0);
                for (int[] r : regions) {
                    TestImages.assertSame(SlidesTest.expected(all, r[0], r[1], r[2], r[3], r[4]), s.read(0, r[0], r[1], r[2], r[3], r[4]),
                            file + " region " + Arrays.toString(r));
                }
            }
        }
        try (Slide s = Slides.open(resource("synthetic/sparse.dcm"))) {
            RgbImage missing = s.read(0, 32, 32, 32, 32);
            TestImages.assertSame(TestImages.white(32, 32), missing, "a tile without a frame is white");
        }
    }

    @Test
    void concurrentReadsEqualSingleThreadedOnes() throws Exception {
        for (String file : List.of("wsi2dcm/jpeg.dcm", "wsi2dcm/jpeg2000.dcm")) {
            try (Slide s = Slides.open(resource(file))) {
                Random random = new Random(7);
                List<int[]> regions = new ArrayList<>();
                List<RgbImage> single = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    int[] r = {random.nextInt(1000) - 40, random.nextInt(760) - 40, 1 + random.nextInt(300), 1 + random.nextInt(300),
                               1 + random.nextInt(3)};
                    regions.add(r);
                    single.add(s.read(0, r[0], r[1], r[2], r[3], r[4]));
                }
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<?>> jobs = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        int offset = t;
                        jobs.add(pool.submit(() -> {
                            for (int k = 0; k < regions.size(); k++) {
                                int i = (k + 2 * offset) % regions.size();
                                int[] r = regions.get(i);
                                TestImages.assertSame(single.get(i), s.read(0, r[0], r[1], r[2], r[3], r[4]), file + " thread read " + i);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : jobs) {
                        f.get();
                    }
                } finally {
                    pool.shutdown();
                }
            }
        }
    }

    @Test
    void levelsAndResolution() throws IOException {
        try (Slide s = Slides.open(resource("synthetic/pyramid_label.dcm"))) {
            assertEquals(3, s.levels(), "the label opens its series; it is not a level");
            assertEquals(List.of(200, 100, 50), List.of(s.width(0), s.width(1), s.width(2)));
            assertEquals(List.of(150, 75, 37), List.of(s.height(0), s.height(1), s.height(2)));
            assertEquals(1.0, s.downsample(0), 1e-12);
            assertEquals(2.0, s.downsample(1), 1e-12);
            assertEquals((4.0 + 150.0 / 37) / 2, s.downsample(2), 1e-12);
            assertEquals(0.25, s.mpp().orElseThrow(), 1e-9);
        }
        try (Slide s = Slides.open(resource("boxes/boxes_0.dcm"))) {
            assertEquals(1, s.levels(), "boxes_1 is the series' thumbnail");
            assertEquals(16, s.width(0));
            assertEquals(16, s.height(0));
            assertEquals(0.499, s.mpp().orElseThrow(), 1e-9);
        }
        for (String file : List.of("wsi2dcm/jpeg.dcm", "wsi2dcm/jpeg2000.dcm")) {
            try (Slide s = Slides.open(resource(file))) {
                assertEquals(1, s.levels(), file + ": each wsi2dcm file is a series of its own");
                assertEquals(957, s.width(0));
                assertEquals(715, s.height(0));
                assertEquals(16.783, s.mpp().orElseThrow(), 1e-9);
            }
        }
        try (Slide s = Slides.open(resource("synthetic/sparse.dcm"))) {
            assertEquals(0.5, s.mpp().orElseThrow(), 1e-9);
        }
    }

    @Test
    void theThumbnailAloneOpensTheSeriesVolume() throws IOException {
        try (Slide s = Slides.open(resource("boxes/boxes_1.dcm"))) {
            assertEquals(resource("boxes/boxes_1.dcm"), s.file());
            assertClose("boxes_0", reference("boxes_0"), whole(s, 0), "VOLUME opened through the THUMBNAIL");
        }
        try (Slide s = Slides.open(resource("boxes"))) {
            assertClose("boxes_0", reference("boxes_0"), whole(s, 0), "VOLUME opened through the folder");
        }
        Path alone = alone("thumbnail.dcm");
        Files.copy(resource("boxes/boxes_1.dcm"), alone);
        assertProblem(alone, "has no VOLUME image (found THUMBNAIL)");
    }

    @Test
    void foldersOfSeveralSeriesAreRefusedByName() throws IOException {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Slides.open(resource("wsi2dcm")).close());
        String m = e.getMessage();
        assertTrue(m.startsWith(resource("wsi2dcm") + ": the folder holds 2 DICOM series") && m.contains("(jpeg.dcm)")
                && m.contains("(jpeg2000.dcm)") && m.contains("1.2.276.0.7230010.3.1.3.296485632.4444.1646683084.97878"), m);
        assertProblem(resource("synthetic"), "the folder holds 4 DICOM series");
        assertProblem(resource(""), "no DICOM files in this folder");
    }

    @Test
    void distinctSlidesKeepsOneFilePerSeries() throws IOException {
        Path tiff = dir.resolve("other.tif");
        Files.write(tiff, new byte[] {'I', 'I', 42, 0});
        List<Path> in = List.of(resource("boxes/boxes_1.dcm"), resource("boxes/boxes_0.dcm"), tiff, resource("wsi2dcm/jpeg.dcm"),
                resource("wsi2dcm/jpeg2000.dcm"), resource("synthetic/pyramid_0.dcm"), resource("synthetic/pyramid_label.dcm"),
                resource("synthetic/pyramid_2.dcm"), resource("synthetic/sparse.dcm"), resource("synthetic"), dir.resolve("missing.dcm"));
        List<Path> expected = List.of(resource("boxes/boxes_1.dcm"), tiff, resource("wsi2dcm/jpeg.dcm"), resource("wsi2dcm/jpeg2000.dcm"),
                resource("synthetic/pyramid_0.dcm"), resource("synthetic/sparse.dcm"), resource("synthetic"), dir.resolve("missing.dcm"));
        assertEquals(expected, Slides.distinctSlides(in));
        Path copies = Files.createDirectory(dir.resolve("copies"));
        Files.copy(resource("boxes/boxes_0.dcm"), copies.resolve("boxes_0.dcm"));
        assertEquals(2, Slides.distinctSlides(List.of(resource("boxes/boxes_0.dcm"), copies.resolve("boxes_0.dcm"))).size(),
                "the same series in another folder is another slide");
    }

    @Test
    void badFilesNameThePathAndTheProblem() throws IOException {
        byte[] jpeg = Files.readAllBytes(resource("wsi2dcm/jpeg.dcm"));
        Path cut = alone("cut.dcm");
        Files.write(cut, Arrays.copyOf(jpeg, jpeg.length / 2));
        assertProblem(cut, "truncated file");
        Path header = alone("header.dcm");
        Files.write(header, Arrays.copyOf(jpeg, 700));
        assertProblem(header, "truncated file");

        Path text = alone("notes.dcm");
        Files.writeString(text, "not a DICOM file\n".repeat(20));
        assertProblem(text, "not a readable image");

        byte[] boxes = Files.readAllBytes(resource("boxes/boxes_0.dcm"));
        Path jpegLs = alone("jpegls.dcm");
        Files.write(jpegLs, replace(boxes, "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.80"));
        assertProblem(jpegLs, "transfer syntax 1.2.840.10008.1.2.4.80 (JPEG-LS Lossless) is not supported");

        assertProblem(resource("synthetic/fluorescence.dcm"), "3 optical paths of MONOCHROME2 images: multichannel fluorescence");

        Path damaged = alone("damaged.dcm");
        byte[] broken = boxes.clone();
        int sof = indexOf(broken, new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 17, 8});
        Arrays.fill(broken, sof, sof + 40, (byte) 0x5A);
        Files.write(damaged, broken);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> {
            try (Slide s = Slides.open(damaged)) {
                s.read(0, 0, 0, 16, 16);
            }
        });
        assertTrue(e.getMessage().startsWith(damaged + ": damaged data in frame 1"), e.getMessage());
    }

    private static void assertProblem(Path file, String problem) {
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Slides.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(problem), e.getMessage());
    }

    private static byte[] replace(byte[] bytes, String from, String to) {
        assertEquals(from.length(), to.length());
        int at = indexOf(bytes, from.getBytes(StandardCharsets.US_ASCII));
        assertTrue(at >= 0, from + " not found");
        byte[] out = bytes.clone();
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, out, at, to.length());
        return out;
    }

    private static int indexOf(byte[] bytes, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= bytes.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (bytes[i + k] != what[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
