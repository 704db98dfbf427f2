package org.unitpath.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic annotated dataset, its COCO round trip, and fine-tuning crops. */
class NucleusCropsTest {
    @TempDir
    Path dir;

    @Test
    void syntheticDatasetLoadsBackWithEveryNucleus() throws Exception {
        SyntheticNuclei.write(dir, 2, 1, 96, 7);
        List<NucleusImage> train = NucleusImage.loadCoco(dir.resolve("train.json"), dir.resolve("images"));
        List<NucleusImage> test = NucleusImage.loadCoco(dir.resolve("test.json"), dir.resolve("images"));
        assertEquals(2, train.size());
        assertEquals(1, test.size());
        SplittableRandom rng = new SplittableRandom(7);
        SyntheticNuclei.Sample first = SyntheticNuclei.generate(96, rng.split());
        assertTrue(first.count() >= 5, "a 96 px image holds several nuclei, got " + first.count());
        assertArrayEquals(first.labels(), train.get(0).labels(), "COCO RLE round trip keeps every pixel of every nucleus");
        assertEquals(first.count(), train.get(0).nuclei().size());
    }

    @Test
    void cropsFlipPixelsAndMasksTogether() throws Exception {
        SyntheticNuclei.write(dir, 1, 1, 96, 3);
        NucleusImage img = NucleusImage.loadCoco(dir.resolve("train.json"), dir.resolve("images")).get(0);
        int[] labels = img.labels();
        for (boolean flip : new boolean[] {false, true}) {
            NucleusCrops.Sample s = NucleusCrops.crop(img, 16, 8, 64, flip);
            assertEquals(64, s.size());
            int nucleusPixels = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int sx = 16 + (flip ? 63 - x : x);
                    boolean truth = labels[(8 + y) * 96 + sx] != 0;
                    int at = y * 64 + x;
                    boolean inSomeMask = s.instances().stream().anyMatch(i -> i.mask()[at] != 0);
                    assertEquals(truth, inSomeMask, "pixel " + x + "," + y);
                    assertEquals(truth ? NucleusCrops.THINGS : NucleusCrops.BACKGROUND, s.semantic()[y * 64 + x]);
                    int r = (img.image().rgb()[((8 + y) * 96 + sx) * 3] & 0xff);
                    assertEquals(r / 127.5f - 1f, s.image()[y * 64 + x], 1e-6);
                    nucleusPixels += truth ? 1 : 0;
                }
            }
            assertTrue(nucleusPixels > 0);
            for (Instance i : s.instances()) {
                assertTrue(i.x1() > i.x0() && i.y1() > i.y0() && i.x0() >= 0 && i.x1() <= 64 && i.y1() <= 64);
                assertTrue(firstColumn(i) >= 0, "the box's top row holds mask pixels: the box is tight");
            }
        }
    }

    @Test
    void samplesAreReproducibleAndTinyImagesAreRefused() throws Exception {
        SyntheticNuclei.write(dir, 2, 1, 80, 5);
        NucleusCrops crops = new NucleusCrops(NucleusImage.loadCoco(dir.resolve("train.json"), dir.resolve("images")), 256, 0.5);
        NucleusCrops.Sample a = crops.sample(new SplittableRandom(11));
        NucleusCrops.Sample b = crops.sample(new SplittableRandom(11));
        assertEquals(64, a.size(), "an 80 px image gives its side rounded down to a multiple of 32");
        assertArrayEquals(a.image(), b.image());
        Files.delete(dir.resolve("images/test_002.png"));
        Exception e = assertThrows(java.nio.file.NoSuchFileException.class,
                () -> NucleusImage.loadCoco(dir.resolve("test.json"), dir.resolve("images")));
        assertTrue(e.getMessage().contains("test_002.png"), e.getMessage());
    }

    /** The first column of the instance's top row that belongs to its mask, or -1. */
    private static int firstColumn(Instance i) {
        for (int x = i.x0(); x < i.x1(); x++) {
            if (i.mask()[i.y0() * 64 + x] != 0) {
                return x;
            }
        }
        return -1;
    }
}
