package org.unitpath.io.slide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.unitpath.io.ImageFiles;
import org.unitpath.io.ImageFormatException;
import org.unitpath.io.RgbImage;
import org.unitpath.testing.TestImages;

/**
 * Real slides and TIFFs from other projects' test suites (see real/SOURCE.md), read region by
 * region and compared with PNGs that OpenSlide or libtiff decoded (tools/fixtures/make_slide_references.py).
 */
class RealSlidesTest {
    /** One row of references.csv: a region read and its reference decode, with the allowed difference. */
    record Reference(String file, int level, int x, int y, int w, int h, int step, String png, String decoder, int maxAbs,
                     double meanAbs) {
        @Override
        public String toString() {
            return file + " L" + level + " (" + x + ", " + y + ", " + w + "x" + h + ") step " + step;
        }
    }

    static Path real(String name) {
        try {
            return Path.of(RealSlidesTest.class.getResource("real/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Reference> references() throws IOException {
        List<String> lines = Files.readAllLines(real("references.csv"));
        return lines.stream().skip(1).map(l -> l.split(",")).map(c -> new Reference(c[0], Integer.parseInt(c[1]),
                Integer.parseInt(c[2]), Integer.parseInt(c[3]), Integer.parseInt(c[4]), Integer.parseInt(c[5]),
                Integer.parseInt(c[6]), c[7], c[8], Integer.parseInt(c[9]), Double.parseDouble(c[10])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("references")
    void regionsMatchAnIndependentDecoder(Reference ref) throws IOException {
        RgbImage expected = ImageFiles.toRgb(ImageIO.read(real(ref.png()).toFile()));
        RgbImage got;
        try (Slide s = Slides.open(real(ref.file()))) {
            got = s.read(ref.level(), ref.x(), ref.y(), ref.w(), ref.h(), ref.step());
        }
        assertEquals(expected.width(), got.width(), "width");
        assertEquals(expected.height(), got.height(), "height");
        int max = 0;
        long sum = 0;
        for (int i = 0; i < got.rgb().length; i++) {
            int d = Math.abs((got.rgb()[i] & 0xff) - (expected.rgb()[i] & 0xff));
            max = Math.max(max, d);
            sum += d;
        }
        double mean = (double) sum / got.rgb().length;
        System.out.printf("%s vs %s: max %d mean %.4f%n", ref, ref.decoder(), max, mean);
        assertTrue(max <= ref.maxAbs() && mean <= ref.meanAbs(), ref + ": max " + max + " (allowed " + ref.maxAbs() + "), mean "
                + mean + " (allowed " + ref.meanAbs() + ") against " + ref.decoder());
    }

    @Test
    void pyramidsAndResolutionAsTheScannerWroteThem() throws IOException {
        try (Slide cmu = Slides.open(real("aperio/CMU-1-Small-Region.svs"));
             Slide tcga = Slides.open(real("aperio/tcga-cr-7395-01a-01-ts1.svs"));
             Slide boxes = Slides.open(real("openslide/boxes.tiff"))) {
            assertEquals(1, cmu.levels(), "thumbnail, label and macro are not levels");
            assertEquals(2220, cmu.width(0));
            assertEquals(2967, cmu.height(0));
            assertEquals(0.499, cmu.mpp().orElseThrow(), 1e-9);
            assertEquals(2, tcga.levels(), "the thumbnail between the JPEG 2000 levels is skipped");
            assertEquals(2221, tcga.width(1));
            assertEquals(1783, tcga.height(1));
            assertEquals(4, boxes.levels());
            assertEquals(150, boxes.width(1));
            assertEquals(8.09, boxes.downsample(3), 0.01);
        }
    }

    @Test
    void genericTiffLevelZeroEqualsOpenSlidesOwnReferenceRendering() throws IOException {
        RgbImage expected = ImageFiles.toRgb(ImageIO.read(real("openslide/boxes.png").toFile()));
        try (Slide s = Slides.open(real("openslide/boxes.tiff"))) {
            TestImages.assertSame(expected, s.read(0, 0, 0, 300, 250), "boxes.tiff level 0");
        }
    }

    @Test
    void damagedAndNonBrightfieldFilesSayWhatTheyHold() throws IOException {
        assertRefused("openslide/unopenable.tiff", "compression 52479) is not supported");
        assertRefused("twelvemonkeys/flower-separated-contig-08.tif", "4 separated ink channels (CMYK");
        assertRefused("refused/fluorescence-3ch.ome.tif", "OME-TIFF of 3 greyscale channels (fluorescence)");
        assertRefused("refused/multispectral-5ch.tif", "5 channels of intensity");
        assertRefused("refused/float32.tif", "floating-point samples");
        Path unreadable = real("openslide/unreadable.svs");
        try (Slide s = Slides.open(unreadable)) {
            ImageFormatException e = assertThrows(ImageFormatException.class, () -> s.read(0, 0, 0, 16, 16));
            assertTrue(e.getMessage().startsWith(unreadable + ": damaged data in tile 0 of page 0"), e.getMessage());
        }
    }

    private static void assertRefused(String name, String problem) {
        Path file = real(name);
        ImageFormatException e = assertThrows(ImageFormatException.class, () -> Slides.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void concurrentJpeg2000AndJpegReadsAgreeWithSingleThreadedOnes() throws Exception {
        for (String name : new String[] {"aperio/tcga-cr-7395-01a-01-ts1.svs", "aperio/CMU-1-Small-Region.svs"}) {
            try (Slide s = Slides.open(real(name))) {
                Random rnd = new Random(5);
                List<int[]> regions = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    regions.add(new int[] {rnd.nextInt(s.width(0) - 300), rnd.nextInt(s.height(0) - 300), 64 + rnd.nextInt(236)});
                }
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    List<Future<RgbImage>> parallel = new ArrayList<>();
                    for (int[] r : regions) {
                        parallel.add(pool.submit(() -> s.read(0, r[0], r[1], r[2], r[2])));
                    }
                    for (int i = 0; i < regions.size(); i++) {
                        int[] r = regions.get(i);
                        TestImages.assertSame(s.read(0, r[0], r[1], r[2], r[2]), parallel.get(i).get(), name + " region " + i);
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }
}
